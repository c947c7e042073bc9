package privacy

import (
	"strings"
	"unicode/utf8"
)

// Numbers. A digit group is a run of numbers joined by the separators people put inside
// phone, card and identity numbers: spaces, dashes, dots, slashes, parentheses, asterisks
// ("+7 (701) 123-45-67", "9001 0130 0123"). Up to three separator characters may join two
// numbers, but never a full stop and a space together (a sentence end). The group's digits
// decide what it is; every group of five digits or more is replaced by something.

const groupSeparators = "-–—‐‑‒−./()*"

// digitGroup returns the end (exclusive) of the digit group starting at number token i and
// how many numbers it joins.
func (r *redactor) digitGroup(i int) (end, numbers int) {
	end = i
	for {
		numbers++
		end++
		// Separators, then another number?
		j, dot, space := end, false, false
		for j < len(r.toks) && j-end < 3 && r.isPunct(j, groupSeparators) {
			dot = dot || r.isChar(j, '.')
			space = space || r.toks[j].spaced
			j++
		}
		space = space || r.spaced(j)
		if j-end == 0 && !space && !r.isOWord(j) && !r.isOWord(j-1) || dot && space || !r.isDigitLike(j) || !r.free(j) {
			return end, numbers
		}
		end = j
	}
}

// groupDigits returns the digits of the group [i, end). Digits of other scripts are written
// as '0': counted, never valid identifiers.
func (r *redactor) groupDigits(i, end int) (digits string, nonASCII bool) {
	var b strings.Builder
	for j := i; j < end; j++ {
		if r.isOWord(j) {
			for range r.toks[j].runes {
				b.WriteByte('0') // the letter O written for a zero
			}
			continue
		}
		if !r.isNumber(j) {
			continue
		}
		for _, d := range r.str(j) {
			if d >= '0' && d <= '9' {
				b.WriteRune(d)
			} else {
				nonASCII = true
				b.WriteByte('0')
			}
		}
	}
	return b.String(), nonASCII
}

// markDigitGroups classifies every free digit group.
func (r *redactor) markDigitGroups() {
	for i := 0; i < len(r.toks); i++ {
		if !r.isDigitLike(i) || !r.free(i) {
			continue
		}
		end, numbers := r.digitGroup(i)
		size := 0 // bytes of digits: at least the number of digits
		for j := i; j < end; j++ {
			if r.isDigitLike(j) {
				size += int(r.toks[j].end - r.toks[j].start)
			}
		}
		if size < 5 {
			i = end - 1
			continue // fewer than five digits: article numbers, amounts in MCI, years
		}
		start := i
		plus := false
		if r.isChar(start-1, '(') && r.joined(start) && (r.isChar(i+1, ')') || r.closesBracket(i+1, end)) {
			start-- // "(701) 123-45-67": take the bracket along
		}
		if r.isChar(start-1, '+') && r.joined(start) {
			start--
			plus = true
		}
		digits, nonASCII := r.groupDigits(i, end)
		var k kind
		switch {
		case numbers == 2 && r.isYearRange(i, end):
			k = kindNone
		case nonASCII && len(digits) >= 5:
			k = kindNumber // digits of another script: never a valid identifier, still a number
		case !nonASCII:
			k = classifyDigits(digits, plus)
		}
		if k != kindNone {
			r.mark(start, end, k)
		}
		i = end - 1
	}
}

// classifyDigits names a digit group by its digits. Fewer than five digits are left alone
// (article numbers, amounts in MCI, years).
func classifyDigits(d string, plus bool) kind {
	n := len(d)
	switch {
	case n < 5:
		return kindNone
	case plus && (n == 11 && d[0] == '7' || n == 12 && strings.HasPrefix(d, "996") || n >= 8 && n <= 15):
		return kindPhone
	case n == 12 && iinChecksumOK(d):
		return kindIIN // an IIN, or a BIN (same check digit), or an IIN with a wrong date
	case n == 14 && ValidKGPIN(d):
		return kindIIN
	case n == 12 && strings.HasPrefix(d, "996"):
		return kindPhone // 996 555 123 456
	case n == 11 && (d[0] == '8' || d[0] == '7'):
		return kindPhone // 8 701 123 45 67, 7 701 123 45 67
	case n == 10 && (d[0] == '0' || d[0] == '7'):
		return kindPhone // 0555 123 456 (KG), 701 123 45 67 (KZ without prefix)
	case n >= 13 && n <= 19:
		return kindCard
	}
	return kindNumber
}

