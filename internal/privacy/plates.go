package privacy

import "strings"

// Car plates and ages.
//
// Plates: Kazakh "123 ABC 02" (three digits, two or three letters, a two-digit region),
// Kyrgyz "01 KG 123 ABC", and the Russian-style "А 123 ВС" (optionally with a region), in
// Latin or Cyrillic capitals, spaced or glued ("01KG123ABC"). Cyrillic letters must be the
// twelve that plates use (А В Е К М Н О Р С Т У Х).
//
// Ages: "24-летний" (any form), "в возрасте 42 лет", "ему 41 год", "женщина 47 лет",
// "блогер, 30 лет,", "24 жастағы", "33 жаста", "45 жасар", "19 жаштагы", "aged 24",
// "age 38", "31-year-old", "27 years old". The number and its unit become [AGE]. Ages
// written in words are not caught.

// plateLetters reports whether word i is n letters a plate may use, all capitals.
func (r *redactor) plateLetters(i, minLen, maxLen int) bool {
	if !r.isWord(i) || !r.free(i) {
		return false
	}
	t := &r.toks[i]
	if int(t.runes) < minLen || int(t.runes) > maxLen || !t.allCaps {
		return false
	}
	for _, c := range r.str(i) {
		if !(c >= 'A' && c <= 'Z' || strings.ContainsRune("АВЕКМНОРСТУХ", c)) {
			return false
		}
	}
	return true
}

// digitsN reports whether token i is a free number of n ASCII digits, n in [minLen, maxLen].
func (r *redactor) digitsN(i, minLen, maxLen int) bool {
	if !r.isNumber(i) || !r.free(i) {
		return false
	}
	s := r.str(i)
	return len(s) >= minLen && len(s) <= maxLen && allDigits(s)
}

// markPlates marks car plates.
func (r *redactor) markPlates() {
	for i := 0; i < len(r.toks); i++ {
		end := 0
		switch {
		case r.digitsN(i, 2, 2) && r.isWord(i+1) && r.str(i+1) == "KG" && r.digitsN(i+2, 3, 3) && r.plateLetters(i+3, 2, 3):
			end = i + 4 // 01 KG 123 ABC
		case r.digitsN(i, 3, 3) && r.plateLetters(i+1, 2, 3) && r.digitsN(i+2, 2, 2) && !r.isNumber(i+3):
			end = i + 3 // 123 ABC 02
		case r.plateLetters(i, 1, 1) && r.digitsN(i+1, 3, 3) && r.plateLetters(i+2, 2, 2):
			end = i + 3 // А 123 ВС
			if r.digitsN(end, 2, 3) {
				end++ // region
			}
		}
		if end > 0 {
			r.mark(i, end, kindPlate)
			i = end - 1
		}
	}
}

// ageWordPrefixes: the unit after an age ("24-летний", "24 жастағы", "19 жаштагы", "45
// жасар"), matched by prefix on the case-folded word.
var ageWordPrefixes = fields(`летн жастағ жаста жасар жашта жашар`)

// Words before "N лет/год/года" that make it a person's age; and English cues.
var (
	ageBefore = set(fields(`возрасте возраста возрастом ему ей мне женщина женщине мужчина
		мужчине блогер блогеру блогера житель жителю жительница пенсионер пенсионерка студент
		студентка девушка парень гражданин гражданка подросток`))
	yearWords = set(fields(`лет год года`))
)

// markAges marks ages.
func (r *redactor) markAges() {
	for i := 0; i < len(r.toks); i++ {
		if !r.isNumber(i) || !r.free(i) {
			continue
		}
		n, ok := smallNumber(r.str(i))
		if !ok && !(len(r.str(i)) == 3 && r.str(i) < "121" && allDigits(r.str(i))) || n == 0 && ok {
			continue
		}
		unit := i + 1
		if r.isChar(unit, '-') && r.joined(unit) {
			unit++
		}
		end := 0
		switch {
		case r.isWord(unit) && hasAnyPrefix(r.fold(unit), ageWordPrefixes) &&
			(unit > i+1 || !strings.HasPrefix(r.fold(unit), "летн")):
			// "летний" only joined to its number ("24-летний"): "3 летних месяца" is summer.
			end = unit + 1
		case r.isWord(unit) && r.fold(unit) == "year" && r.isChar(unit+1, '-') && r.isWord(unit+2) && r.fold(unit+2) == "old":
			end = unit + 3 // 31-year-old
		case r.isWord(unit) && (r.fold(unit) == "year" || r.fold(unit) == "years") && r.isWord(unit+1) && r.fold(unit+1) == "old":
			end = unit + 2 // 27 years old
		case r.isWord(i-1) && (r.fold(i-1) == "aged" || r.fold(i-1) == "age") && r.spaced(i):
			end = i + 1 // aged 24
		case r.isWord(unit) && r.spaced(unit) && r.has(unit, vocabYearWord) && r.ageContext(i):
			end = unit + 1
		}
		if end > 0 {
			r.mark(i, end, kindAge)
			i = end - 1
		}
	}
}

// ageContext reports whether "N лет" at number i is a person's age: after "в возрасте",
// "ему", a person ("женщина 47 лет"), or between commas after a person or a capitalised
// name ("блогер, 30 лет, …"). Between commas after anything else it is a term: "…кодекса,
// 2 года, условно" keeps its sentence.
func (r *redactor) ageContext(i int) bool {
	if r.has(i-1, vocabAgeBefore) {
		return true
	}
	if !r.isChar(i-1, ',') || !r.isChar(i+2, ',') {
		return false
	}
	return r.has(i-2, vocabAgeBefore) || r.isWord(i-2) && r.toks[i-2].capital && !r.has(i-2, vocabStopWord)
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
