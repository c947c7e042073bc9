package demo

import (
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// A demo release's note reads in every language; any other note stays as written.
func TestNoteIn(t *testing.T) {
	if missing := noteTexts.Missing(); len(missing) > 0 {
		t.Fatalf("the demo note has no text in %v", missing)
	}
	n := note(3000, 12345, uint64(7), "2026-10-31")
	if !strings.HasPrefix(n, "Synthetic demo dataset, not real enforcement data: 3000 cases and 12345 detections") {
		t.Fatalf("note = %q", n)
	}
	for lang, want := range map[model.Lang]string{
		model.LangEN: n,
		model.LangRU: "Синтетический демонстрационный набор данных, а не реальные данные о правоприменении: 3\u202f000 дел и 12\u202f345 выявлений",
		model.LangKK: "Синтетикалық демо-деректер жиыны",
		model.LangKY: "Синтетикалык демо-маалыматтар топтому",
	} {
		got, ok := NoteIn(n, lang)
		if !ok || !strings.HasPrefix(got, want) || !strings.Contains(got, "2026-10-31") || !strings.Contains(got, " 7,") {
			t.Errorf("%s: %q (%v)", lang, got, ok)
		}
	}
	if got, ok := NoteIn("Corrections from the court registry", model.LangRU); ok || got != "Corrections from the court registry" {
		t.Errorf("another note became %q", got)
	}
}
