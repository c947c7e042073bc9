package web

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The portal's Kyrgyz texts, static/i18n/ky.json, hold {"ui": …, "methodology": …}: the same
// keys as the English UI strings and methodology, each translated. The English comes from
// static/i18n/en.json when the portal has it, otherwise from the UI and METHODOLOGY
// literals of app.js.

// kyEnglishTexts returns the English texts in ky.json's shape.
func kyEnglishTexts(t *testing.T) map[string]any {
	t.Helper()
	if b, err := staticFS.ReadFile("static/i18n/en.json"); err == nil {
		var en map[string]any
		if err := json.Unmarshal(b, &en); err != nil {
			t.Fatalf("i18n/en.json is not JSON: %v", err)
		}
		return en
	}
	js := readStatic(t, "app.js")
	literal := func(name, marker string) map[string]any {
		start := "const " + name + " = /* " + marker + " */ "
		i := strings.Index(js, start)
		if i < 0 {
			t.Fatalf("app.js has no %s literal and there is no i18n/en.json", name)
		}
		rest := js[i+len(start):]
		end := strings.Index(rest, "\n};\n")
		if end < 0 {
			t.Fatalf("%s: no end", name)
		}
		var byLang map[string]any
		if err := json.Unmarshal([]byte(rest[:end+2]), &byLang); err != nil {
			t.Fatalf("%s is not strict JSON: %v", name, err)
		}
		en, ok := byLang["EN"].(map[string]any)
		if !ok || len(en) == 0 {
			t.Fatalf("%s has no EN", name)
		}
		return en
	}
	return map[string]any{"ui": literal("UI", "i18n"), "methodology": literal("METHODOLOGY", "methodology")}
}

// Parts of a text a translation keeps as they are: placeholders ({0}), code in backticks,
// markup, the redaction tokens ([NAME]) and case references.
var kyKept = []struct {
	what string
	re   *regexp.Regexp
}{
	{"placeholders", regexp.MustCompile(`\{\d+\}`)},
	{"code", regexp.MustCompile("`[^`]*`")},
	{"markup", regexp.MustCompile(`</?[a-zA-Z][^>]*>`)},
	{"tokens", regexp.MustCompile(`\[[A-Z]+\]`)},
	{"case references", regexp.MustCompile(`\bK[ZG]-\d{4}-[0-9A-Z]{6}\b`)},
}

func TestKyrgyzTranslations(t *testing.T) {
	b, err := staticFS.ReadFile("static/i18n/ky.json")
	if err != nil {
		t.Fatal(err)
	}
	var ky map[string]any
	if err := json.Unmarshal(b, &ky); err != nil {
		t.Fatalf("i18n/ky.json is not strict JSON: %v", err)
	}
	en := kyEnglishTexts(t)
	if n := kyCompare(t, "", en, ky); n < 200 {
		t.Errorf("only %d texts compared", n)
	}
	// Spot checks: the language is Kyrgyz, not Kazakh or Russian.
	ui, _ := ky["ui"].(map[string]any)
	if ui["navCases"] != "Иштер" || ui["language"] != "Тил" {
		t.Errorf("ui.navCases = %q, ui.language = %q", ui["navCases"], ui["language"])
	}
	if kazakh := regexp.MustCompile(`[әғқіұһӘҒҚІҰҺ]`).Find(b); kazakh != nil {
		t.Errorf("ky.json has the Kazakh letter %q", kazakh)
	}
}

// kyCompare walks the English and the Kyrgyz texts together and returns how many strings
// it compared: the same keys, the same list lengths, no empty text, and the kept parts of
// each text the same.
func kyCompare(t *testing.T, path string, en, ky any) int {
	t.Helper()
	at := path
	if at == "" {
		at = "ky.json"
	}
	switch e := en.(type) {
	case map[string]any:
		k, ok := ky.(map[string]any)
		if !ok {
			t.Errorf("%s: want an object, got %T", at, ky)
			return 0
		}
		n := 0
		for key, v := range e {
			kv, ok := k[key]
			if !ok {
				t.Errorf("%s.%s is missing", at, key)
				continue
			}
			n += kyCompare(t, strings.TrimPrefix(path+"."+key, "."), v, kv)
		}
		for key := range k {
			if _, ok := e[key]; !ok {
				t.Errorf("%s.%s has no English", at, key)
			}
		}
		return n
	case []any:
		k, ok := ky.([]any)
		if !ok || len(k) != len(e) {
			t.Errorf("%s: want a list of %d, got %v", at, len(e), ky)
			return 0
		}
		n := 0
		for i := range e {
			n += kyCompare(t, fmt.Sprintf("%s[%d]", path, i), e[i], k[i])
		}
		return n
	case string:
		k, ok := ky.(string)
		if !ok || strings.TrimSpace(k) == "" {
			t.Errorf("%s is empty", at)
			return 0
		}
		for _, kept := range kyKept {
			want, got := kept.re.FindAllString(e, -1), kept.re.FindAllString(k, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %s %q, English has %q", at, kept.what, got, want)
			}
		}
		return 1
	}
	t.Errorf("%s: unexpected %T in the English texts", at, en)
	return 0
}