// isYearRange reports whether the two numbers of the group [i, end) are a range of years,
// "2020-2024" or "2020 – 2024", which is kept.
func (r *redactor) isYearRange(i, end int) bool {
	if !isYear(r.str(i)) || !isYear(r.str(end-1)) {
		return false
	}
	for j := i + 1; j < end-1; j++ {
		if !r.isPunct(j, "-–—‐‑‒−/") {
			return false
		}
	}
	return true
}

func isYear(s string) bool {
	return len(s) == 4 && allDigits(s) && (s[:2] == "19" || s[:2] == "20")
}

// markKeywordNumbers handles numbers announced by a word: "ИИН 900101300123" is an [IIN]
// even with a wrong checksum, "тел. 1234" a [PHONE], "дело № 2-1234/2024" a [NUMBER].
func (r *redactor) markKeywordNumbers() {
	for i := range r.toks {
		t := &r.toks[i]
		switch t.kind {
		case tokWord:
			if !r.numberSoon(i + 1) {
				continue // every rule here needs a number right after the word
			}
			switch {
			case r.has(i, vocabIINKeyword):
				r.markNumberAfter(i+1, kindIIN)
			case r.has(i, vocabPhoneKeyword):
				r.markNumberAfter(i+1, kindPhone)
			case r.has(i, vocabCaseKeyword):
				r.markCodeAfter(i+1, true)
			case t.runes == 2 && t.capital && (r.str(i) == "No" || r.str(i) == "Nr") && r.isChar(i+1, '.'):
				r.markCodeAfter(i+2, false)
			}
		case tokPunct:
			if r.isPunct(i, "№#") {
				r.markCodeAfter(i+1, false)
			}
		}
	}
}

// numberSoon reports whether a number starts at token i or after at most four punctuation
// characters.
func (r *redactor) numberSoon(i int) bool {
	for j := i; j < i+5; j++ {
		switch r.kindAt(j) {
		case tokNumber:
			return true
		case tokPunct:
			continue
		}
		return false
	}
	return false
}

// markNumberAfter marks the digit group that starts at token i, after at most four of ":",
// "№", "-", ".", "=", "+".
func (r *redactor) markNumberAfter(i int, k kind) {
	j := i
	for j < len(r.toks) && j-i < 4 && r.isPunct(j, ":№#-.=+") {
		j++
	}
	if !r.isNumber(j) || !r.free(j) {
		return
	}
	end, _ := r.digitGroup(j)
	start := j
	if r.isChar(j-1, '+') {
		start--
	}
	r.mark(start, end, k)
}

// markCodeAfter marks a case-number-like code starting at token i: letters, numbers and "-",
// "/", ".", ":" without spaces, containing a number. needSeparator asks for a "-" or "/" in
// the code (after "дело", where a bare number may be a count); a "№" there starts the code
// instead.
func (r *redactor) markCodeAfter(i int, needSeparator bool) {
	if needSeparator && r.isPunct(i, "№") {
		r.markCodeAfter(i+1, false)
		return
	}
	end := i
	hasNumber, hasSeparator := false, false
	for end < len(r.toks) && end-i < 16 && r.free(end) && (end == i || r.joined(end)) {
		if r.isNumber(end) {
			hasNumber = true
		} else if r.isPunct(end, "-/.:") && r.joined(end+1) && (r.isNumber(end+1) || r.isWord(end+1)) {
			hasSeparator = true
		} else if !r.isWord(end) || r.toks[end].runes > 6 {
			break
		}
		end++
	}
	if hasNumber && (hasSeparator || !needSeparator) {
		r.mark(i, end, kindNumber)
	}
}

