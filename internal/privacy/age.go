package privacy

import "github.com/casewatch/casewatch/internal/model"

// maxAge is the oldest plausible defendant; an older age means a data error.
const maxAge = 120

// AgeBand returns the age band of a person born on birthDate at the date at, both
// "YYYY-MM-DD". The caller passes the decision date, or the report date while a case is
// undecided. ok is false when either date is missing or malformed, when birth is after at,
// or when the age would exceed 120 years: the band is then unknown, never guessed.
//
// Someone born on 29 February becomes a year older on 1 March in common years.
func AgeBand(birthDate, at string) (model.AgeBand, bool) {
	by, bm, bd, ok := parseDate(birthDate)
	if !ok {
		return "", false
	}
	ay, am, ad, ok := parseDate(at)
	if !ok {
		return "", false
	}
	age := ay - by
	if am < bm || (am == bm && ad < bd) {
		age-- // birthday not reached yet in the year of at
	}
	if age < 0 || age > maxAge {
		return "", false
	}
	switch {
	case age < 18:
		return model.AgeBandUnder18, true
	case age < 25:
		return model.AgeBandFrom18To24, true
	case age < 35:
		return model.AgeBandFrom25To34, true
	case age < 45:
		return model.AgeBandFrom35To44, true
	case age < 55:
		return model.AgeBandFrom45To54, true
	case age < 65:
		return model.AgeBandFrom55To64, true
	}
	return model.AgeBandFrom65, true
}
