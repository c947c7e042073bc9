package graph

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/casewatch/casewatch/internal/model"
)

// The release feed (/feed.atom, RFC 4287): one entry per release, newest first, saying
// what changed (cases added, corrected, unchanged), in the language asked with lang=.
// Entry ids are name-based UUIDs of the release's version and publication time, so they
// stay the same wherever the feed is read from and whatever language it is read in.

// feedEntries is how many releases the feed lists.
const feedEntries = 50

// feedNamespace is the namespace of the feed's name-based UUIDs (RFC 9562 §5.5).
var feedNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://casewatch/feed"))

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Rights  string      `xml:"rights"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// feedTexts are the feed's words per language; %d and %s as noted.
var feedTexts = map[string]model.Labels{
	"title":      {KK: "casewatch: деректер шығарылымдары", KY: "casewatch: маалымат чыгарылыштары", RU: "casewatch: выпуски данных", EN: "casewatch: data releases"},
	"casesTitle": {KK: "casewatch: жаңадан шешілген істер", KY: "casewatch: жаңы чечилген иштер", RU: "casewatch: новые решения по делам", EN: "casewatch: newly decided cases"},
	// release version
	"entry": {KK: "%d-шығарылым", KY: "%d-чыгарылыш", RU: "Выпуск %d", EN: "Release %d"},
	// added, corrected, unchanged
	"changes": {KK: "Жаңа істер: %s; түзетілген: %s; өзгеріссіз: %s.", KY: "Жаңы иштер: %s; оңдолгон: %s; өзгөрүүсүз: %s.",
		RU: "Новых дел: %s; исправлено: %s; без изменений: %s.", EN: "Cases added: %s; corrected: %s; unchanged: %s."},
	"synthetic": {KK: "Синтетикалық деректер: нақты істер емес.", KY: "Синтетикалык маалыматтар: чыныгы иштер эмес.",
		RU: "Синтетические данные, не реальные дела.", EN: "Synthetic data, not real cases."},
	// release version, date
	"cite": {KK: "Дәйексөз: casewatch, %d-шығарылым, %s. Лицензия: CC BY 4.0.", KY: "Шилтеме: casewatch, %d-чыгарылыш, %s. Лицензия: CC BY 4.0.",
		RU: "Ссылка: casewatch, выпуск %d от %s. Лицензия: CC BY 4.0.", EN: "Cite as: casewatch, release %d of %s. Licence: CC BY 4.0."},
	"note": {KK: "Ескертпе", KY: "Эскертүү", RU: "Примечание", EN: "Note"},
}

// feedHandler serves /feed.atom: the releases, or with CaseFilter fields in the query
// string (/feed.atom?jurisdiction=KZ&categories=FALSE_INFORMATION) the newly decided cases
// that match.
func (r *Resolver) feedHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		var lang *model.Lang
		var bom bool
		f, err := parseFilterQuery(req.URL.Query(), func(key string, list []string) (bool, error) {
			if key != "lang" {
				return false, nil
			}
			return parseFileOption(key, list, &lang, &bom)
		})
		if err == nil && f.Search != nil {
			// A feed is public and cached by anyone in between; searches are never shared
			// (design §9), and a feed is priced as a cheap read.
			err = errors.New("search: a feed takes no search; use the case list")
		}
		filtered := err == nil && !reflect.ValueOf(f).IsZero()
		if err == nil {
			f, err = r.checkFilter(ctx, &f)
		}
		if err != nil {
			http.Error(w, clientMessage(err), http.StatusBadRequest)
			return
		}
		if lang == nil {
			l := model.LangEN
			lang = &l
		}
		base := r.publicURL
		if base == "" {
			base = requestBase(req)
		}
		feed := atomFeed{
			Lang:   strings.ToLower(string(*lang)),
			ID:     "urn:uuid:" + feedNamespace.String(),
			Title:  feedTexts["title"].In(*lang),
			Author: atomPerson{Name: "casewatch"},
			Links: []atomLink{
				{Rel: "self", Type: "application/atom+xml", Href: base + req.URL.RequestURI()},
				{Rel: "alternate", Type: "text/html", Href: base + "/#/releases"},
				{Rel: "license", Href: DataLicenceURL},
			},
			Rights:  "CC BY 4.0",
			Updated: "1970-01-01T00:00:00Z", // nothing published yet: a fixed, valid date
		}
		releases, _, err := r.store.ListReleases(ctx, feedEntries, 0)
		if err == nil && len(releases) > 0 {
			feed.Updated = releases[0].PublishedAt
			feed.Rights = "CC BY 4.0. " + fmt.Sprintf(feedTexts["cite"].In(*lang), releases[0].Version(), releaseDate(&releases[0]))
		}
		if err == nil && !filtered {
			for i := range releases {
				feed.Entries = append(feed.Entries, feedEntry(&releases[i], *lang, base))
			}
		} else if err == nil {
			err = r.decidedCasesFeed(ctx, &feed, f, *lang, base, req.URL.Query())
		}
		if err != nil {
			r.log.ErrorContext(ctx, "feed", "err", err)
			exportUnavailable(w)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		if _, err := w.Write([]byte(xml.Header)); err != nil {
			return
		}
		enc := xml.NewEncoder(w)
		enc.Indent("", "  ")
		if err := enc.Encode(feed); err != nil {
			r.log.ErrorContext(ctx, "feed", "err", err)
		}
	})
}

// decidedCasesFeed fills feed with the latest decided cases matching f, in the case view
// (what the case list and export publish, nothing more): newest decision period first, an
// entry per case, updated when the release that last changed the case was published. The
// feed's id is the filter's, so a reader keeps one feed per filter.
func (r *Resolver) decidedCasesFeed(ctx context.Context, feed *atomFeed, f model.CaseFilter, lang model.Lang, base string, q url.Values) error {
	q.Del("lang")
	feed.ID = "urn:uuid:" + uuid.NewSHA1(feedNamespace, []byte("cases?"+q.Encode())).String()
	feed.Title = feedTexts["casesTitle"].In(lang)
	feed.Links[1].Href = base + "/#/cases?" + q.Encode() + "&orderBy=DECIDED_DESC"
	cases, _, _, _, err := r.listCases(ctx, f, model.CaseOrderDecidedDesc, feedEntries, nil)
	if err != nil {
		return err
	}
	ids := make([]int64, len(cases))
	for i := range cases {
		ids[i] = cases[i].ID
	}
	appeals, err := r.store.AppealsByCase(ctx, ids)
	if err != nil {
		return err
	}
	corrections, err := r.store.CorrectionsByCase(ctx, ids)
	if err != nil {
		return err
	}
	published, synthetic := map[int64]string{}, map[int64]bool{}
	for before := int64(0); ; {
		rels, more, err := r.store.ListReleases(ctx, maxPageSize, before)
		if err != nil {
			return err
		}
		for _, rel := range rels {
			published[rel.ID], synthetic[rel.ID] = rel.PublishedAt, rel.Synthetic
			before = rel.ID
		}
		if !more {
			break
		}
	}
	for i := range cases {
		c := &cases[i]
		if c.CourtDecision == nil {
			continue // not decided: DECIDED_DESC lists the undecided last
		}
		row := r.exportRow(c, appeals[c.ID], synthetic, &lang)
		changed := c.FirstReleaseID
		for _, corr := range corrections[c.ID] {
			changed = max(changed, corr.ReleaseID)
		}
		title := []string{row["category_label"], row["court_decision_label"]}
		if row["decided_month"] != "" {
			title = append(title, row["decided_month"])
		}
		var facts []string
		for _, col := range []string{"region_label", "defendant_kind_label", "platform_label", "article_label", "sanction_label", "fine_band_label", "appeal_status_label"} {
			if row[col] != "" {
				facts = append(facts, caseColumnLabels[strings.TrimSuffix(col, "_label")].In(lang)+": "+row[col])
			}
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID:        "urn:uuid:" + uuid.NewSHA1(feedNamespace, []byte("case/"+c.Reference)).String(),
			Title:     strings.Join(slices.DeleteFunc(title, func(s string) bool { return s == "" }), " · "),
			Updated:   published[changed],
			Published: published[c.FirstReleaseID],
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/#/case/" + url.PathEscape(c.Reference) + "?lang=" + strings.ToLower(string(lang))}},
			Summary:   atomText{Type: "text", Text: strings.Join(facts, ". ") + "."},
		})
	}
	return nil
}

func feedEntry(rel *model.Release, lang model.Lang, base string) atomEntry {
	n := func(v int) string { return formatCount(v, lang) }
	summary := fmt.Sprintf(feedTexts["changes"].In(lang), n(rel.RowsAdded), n(rel.RowsUpdated), n(rel.RowsUnchanged))
	if rel.Synthetic {
		summary += " " + feedTexts["synthetic"].In(lang)
	}
	if rel.Note != nil && strings.TrimSpace(*rel.Note) != "" {
		note := strings.TrimSpace(*rel.Note)
		if last, _ := utf8.DecodeLastRuneInString(note); !strings.ContainsRune(".!?…", last) {
			note += "."
		}
		summary += " " + feedTexts["note"].In(lang) + ": " + note
	}
	summary += " " + fmt.Sprintf(feedTexts["cite"].In(lang), rel.Version(), releaseDate(rel))
	id := uuid.NewSHA1(feedNamespace, []byte(fmt.Sprintf("release/%d/%s", rel.Version(), rel.PublishedAt)))
	return atomEntry{
		ID:        "urn:uuid:" + id.String(),
		Title:     fmt.Sprintf(feedTexts["entry"].In(lang), rel.Version()),
		Updated:   rel.PublishedAt,
		Published: rel.PublishedAt,
		Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "/#/releases"}},
		Summary:   atomText{Type: "text", Text: summary},
	}
}

// formatCount writes n with the language's thousands separator (a narrow no-break space
// in Kazakh, Kyrgyz and Russian, a comma in English).
func formatCount(n int, lang model.Lang) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	sep := "\u202F"
	if lang == model.LangEN {
		sep = ","
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// requestBase is the scheme and host the request was made to, for absolute links when no
// public address is configured.
func requestBase(req *http.Request) string {
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: req.Host}
	return u.String()
}
