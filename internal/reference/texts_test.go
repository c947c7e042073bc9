package reference

import (
	"regexp"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// Every text of the reference data the API gives in a language exists in all four, and
// none of them speaks of the project's own documents.
func TestTextsInEveryLanguage(t *testing.T) {
	d := MustRead()
	check := func(what string, l model.Labels, optional bool) {
		t.Helper()
		missing := l.Missing()
		if optional && len(missing) == 4 {
			return
		}
		if len(missing) > 0 {
			t.Errorf("%s has no text in %v: %+v", what, missing, l)
		}
		// Kazakh, Kyrgyz and Russian texts are written in Cyrillic: a Latin-only sentence
		// there is English left untranslated (names, URLs and codes aside).
		for lang, s := range map[string]string{"kk": l.KK, "ky": l.KY, "ru": l.RU} {
			if s != "" && !cyrillic.MatchString(s) {
				t.Errorf("%s in %s has no Cyrillic letter: %q", what, lang, s)
			}
		}
		for _, s := range []string{l.EN, l.RU, l.KK, l.KY} {
			if internal.MatchString(s) {
				t.Errorf("%s speaks of the project's own documents: %q", what, s)
			}
		}
	}
	for _, a := range d.Articles {
		check(a.Code+" title", a.Titles, false)
		check(a.Code+" penalties", a.Penalties, true)
		check(a.Code+" verification", a.Verification, false)
		if d.CodeOf(a.Jurisdiction, a.Code) == nil {
			t.Errorf("%s %s: no code of law", a.Jurisdiction, a.Code)
		}
	}
	for _, f := range d.OfficialFigures {
		check(f.Metric+" definition", f.Definition, false)
		check(f.Metric+" verified", f.Verified, false)
		check(f.Metric+" source title", f.Source.Titles, false)
	}
	for _, u := range d.IndexUnits {
		check(u.Unit+" source title", u.Source.Titles, false)
	}
	for _, c := range d.Codes {
		check(c.Prefix+" abbreviation", c.Abbrs, false)
		check(c.Prefix+" name", c.Names, false)
	}
	if len(d.Populations) == 0 {
		t.Fatal("no populations")
	}
	for _, p := range d.Populations {
		check(p.Code+" population source", p.Sources, false)
		if p.Sources.EN != p.Source {
			t.Errorf("%s %d: English source %q, want population.csv's %q", p.Code, p.Year, p.Sources.EN, p.Source)
		}
		if p.Note != nil {
			check(p.Code+" population note", p.Notes, false)
		}
	}
}

var (
	cyrillic = regexp.MustCompile(`\p{Cyrillic}`)
	internal = regexp.MustCompile(`(?i)design brief|project's brief|техническ\w* задани|техникалық тапсырма|техникалык тапшырма|docs/design`)
)

func TestArticleLabel(t *testing.T) {
	d := MustRead()
	for _, c := range []struct {
		j    model.Jurisdiction
		code string
		lang model.Lang
		want string
	}{
		{model.JurisdictionKZ, "CAO 456-2", model.LangRU, "КоАП 456-2"},
		{model.JurisdictionKZ, "CAO 456-2", model.LangKK, "ӘҚБтК 456-2"},
		{model.JurisdictionKZ, "CAO 456-2", model.LangEN, "CAO 456-2"},
		{model.JurisdictionKZ, "CC 274", model.LangKK, "ҚК 274"},
		{model.JurisdictionKZ, "CC 274", model.LangRU, "УК 274"},
		{model.JurisdictionKG, "CoO 107-1", model.LangRU, "КоП 107-1"},
		{model.JurisdictionKG, "CoO 107-1", model.LangKY, "УБЖК 107-1"},
		{model.JurisdictionKG, "CC 330", model.LangKY, "КЖК 330"},
		{"", "CC 330", model.LangRU, "УК 330"},
		{model.JurisdictionKZ, "XYZ 1", model.LangRU, "XYZ 1"},
		{model.JurisdictionKZ, "456", model.LangRU, "456"},
	} {
		if got := d.ArticleLabel(c.j, c.code, c.lang); got != c.want {
			t.Errorf("ArticleLabel(%s, %q, %s) = %q, want %q", c.j, c.code, c.lang, got, c.want)
		}
	}
	if !strings.Contains(d.CodeOf(model.JurisdictionKG, "CoO 107-1").Names.RU, "о правонарушениях") {
		t.Error("CoO is not the Code of Offences")
	}
}
