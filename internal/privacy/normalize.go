package privacy

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeText prepares free text for the detectors:
//   - NFKC (except for №), so that full-width digits and letters, ligatures and other
//     compatibility forms become the plain characters the detectors look for ("９００１…" is
//     a number);
//   - invisible format characters (zero-width space, soft hyphen, joiners, direction marks)
//     are removed, because they can sit inside a name or a number and hide it;
//   - control characters and every kind of white space become one ASCII space, runs of
//     spaces are collapsed and the ends trimmed.
func normalizeText(s string) string {
	if isPlain(s) {
		return s // the common case, checked in one pass without allocating
	}
	s = nfkc(s)
	s, dropped := cleanSpaces(s)
	if dropped {
		// Removing a format character can bring a letter next to a combining mark that NFKC
		// would compose; normalise once more so that names still compare equal.
		s, _ = cleanSpaces(nfkc(s))
	}
	return s
}

// nfkc applies NFKC but keeps the numero sign: NFKC would turn "№ 12" into "No 12", which
// changes Russian and Kazakh text visibly for no gain.
func nfkc(s string) string {
	if allInert(s) || norm.NFKC.IsNormalString(s) {
		return s
	}
	if !strings.ContainsRune(s, numeroSign) {
		return norm.NFKC.String(s)
	}
	parts := strings.Split(s, string(numeroSign))
	for i, p := range parts {
		parts[i] = norm.NFKC.String(p)
	}
	return strings.Join(parts, string(numeroSign))
}

// allInert reports whether NFKC would leave s alone, judged character by character from the
// fast tables (runes.go), much faster than by the norm package.
func allInert(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && !propsOf(r).is(flagNFKCInert) {
			return false
		}
	}
	return true
}

// isPlain reports whether normalizeText would return s unchanged: NFKC-inert characters,
// single ASCII spaces, nothing to remove, no space at either end.
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); {
		b := s[i]
		switch {
		case b == ' ':
			if s[i+1] == ' ' { // s does not end with a space, so s[i+1] exists
				return false
			}
			i++
		case b >= 0x20 && b < 0x7f:
			i++ // printable ASCII
		case b == 0xD0 || b == 0xD1:
			i += 2 // U+0400–U+047F, the basic Cyrillic letters: all inert
		default:
			r, size := decodeRune(s, i)
			if p := propsOf(r); p.is(flagSpace|flagFormat) || !p.is(flagNFKCInert) {
				return false
			}
			i += size
		}
	}
	return true
}

// cleanSpaces removes format characters, turns controls and spaces into single spaces and
// trims. dropped reports whether a format character was removed.
func cleanSpaces(s string) (out string, dropped bool) {
	if isClean(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending: written before the next visible character
	for _, r := range s {
		p := propsOf(r)
		switch {
		case p.is(flagFormat):
			dropped = true
		case p.is(flagSpace):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String(), dropped
}

// isClean reports whether cleanSpaces would return s unchanged: ordinary text with single
// ASCII spaces, checked without allocating.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for _, r := range s {
		if r == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
		if propsOf(r).is(flagSpace | flagFormat) {
			return false
		}
	}
	return true
}
