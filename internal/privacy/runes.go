package privacy

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Character properties. Redact looks at every character several times (is it a letter, its
// lower case, its transliteration, can NFKC change it), and the unicode package's table
// searches made that most of its cost. Properties of the characters of Latin, Cyrillic and
// common punctuation are therefore computed once, at start-up, from the unicode and norm
// packages themselves; other characters are looked up as before.

type runeFlags uint16

const (
	flagLetter runeFlags = 1 << iota
	flagUpper            // upper or title case
	flagLower
	flagMark // combining mark: part of a word
	flagDigit
	flagSpace  // white space or control character: becomes a space
	flagFormat // invisible format character: removed
	flagCyrillic
	flagLatin // ASCII letter
	flagNFKCInert
	flagFoldSelf // the rune is its own case-folded form (most lower-case letters)
	flagKazakh   // ә ғ қ ң ө ұ ү һ і, upper or lower case
)

// runeProps is kept to 8 bytes so that propsOf stays cheap to call.
type runeProps struct {
	flags runeFlags
	// translit indexes translits: the transliteration of the folded letter (skeleton.go).
	// 0 means the folded rune itself.
	translit uint8
	// fold is the rune's case-folded form: the lower case of the smallest rune of its
	// unicode.SimpleFold orbit, so that two words are equal under strings.EqualFold exactly
	// when their folded forms are equal (Σ, σ and ς all fold to σ).
	fold rune
}

// translits lists the distinct transliterations of cyrillicLatin and latinExtra; index 0
// is unused (the rune itself) and index 1 is "" (ъ, ь).
var translits = func() []string {
	list := []string{"(self)", ""}
	seen := map[string]bool{"": true}
	for _, m := range []map[rune]string{cyrillicLatin, latinExtra} {
		for _, t := range m {
			if !seen[t] {
				seen[t] = true
				list = append(list, t)
			}
		}
	}
	slices.Sort(list[2:]) // deterministic indexes
	return list
}()

// firstTranslitByte returns the first byte of the transliteration, or 0 when it is empty.
func firstTranslitByte(p runeProps) byte {
	if p.translit == 0 {
		var b [utf8.UTFMax]byte
		utf8.EncodeRune(b[:], p.fold)
		return b[0]
	}
	if t := translits[p.translit]; t != "" {
		return t[0]
	}
	return 0
}

// Fast tables: one below tableLimit, one for General Punctuation and the symbols after it.
const (
	tableLimit = 0x500
	punctStart = 0x2000
	punctLimit = 0x2200
	numeroSign = '№'
)

// The tables are package variables with initialisers (not filled by init functions) so that
// Go initialises them before the word lists that are converted with them.
var lowTable = func() *[tableLimit]runeProps {
	var t [tableLimit]runeProps
	for r := range t {
		t[r] = computeProps(rune(r))
	}
	return &t
}()

var punctTable = func() *[punctLimit - punctStart]runeProps {
	var t [punctLimit - punctStart]runeProps
	for i := range t {
		t[i] = computeProps(punctStart + rune(i))
	}
	return &t
}()

// propsOf returns the properties of r.
func propsOf(r rune) runeProps {
	if uint32(r) < tableLimit {
		return lowTable[r]
	}
	return otherProps(r)
}

func otherProps(r rune) runeProps {
	if r >= punctStart && r < punctLimit {
		return punctTable[r-punctStart]
	}
	return computeProps(r)
}

func computeProps(r rune) runeProps {
	p := runeProps{fold: foldRune(r)}
	if unicode.IsLetter(r) {
		p.flags |= flagLetter
	}
	if unicode.IsUpper(r) || unicode.IsTitle(r) {
		p.flags |= flagUpper
	}
	if unicode.IsLower(r) {
		p.flags |= flagLower
	}
	if unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
		p.flags |= flagMark
	}
	if unicode.IsDigit(r) {
		p.flags |= flagDigit
	}
	if unicode.Is(unicode.Cf, r) {
		p.flags |= flagFormat
	} else if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) {
		p.flags |= flagSpace
	}
	if unicode.Is(unicode.Cyrillic, r) {
		p.flags |= flagCyrillic
	}
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
		p.flags |= flagLatin
	}
	// Inert: NFKC leaves the character alone and it never combines with the one before, so
	// text made only of inert characters is already NFKC. The numero sign is kept on purpose
	// (see nfkc).
	if r == numeroSign || norm.NFKC.String(string(r)) == string(r) &&
		norm.NFKC.PropertiesString(string(r)).BoundaryBefore() && p.flags&flagMark == 0 {
		p.flags |= flagNFKCInert
	}
	if p.fold == r {
		p.flags |= flagFoldSelf
	}
	if strings.ContainsRune("әғқңөұүһі", p.fold) {
		p.flags |= flagKazakh
	}
	if t, ok := cyrillicLatin[p.fold]; ok {
		p.translit = uint8(slices.Index(translits, t))
	} else if t, ok := latinExtra[p.fold]; ok {
		p.translit = uint8(slices.Index(translits, t))
	}
	return p
}

func (p runeProps) is(f runeFlags) bool { return p.flags&f != 0 }

// decodeRune decodes the character at s[i] like utf8.DecodeRuneInString, with a fast path
// for the one- and two-byte characters (ASCII, Latin, Cyrillic) that make up most text.
func decodeRune(s string, i int) (rune, int) {
	if b := s[i]; b < utf8.RuneSelf {
		return rune(b), 1
	} else if b >= 0xC2 && b < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(b&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}

// foldRune returns the lower case of the smallest rune in r's case-folding orbit.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return unicode.ToLower(least)
}
