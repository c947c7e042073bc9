package demo

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// noteTexts are the note of a demo release in every language: cases, detections, seed and
// the last day of the data fill in %[1]s to %[4]s. The English one is what the release
// stores; NoteIn gives it in another language.
var noteTexts = model.Labels{
	EN: "Synthetic demo dataset, not real enforcement data: %[1]s cases and %[2]s detections " +
		"made up by casewatch's demo generator (seed %[3]s, data until %[4]s).",
	RU: "Синтетический демонстрационный набор данных, а не реальные данные о правоприменении: " +
		"%[1]s дел и %[2]s выявлений, созданных демонстрационным генератором casewatch " +
		"(начальное значение генератора %[3]s, данные до %[4]s).",
	KK: "Синтетикалық демо-деректер жиыны, нақты құқық қолдану деректері емес: " +
		"casewatch демо-генераторы жасаған %[1]s іс және %[2]s анықтау " +
		"(генератордың бастапқы мәні %[3]s, деректер %[4]s дейін).",
	KY: "Синтетикалык демо-маалыматтар топтому, чыныгы укук колдонуу маалыматтары эмес: " +
		"casewatch демо-генератору түзгөн %[1]s иш жана %[2]s аныктоо " +
		"(генератордун баштапкы мааниси %[3]s, маалыматтар %[4]s чейин).",
}

// noteRE reads the English note back: its four values captured.
var noteRE = regexp.MustCompile(`^` + strings.NewReplacer(
	"CASES", `(\d+)`, "DETECTIONS", `(\d+)`, "SEED", `(-?\d+)`, "UNTIL", `(\d{4}-\d{2}-\d{2})`,
).Replace(regexp.QuoteMeta(fmt.Sprintf(noteTexts.EN, "CASES", "DETECTIONS", "SEED", "UNTIL"))) + `$`)

// note is the English note of a demo release.
func note(cases, detections int, seed any, until string) string {
	return fmt.Sprintf(noteTexts.EN, fmt.Sprint(cases), fmt.Sprint(detections), fmt.Sprint(seed), until)
}

// NoteIn gives the note of a demo release in lang; ok is false for any other note, which
// stays as its publisher wrote it.
func NoteIn(n string, lang model.Lang) (string, bool) {
	m := noteRE.FindStringSubmatch(n)
	if m == nil {
		return n, false
	}
	if lang == model.LangEN {
		return n, true
	}
	return fmt.Sprintf(noteTexts.In(lang), grouped(m[1]), grouped(m[2]), m[3], m[4]), true
}

// grouped writes a count as Kazakh, Kyrgyz and Russian do: thousands apart by a narrow
// no-break space (as the portal writes numbers).
func grouped(digits string) string {
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "\u202f" + digits[i:]
	}
	return digits
}
