package privacy

import "unicode/utf8"

// A word's skeleton is the key that name matching compares: the word in lower case,
// transliterated to plain Latin letters with the distinctions that spellings of one name
// disagree on removed. "Ахметова", "AKHMETOVA" and "Ахметова" typed with Latin look-alike
// letters all have the skeleton "ahmetova"; Kazakh letters fold to their Russian neighbours
// (Нұрлан = Нурлан = Nurlan). Collisions between different words only cause
// over-redaction; the skeleton is never shown to anyone.
//
// Steps: (1) in a word mixing Cyrillic and Latin letters, Latin look-alikes become Cyrillic
// (a homoglyph disguise); (2) each letter is lower-cased and transliterated; combining marks
// are dropped; letters of other scripts are kept as they are; (3) Latin spelling variants
// are unified: kh→h, dzh→zh, ph→f, shch→sh, c→k (but ch stays), x→ks, y→i, j→zh, q→k, w→v;
// (4) doubled letters are collapsed (Мария→maria, Анна→ana).

// cyrillicLatin transliterates lower-case Cyrillic letters, Kazakh and Kyrgyz ones included.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh",
	'ъ': "", 'ы': "i", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i",
	'ў': "u", 'ї': "i", 'є': "e", 'ј': "j",
}

// basicCyrillicLatin is cyrillicLatin for а–я, indexed by the rune minus 'а'.
var basicCyrillicLatin = func() (t [32]string) {
	for r := 'а'; r <= 'я'; r++ {
		t[r-'а'] = cyrillicLatin[r]
	}
	return t
}()

// latinExtra transliterates lower-case Latin letters with diacritics (Kazakh and Turkic
// Latin alphabets, and the usual European ones).
var latinExtra = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ā': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ē': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ı': "i", 'ī': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ō': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ý': "i", 'ÿ': "i",
	'ñ': "n", 'ń': "n", 'ç': "ch", 'č': "ch", 'ş': "sh", 'š': "sh", 'ș': "sh", 'ž': "zh",
	'ğ': "g", 'ǵ': "g",
}

// latinLookalikes maps lower-case Latin letters that look like Cyrillic ones.
var latinLookalikes = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'i': 'і', 'k': 'к', 'm': 'м',
	'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
}

// appendSkeleton appends the skeleton of word to dst. mixed says that the word has both
// Cyrillic and Latin letters.
func appendSkeleton(dst []byte, word string, mixed bool) []byte {
	var scratch [64]byte
	lat := scratch[:0]
	for i := 0; i < len(word); {
		// Fast path for lower-case Latin a–z and Cyrillic а–я (U+0430–U+044F).
		if b0 := word[i]; b0 >= 'a' && b0 <= 'z' && !mixed {
			lat = append(lat, b0)
			i++
			continue
		} else if i+1 < len(word) && (b0 == 0xD0 && word[i+1] >= 0xB0 && word[i+1] <= 0xBF || b0 == 0xD1 && word[i+1] >= 0x80 && word[i+1] <= 0x8F) {
			r := rune(b0&0x1F)<<6 | rune(word[i+1]&0x3F)
			lat = append(lat, basicCyrillicLatin[r-0x430]...)
			i += 2
			continue
		}
		r, size := decodeRune(word, i)
		i += size
		var p runeProps
		if uint32(r) < tableLimit {
			p = lowTable[r] // propsOf by hand in a hot loop
		} else {
			p = otherProps(r)
		}
		if p.is(flagMark) {
			continue
		}
		if mixed && p.is(flagLatin) {
			if c, ok := latinLookalikes[p.fold]; ok {
				p = propsOf(c)
			}
		}
		if p.translit == 0 { // a letter without a transliteration of its own
			lat = utf8.AppendRune(lat, p.fold)
		} else {
			lat = append(lat, translits[p.translit]...)
		}
	}
	return appendSkeletonOf(dst, lat)
}

// appendSkeletonOf appends the skeleton of a word already transliterated letter by letter
// (steps 3 and 4 above).
func appendSkeletonOf(dst []byte, lat []byte) []byte {
	start := len(dst)
	// push appends an ASCII letter unless it doubles the previous one.
	push := func(b byte) {
		if len(dst) == start || dst[len(dst)-1] != b {
			dst = append(dst, b)
		}
	}
	for i := 0; i < len(lat); i++ {
		switch b := lat[i]; b {
		case 's':
			if hasPrefix(lat[i:], "shch") {
				push('s')
				push('h')
				i += 3
				continue
			}
			push('s')
		case 'd':
			if hasPrefix(lat[i:], "dzh") {
				push('z')
				push('h')
				i += 2
				continue
			}
			push('d')
		case 'k':
			if hasPrefix(lat[i:], "kh") {
				push('h')
				i++
				continue
			}
			push('k')
		case 'p':
			if hasPrefix(lat[i:], "ph") {
				push('f')
				i++
				continue
			}
			push('p')
		case 'c':
			if hasPrefix(lat[i:], "ch") {
				push('c')
				push('h')
				i++
				continue
			}
			push('k')
		case 'q':
			push('k')
		case 'x':
			push('k')
			push('s')
		case 'y':
			push('i')
		case 'j':
			push('z')
			push('h')
		case 'w':
			push('v')
		default:
			if b < utf8.RuneSelf {
				push(b)
			} else {
				dst = append(dst, b) // a byte of a letter of another script, kept as is
			}
		}
	}
	return dst
}

// skeletonClass groups the bytes a skeleton can start with so that a word's class can be
// told from the transliteration of its first letter alone, before its skeleton is made:
// steps 3 and 4 only ever turn a first byte into another of its class (c→k, kh→h, ph→f,
// dzh→zh, j→zh, y→i, w→v, x→ks). Name matching uses it to skip the words that cannot
// start like any name.
func skeletonClass(b byte) byte {
	switch b {
	case 'c', 'q', 'x', 'h':
		return 'k'
	case 'f':
		return 'p'
	case 'z', 'j':
		return 'd'
	case 'y':
		return 'i'
	case 'w':
		return 'v'
	}
	return b
}

// skeleton returns the skeleton of word as a string.
func skeleton(word string) string {
	return string(appendSkeleton(nil, word, hasCyrillic(word) && hasLatin(word)))
}

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if propsOf(r).is(flagCyrillic) {
			return true
		}
	}
	return false
}

func hasLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i] | 0x20; b >= 'a' && b <= 'z' {
			return true
		}
	}
	return false
}
