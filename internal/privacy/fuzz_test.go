package privacy

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzRedact plants identifiers made from the fuzz input into the fuzz input and checks
// that none survives. Invariants, for any input:
//   - Redact does not panic; invalid UTF-8 gives ("", false);
//   - the output is valid UTF-8;
//   - a planted valid IIN, phone number and e-mail address are gone, in every spelling used;
//   - no word of the output equals (ignoring case) a name part of 3+ letters passed in names,
//     nor the planted declined form of the name (a word: a maximal run of letters and
//     combining marks, outside the tokens);
//   - no run of five or more digits survives.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"",
		"Публикация в Instagram с непроверенными сведениями о паводке; автор [NAME].",
		"Иванов Иван Иванович, ИИН 900101300123, тел. +7 (701) 123-45-67",
		"Ахметовтың посты t.me/joinchat/xyz; email ivan.petrov@mail.kz, @ivan_2000",
		"Абай көшесі, 15-үй, 12-пәтер тұрғыны Нұрлан Серікұлы Facebook-та жазды.",
		"Blogger A. Smith posted on www.example.com; call +996 555 123 456.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			if out, ok := Redact(in); out != "" || ok {
				t.Fatalf("invalid UTF-8 accepted: %q", out)
			}
			in = strings.ToValidUTF8(in, "\uFFFD")
		}
		if isPlain(in) && normalizeText(in) != in {
			t.Fatalf("isPlain(%q) but normalizeText changes it to %q", in, normalizeText(in))
		}
		p := plantIdentifiers(in)
		out, _ := Redact(p.text, p.names...)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output %q", out)
		}
		for _, secret := range p.secrets {
			if strings.Contains(out, secret) {
				t.Fatalf("%q survived\n in: %q\nout: %q", secret, p.text, out)
			}
		}
		for _, w := range outputWords(out) {
			for _, name := range p.nameWords {
				if strings.EqualFold(w, name) {
					t.Fatalf("name %q survived as %q\n in: %q\nout: %q", name, w, p.text, out)
				}
			}
		}
		if run := longestDigitRun(out); run >= 5 {
			t.Fatalf("a run of %d digits survived\n in: %q\nout: %q", run, p.text, out)
		}
	})
}

// planted is a fuzz input with identifiers planted in it.
type planted struct {
	text      string
	names     []string // passed to Redact
	nameWords []string // words that must not survive
	secrets   []string // strings that must not survive
}

var fuzzNames = []struct{ name, declined string }{
	{"Ахметова Айгерим", "Ахметовой"},
	{"Иванов Иван Иванович", "Ивановичем"},
	{"Нұрлан Серікұлы", "Нұрланның"},
	{"John Smith", "SMITH"},
	{"Асанов Бакыт Асанбек уулу", "Бакыттын"},
}

// plantIdentifiers derives an IIN, a phone number, an e-mail address and a name from the
// input's hash and inserts them, in one of their usual spellings, at places derived from it.
func plantIdentifiers(in string) planted {
	h := fnv.New64a()
	h.Write([]byte(in))
	x := h.Sum64()
	next := func(n uint64) uint64 { // a small pseudo-random number from the hash
		v := x % n
		x = x/n ^ x<<7 ^ 0x9e3779b97f4a7c15
		return v
	}
	var p planted

	iin := fuzzIIN(next)
	iinSpellings := []string{iin, "ИИН " + iin, "ЖСН: " + iin, iin[:6] + " " + iin[6:],
		iin[:4] + " " + iin[4:8] + " " + iin[8:], iin[:4] + "-" + iin[4:8] + "-" + iin[8:]}
	iinText := iinSpellings[next(uint64(len(iinSpellings)))]

	sub := fmt.Sprintf("%07d", next(10_000_000))
	code := fmt.Sprintf("7%02d", next(100))
	kg := fmt.Sprintf("%03d", 500+next(500))
	phones := []struct{ text, secret string }{
		{"+7 (" + code + ") " + sub[:3] + "-" + sub[3:5] + "-" + sub[5:], sub[:3] + "-" + sub[3:5] + "-" + sub[5:]},
		{"8 " + code + " " + sub, code + " " + sub},
		{"8" + code + sub, code + sub},
		{"+7" + code + sub, code + sub},
		{"+7 " + code + " " + sub[:3] + " " + sub[3:5] + " " + sub[5:], sub[:3] + " " + sub[3:5] + " " + sub[5:]},
		{"+996 " + kg + " " + sub[:3] + " " + sub[3:6], kg + " " + sub[:3] + " " + sub[3:6]},
		{"0" + kg + " " + sub[:3] + " " + sub[3:6], kg + " " + sub[:3] + " " + sub[3:6]},
	}
	phone := phones[next(uint64(len(phones)))]

	email := fmt.Sprintf("user%d.x@mail%d.kz", next(1000), next(100))

	name := fuzzNames[next(uint64(len(fuzzNames)))]
	p.names = []string{name.name}
	p.nameWords = append(strings.Fields(name.name), name.declined)
	// Also a name taken from the input itself: its first run of 3 to 24 letters.
	if w := firstLetterRun(in); w != "" {
		p.names = append(p.names, w)
		p.nameWords = append(p.nameWords, w)
	}
	var kept []string
	for _, w := range p.nameWords {
		if letterCount(w) >= 3 {
			kept = append(kept, w)
		}
	}
	p.nameWords = kept

	p.secrets = []string{iin, iinText, phone.text, phone.secret, email, "@mail"}
	// Insert the plants at places of the input, never inside one another.
	plants := []string{iinText, phone.text, email, name.declined}
	at := make([]int, len(plants))
	for i := range at {
		at[i] = runeBoundary(in, int(next(uint64(len(in)+1))))
	}
	slices.Sort(at)
	var b strings.Builder
	prev := 0
	for i, plant := range plants {
		b.WriteString(in[prev:at[i]])
		b.WriteString(" " + plant + " ")
		prev = at[i]
	}
	b.WriteString(in[prev:])
	p.text = b.String()
	return p
}

// fuzzIIN makes a valid IIN from the hash.
func fuzzIIN(next func(uint64) uint64) string {
	date := fmt.Sprintf("%02d%02d%02d", next(100), 1+next(12), 1+next(28))
	century := byte('3' + next(4))
	serial := int(next(10000))
	for n := 0; ; n++ {
		body := fmt.Sprintf("%s%c%04d", date, century, (serial+n)%10000)
		if check, ok := iinCheck(body); ok {
			return body + string(rune('0'+check))
		}
	}
}

func firstLetterRun(s string) string {
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if w := s[start:i]; goodFuzzName(w) {
				return w
			}
			start = -1
		}
	}
	if start >= 0 && goodFuzzName(s[start:]) {
		return s[start:]
	}
	return ""
}

func goodFuzzName(w string) bool {
	n := letterCount(w)
	return n >= 3 && n <= 24
}

func letterCount(w string) int {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func runeBoundary(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// outputWords returns the maximal runs of letters and marks of s, outside the tokens.
func outputWords(s string) []string {
	for _, tok := range kindTokens[1:] {
		s = strings.ReplaceAll(s, tok, " ")
	}
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

func longestDigitRun(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if propsOf(r).is(flagDigit) {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// isWordRune: the characters of words, as the tokenizer reads them.
func isWordRune(r rune) bool { return propsOf(r).is(flagLetter | flagMark) }
