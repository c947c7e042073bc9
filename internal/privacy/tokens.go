package privacy

import (
	"strings"
	"unicode/utf8"
)

// The text is cut into tokens: words (letters and combining marks), numbers (digits of any
// script), single punctuation characters, and the replacement tokens themselves ("[NAME]"),
// which are kept as one unit so that already redacted text passes through unchanged. The
// text is normalised to single spaces, so a space is not a token but a flag on the token
// after it. A word is also cut where a lower-case letter is followed by an upper-case one
// ("ИвановИван", "ivanIvanov"), so that glued words are still matched.
//
// Each character is decoded once; a word's case-folded form is written out only when it
// differs from the word. Its entry in the vocabulary (vocab.go) is looked up when a detector
// first asks (redactor.has), since most words are never asked about.
// Skeletons are made later, only for the words name matching looks at (names.go).

type tokenKind uint8

const (
	tokWord tokenKind = iota + 1
	tokNumber
	tokPunct
	tokReplaced // an existing "[NAME]"-style token
)

type token struct {
	start, end int32 // bytes of the text
	// For words: the case-folded form (runes.go) is info[foldStart:foldEnd], or the word
	// itself when foldIsText.
	foldStart, foldEnd int32
	runes              int32      // number of letters
	vocab              vocabClass // valid when vocabKnown
	kind               tokenKind
	punct              byte // for one-byte punctuation, the character
	first              byte // first byte of the word's transliteration (0: unknown), see skeletonClass
	spaced             bool // a space comes before the token
	foldIsText         bool // the word is already case-folded
	capital            bool // the first letter is upper or title case
	allCaps            bool // every cased letter is upper case
	mixed              bool // the word mixes Cyrillic and Latin letters
	kazakh             bool // the word has a letter of the Kazakh alphabet not in Russian's
	vocabKnown         bool
}

// tokenizer holds the buffers of tokenize, reused from one text to the next.
type tokenizer struct {
	toks []token
	buf  []byte // folded forms, becomes info
}

// tokenize cuts s into tokens and writes the case-folded forms that differ from their words
// into one string, info, that the tokens point into. The tokens are valid until the next
// call.
func (tz *tokenizer) tokenize(s string) (toks []token, info string) {
	toks, buf := tz.toks[:0], tz.buf[:0]
	spaced := false
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			spaced = true
			i++
			continue
		}
		r, size := decodeRune(s, i)
		p := propsOf(r)
		t := token{start: int32(i), spaced: spaced}
		spaced = false
		switch {
		case r == '[' && replacedTokenLen(s[i:]) > 0:
			t.kind = tokReplaced
			t.end = int32(i + replacedTokenLen(s[i:]))
		case p.is(flagDigit):
			j := i + size
			for j < len(s) {
				r, size := decodeRune(s, j)
				if !propsOf(r).is(flagDigit) {
					break
				}
				j += size
			}
			t.kind, t.end = tokNumber, int32(j)
		case p.is(flagLetter | flagMark):
			buf = readWord(&t, s, buf)
		default:
			t.kind, t.end = tokPunct, int32(i+size)
			if size == 1 {
				t.punct = s[i]
			}
		}
		toks = append(toks, t)
		i = int(t.end)
	}
	tz.toks, tz.buf = toks, buf
	return toks, string(buf)
}

// readWord reads the word starting at s[t.start] into t.
func readWord(t *token, s string, buf []byte) []byte {
	i := int(t.start)
	t.kind = tokWord
	t.foldIsText = true
	cased, upper := 0, 0
	cyrillic, latin := false, false
	prevLower := false
	j := i
	for j < len(s) {
		// Fast path for the most common letters, lower-case Latin a–z and Cyrillic а–я, after
		// the first: letters, lower case, their own folded form, no mark.
		if j > i {
			n := 0
			if b0 := s[j]; b0 >= 'a' && b0 <= 'z' {
				n, latin = 1, true
			} else if j+1 < len(s) && (b0 == 0xD0 && s[j+1] >= 0xB0 && s[j+1] <= 0xBF || b0 == 0xD1 && s[j+1] >= 0x80 && s[j+1] <= 0x8F) {
				n, cyrillic = 2, true
			}
			if n > 0 {
				t.runes++
				cased++
				prevLower = true
				if !t.foldIsText {
					buf = append(buf, s[j:j+n]...)
				}
				j += n
				continue
			}
		}
		r, size := decodeRune(s, j)
		var p runeProps
		if uint32(r) < tableLimit {
			p = lowTable[r] // propsOf by hand: this loop is the hottest of Redact
		} else {
			p = otherProps(r)
		}
		if !p.is(flagLetter|flagMark) || prevLower && p.is(flagUpper) {
			break
		}
		if j == i {
			t.capital = p.is(flagUpper)
			if !p.is(flagMark) {
				t.first = firstTranslitByte(p)
			}
		}
		prevLower = p.is(flagLower)
		if p.is(flagLetter) {
			t.runes++
		}
		if p.is(flagUpper) {
			cased++
			upper++
		} else if p.is(flagLower) {
			cased++
		}
		cyrillic = cyrillic || p.is(flagCyrillic)
		latin = latin || p.is(flagLatin)
		t.kazakh = t.kazakh || p.is(flagKazakh)
		// The folded form is written out only from the first letter that changes.
		if t.foldIsText && !p.is(flagFoldSelf) {
			t.foldIsText = false
			t.foldStart = int32(len(buf))
			buf = append(buf, s[i:j]...)
		}
		if !t.foldIsText {
			buf = utf8.AppendRune(buf, p.fold)
		}
		j += size
	}
	t.end = int32(j)
	t.allCaps = cased > 0 && upper == cased
	t.mixed = cyrillic && latin
	if t.mixed {
		t.first = 0 // look-alikes change the transliteration: unknown
	}
	if !t.foldIsText {
		t.foldEnd = int32(len(buf))
	}
	return buf
}

// replacedTokenLen returns the length of the replacement token at the start of s, or 0.
func replacedTokenLen(s string) int {
	// Look only as far as the longest token, so that many '[' cost linear time.
	end := strings.IndexByte(s[:min(len(s), len(TokenAddress))], ']')
	if end < 2 {
		return 0
	}
	if _, ok := kindByName[s[1:end]]; !ok {
		return 0
	}
	return end + 1
}