// markDates replaces full dates: 01.05.2024, 1/5/2024, 2024-05-01, 01.05.24, "1 мая 2024",
// "May 1, 2024", "1 May 2024", "2024 жылғы 1 мамыр". A month with a year alone ("мая 2024")
// is month precision and stays.
func (r *redactor) markDates() {
	for i := 0; i < len(r.toks); i++ {
		if r.isWord(i) && (r.isNumber(i+1) || r.isChar(i+1, '.')) && r.has(i, vocabEnglishMonth) {
			r.markEnglishDate(i)
			continue
		}
		if !r.isNumber(i) || !r.free(i) {
			continue
		}
		end := r.numericDate(i)
		if end == 0 {
			end = r.wordDate(i)
		}
		if end == 0 && r.isBirthYear(i) {
			end = i + 1
		}
		if end > 0 {
			r.mark(i, end, kindDate)
			i = end - 1
		}
	}
}

// isBirthYear reports whether the number i is a year of birth, which is part of the birth
// date: "1990 г.р.", "1990 года рождения", "1990 жылы туған", "born in 1990".
func (r *redactor) isBirthYear(i int) bool {
	twoDigits := len(r.str(i)) == 2 && allDigits(r.str(i))
	if !isYear(r.str(i)) && !twoDigits {
		return false
	}
	next := func(k int) string { // the k-th word after the number, or ""
		for j := i + 1; j < len(r.toks) && j <= i+4; j++ {
			if r.isWord(j) {
				if k--; k == 0 {
					return r.fold(j)
				}
			}
		}
		return ""
	}
	switch w1, w2 := next(1), next(2); {
	case w1 == "г" && (w2 == "р" || w2 == "рождения"), // 1990 г.р., 68 г. р.
		w1 == "года" && w2 == "рождения",
		w1 == "го" && w2 == "года", // 1980-го года рождения
		w1 == "жылы" && (w2 == "туған" || w2 == "туулган"),
		w1 == "ж" && w2 == "т":
		return true
	}
	if twoDigits {
		return false
	}
	prev := i - 1
	if r.isChar(prev, '.') {
		prev-- // "b. 1986"
	}
	if r.has(prev, vocabEnglishBorn) {
		return true
	}
	if r.isWord(prev) && (r.fold(prev) == "in" || r.fold(prev) == "в") {
		// born in 1990, родилась в 1992 году
		return r.has(prev-1, vocabEnglishBorn) || r.isWord(prev-1) && strings.HasPrefix(r.fold(prev-1), "родил")
	}
	return false
}

// ordinalSuffix returns i+1 when token i is an English ordinal suffix glued to the number
// before it ("16th"), else i.
func (r *redactor) ordinalSuffix(i int) int {
	if r.isWord(i) && r.joined(i) {
		switch r.fold(i) {
		case "st", "nd", "rd", "th":
			return i + 1
		}
	}
	return i
}

// isMonthWord reports whether word i names a month in Russian, English or Kazakh, or in
// Kyrgyz (Russian month names with Kyrgyz endings: "мартта", "сентябрда").
func (r *redactor) isMonthWord(i int) bool {
	if !r.isWord(i) {
		return false
	}
	return r.has(i, vocabRussianMonth|vocabEnglishMonth) || isKazakhMonth(r.fold(i)) || isKyrgyzMonth(r.fold(i))
}

var kyrgyzMonths = fields(`январ феврал март апрел май июн июл август сентябр октябр ноябр декабр`)

func isKyrgyzMonth(w string) bool {
	for _, m := range kyrgyzMonths {
		if strings.HasPrefix(w, m) && utf8.RuneCountInString(w)-utf8.RuneCountInString(m) <= 4 {
			return true
		}
	}
	return false
}

// numericDate returns the end of a numeric date starting at token i, or 0.
func (r *redactor) numericDate(i int) int {
	if !r.isNumber(i+2) || !r.isNumber(i+4) || !r.isPunct(i+1, ".-/") || r.str(i+1) != r.str(i+3) {
		return 0
	}
	for j := i + 1; j <= i+4; j++ {
		if r.toks[j].spaced {
			return 0
		}
	}
	a, b, c := r.str(i), r.str(i+2), r.str(i+4)
	if !allDigits(a) || !allDigits(b) || !allDigits(c) {
		return 0
	}
	switch {
	case len(a) == 4 && len(b) <= 2 && len(c) <= 2: // 2024-05-01
		if isMonth(b) && isDay(c) {
			return i + 5
		}
	case len(a) <= 2 && len(b) <= 2 && (len(c) == 4 || len(c) == 2 && r.str(i+1) == "."): // 01.05.2024
		if isDay(a) && isMonth(b) || isMonth(a) && isDay(b) {
			return i + 5
		}
	}
	return 0
}

