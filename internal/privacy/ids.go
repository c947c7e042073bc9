package privacy

import "time"

// iinWeights1 and iinWeights2 are the weights of Kazakhstan's IIN/BIN check digit: the sum
// of the first eleven digits times iinWeights1, modulo 11, is the check digit; when that is
// 10 the sum is taken again with iinWeights2, and 10 a second time means the number is
// invalid (such numbers are never issued).
var (
	iinWeights1 = [11]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	iinWeights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// ValidIIN reports whether s is a well-formed Kazakh individual identification number:
// exactly 12 ASCII digits, a birth date YYMMDD in the first six digits, a century-and-gender
// digit 0–6 in the seventh, and a correct check digit in the last.
//
// Digit 7: 1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the 2000s (odd male, even
// female); 0 is used for some foreign residents and leaves the century open, so the date
// then only has to exist in some century (29 February is accepted).
func ValidIIN(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	if !iinChecksumOK(s) {
		return false
	}
	yy := twoDigits(s[0:2])
	month := twoDigits(s[2:4])
	day := twoDigits(s[4:6])
	var year int
	switch s[6] {
	case '0':
		year = 2000 // a leap year: the century is unknown, so do not reject 29 February
	case '1', '2':
		year = 1800 + yy
	case '3', '4':
		year = 1900 + yy
	case '5', '6':
		year = 2000 + yy
	default:
		return false
	}
	return validDate(year, month, day)
}

// iinChecksumOK checks only the check digit of a 12-digit string. BINs (business numbers)
// share the algorithm, so a number that passes here but not ValidIIN is still treated as an
// identifier by Redact.
func iinChecksumOK(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	check := iinCheckDigit(s, iinWeights1)
	if check == 10 {
		check = iinCheckDigit(s, iinWeights2)
		if check == 10 {
			return false
		}
	}
	return int(s[11]-'0') == check
}

func iinCheckDigit(s string, weights [11]int) int {
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return sum % 11
}

// ValidKGPIN reports whether s is a structurally valid Kyrgyz personal identification number
// (ПИН / ИНН of a person): exactly 14 ASCII digits, the first 1 (female) or 2 (male), then
// the birth date as DDMMYYYY (an existing date in 1900–2099), then five more digits. The
// Kyrgyz PIN has no published check digit, so nothing more can be verified.
func ValidKGPIN(s string) bool {
	if len(s) != 14 || !allDigits(s) {
		return false
	}
	if s[0] != '1' && s[0] != '2' {
		return false
	}
	day := twoDigits(s[1:3])
	month := twoDigits(s[3:5])
	year := twoDigits(s[5:7])*100 + twoDigits(s[7:9])
	if year < 1900 || year > 2099 {
		return false
	}
	return validDate(year, month, day)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// twoDigits reads two ASCII digits; the caller has checked them.
func twoDigits(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// validDate reports whether year-month-day exists in the proleptic Gregorian calendar.
func validDate(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return t.Day() == day && int(t.Month()) == month
}

// parseDate reads a strict "YYYY-MM-DD" date. ok is false for anything else, including
// dates that do not exist (2023-02-29).
func parseDate(s string) (year, month, day int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	if !allDigits(s[0:4]) || !allDigits(s[5:7]) || !allDigits(s[8:10]) {
		return 0, 0, 0, false
	}
	year = twoDigits(s[0:2])*100 + twoDigits(s[2:4])
	month = twoDigits(s[5:7])
	day = twoDigits(s[8:10])
	if !validDate(year, month, day) {
		return 0, 0, 0, false
	}
	return year, month, day, true
}
