package privacy

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeText(t *testing.T) {
	tests := map[string]string{
		"Иванов":               "Иванов",
		"  a \t b\n\nc  ":      "a b c",
		"a\u00a0b\u2003c":      "a b c",
		"Ива\u200bнов":         "Иванов",
		"Ива\u00adнов":         "Иванов",
		"\u202eвонави":         "вонави",
		"９００１":                 "9001",
		"ﬁle":                  "file",
		"e\u0301":              "é",
		"e\u200b\u0301":        "é", // the removed format character no longer separates them
		"№ 5, №5":              "№ 5, №5",
		"x\u2028y\u0000z":      "x y z",
		"":                     "",
		"«кавычки» — тире …":   "«кавычки» — тире ...",
		"ИИН\uFEFF900101":      "ИИН900101",
		"Ахметова\u0301 Ә ғ ү": "Ахметова\u0301 Ә ғ ү",
	}
	for in, want := range tests {
		if got := normalizeText(in); got != want {
			t.Errorf("normalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// isPlain's fast path treats the two-byte characters U+0400–U+047F as inert letters.
func TestBasicCyrillicIsInert(t *testing.T) {
	for r := rune(0x400); r < 0x480; r++ {
		p := propsOf(r)
		if !p.is(flagNFKCInert) || p.is(flagSpace|flagFormat|flagMark) || !p.is(flagLetter) {
			t.Errorf("%U: flags %b", r, p.flags)
		}
	}
}

func TestPropsTablesMatchComputed(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		if got, want := propsOf(r), computeProps(r); got != want {
			t.Fatalf("%U: table %+v, computed %+v", r, got, want)
		}
	}
	// Inert characters really are left alone by NFKC, alone and after a letter.
	for r := rune(0); r < tableLimit; r++ {
		if propsOf(r).is(flagNFKCInert) && r != numeroSign {
			s := "a" + string(r)
			if !norm.NFKC.IsNormalString(s) {
				t.Errorf("%U marked inert but NFKC changes %q", r, s)
			}
		}
	}
}

// appendSkeleton's fast paths must give what the general path gives.
func TestSkeletonFastPaths(t *testing.T) {
	reference := func(word string) string {
		var lat []byte
		for _, r := range word {
			p := propsOf(r)
			if p.is(flagMark) {
				continue
			}
			if p.translit == 0 {
				lat = utf8.AppendRune(lat, p.fold)
			} else {
				lat = append(lat, translits[p.translit]...)
			}
		}
		return string(appendSkeletonOf(nil, lat))
	}
	words := []string{"абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
		"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "әғқңөұүһі", "Ахметовқа", "Akhmetova",
		"Щукин", "Джамиля", "Xenia", "Мари\u0301я"}
	for _, w := range words {
		if got, want := skeleton(w), reference(w); got != want {
			t.Errorf("skeleton(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestSkeletonUnifiesSpellings(t *testing.T) {
	for skel, spellings := range map[string][]string{
		"ahmetova": {"Ахметова", "AKHMETOVA", "Akhmetova", "Ахмeтова" /* Latin e */},
		"nurlan":   {"Нұрлан", "Нурлан", "Nurlan", "Nūrlan"},
		"aleksei":  {"Алексей", "Aleksey", "Alexei", "Aleksei"},
		"maria":    {"Мария", "Maria", "Mariya"},
		"zhanar":   {"Жанар", "Zhanar", "Janar"},
		"kairat":   {"Қайрат", "Кайрат", "Qairat", "Kairat"},
	} {
		for _, s := range spellings {
			if got := skeleton(s); got != skel {
				t.Errorf("skeleton(%q) = %q, want %q", s, got, skel)
			}
		}
	}
}