// wordDate returns the end of "1 мая 2024", "1 May 2024" or "2024 жылғы 1 мамыр" starting
// at token i, or 0.
func (r *redactor) wordDate(i int) int {
	first := r.str(i)
	if m := r.ordinalSuffix(i + 1); isDay(first) && r.spaced(m) && r.isWord(m) && r.spaced(m+1) && r.isNumber(m+1) &&
		isYearLike(r.str(m+1)) && (r.has(m, vocabRussianMonth|vocabEnglishMonth) || isKazakhMonth(r.fold(m))) {
		return m + 2 // 1 мая 2024, 16th August 1991
	}
	if !isYearLike(first) {
		return 0
	}
	// 2024 жылғы 1 мамыр, 1969 жылы 4 қыркүйекте, 1975-жылы 12-мартта.
	j := i + 1
	if r.isChar(j, '-') && r.joined(j) && r.joined(j+1) {
		j++
	} else if !r.spaced(j) {
		return 0
	}
	if !r.isWord(j) || r.fold(j) != "жылғы" && r.fold(j) != "жылы" {
		return 0
	}
	j++
	if !r.spaced(j) || !r.isNumber(j) || !isDay(r.str(j)) {
		return 0
	}
	j++
	if r.isChar(j, '-') && r.joined(j) && r.joined(j+1) {
		j++
	} else if !r.spaced(j) {
		return 0
	}
	if r.isMonthWord(j) {
		return j + 1
	}
	return 0
}

// markEnglishDate marks "May 1, 2024" or "Jan. 1 2024" starting at the month word i.
func (r *redactor) markEnglishDate(i int) {
	j := i + 1
	if r.isChar(j, '.') {
		j++
	}
	if !r.spaced(j) || !r.isNumber(j) || !isDay(r.str(j)) {
		return
	}
	j = r.ordinalSuffix(j + 1)
	if r.isChar(j, ',') {
		j++
	}
	if r.spaced(j) && r.isNumber(j) && isYearLike(r.str(j)) && r.free(j) {
		r.mark(i, j+1, kindDate)
	}
}

func isKazakhMonth(w string) bool {
	for _, m := range kazakhMonths {
		if strings.HasPrefix(w, m) && utf8.RuneCountInString(w)-utf8.RuneCountInString(m) <= 4 {
			return true
		}
	}
	return false
}

func isDay(s string) bool   { n, ok := smallNumber(s); return ok && n >= 1 && n <= 31 }
func isMonth(s string) bool { n, ok := smallNumber(s); return ok && n >= 1 && n <= 12 }

func isYearLike(s string) bool { return len(s) == 4 && allDigits(s) }

func smallNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 2 || !allDigits(s) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// isOWord reports whether token i is the letter O (Latin or Cyrillic, either case), once or
// up to three times, glued to a number before or after it: a zero written as a letter
// ("8 7O1 123 45 67", "O555 123 456").
func (r *redactor) isOWord(i int) bool {
	if !r.isWord(i) || r.toks[i].runes > 3 {
		return false
	}
	for _, c := range r.str(i) {
		if c != 'O' && c != 'o' && c != 'О' && c != 'о' {
			return false
		}
	}
	return r.isNumber(i-1) && r.joined(i) || r.isNumber(i+1) && r.joined(i+1)
}

// isDigitLike reports whether token i is a number or a letter O standing for zeros.
func (r *redactor) isDigitLike(i int) bool { return r.isNumber(i) || r.isOWord(i) }

// closesBracket reports whether the digit group's tokens [i, end) include a ')' right after
// its first number, a number written with letter O ("(7O2)").
func (r *redactor) closesBracket(i, end int) bool {
	for j := i; j < end && j < i+4; j++ {
		if r.isChar(j, ')') {
			return true
		}
		if !r.isDigitLike(j) || !r.joined(j) {
			return false
		}
	}
	return false
}
