package privacy

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The tokens that replace identifiers in redacted text.
const (
	TokenIIN     = "[IIN]"     // Kazakh IIN/BIN, Kyrgyz PIN, any number after "ИИН", "ПИН"…
	TokenPhone   = "[PHONE]"   // phone numbers
	TokenEmail   = "[EMAIL]"   // e-mail addresses
	TokenLink    = "[LINK]"    // URLs and domain names
	TokenHandle  = "[HANDLE]"  // @handles
	TokenCard    = "[CARD]"    // 13–19 digit numbers
	TokenName    = "[NAME]"    // personal names
	TokenNumber  = "[NUMBER]"  // any other number of 5+ digits, case and court numbers
	TokenAddress = "[ADDRESS]" // street addresses, houses, flats
	TokenDate    = "[DATE]"    // full dates
	TokenPlate   = "[PLATE]"   // car number plates
	TokenAge     = "[AGE]"     // a person's age in years
)

// kind is the kind of identifier a token stands for; 0 means "not an identifier".
type kind uint8

const (
	kindNone kind = iota
	kindIIN
	kindPhone
	kindEmail
	kindLink
	kindHandle
	kindCard
	kindName
	kindNumber
	kindAddress
	kindDate
	kindPlate
	kindAge
	kindCount // one past the last kind
)

var kindTokens = [...]string{
	kindIIN: TokenIIN, kindPhone: TokenPhone, kindEmail: TokenEmail, kindLink: TokenLink,
	kindHandle: TokenHandle, kindCard: TokenCard, kindName: TokenName, kindNumber: TokenNumber,
	kindAddress: TokenAddress, kindDate: TokenDate, kindPlate: TokenPlate, kindAge: TokenAge,
}

func (k kind) token() string { return kindTokens[k] }

// kindByName finds the kind of an existing token by the name between its brackets.
var kindByName = func() map[string]kind {
	m := map[string]kind{}
	for k := kindIIN; k < kindCount; k++ {
		t := k.token()
		m[t[1:len(t)-1]] = k
	}
	return m
}()

// Limits that keep Redact's time and memory bounded whatever it is given. Longer input is
// not a summary: Redact publishes nothing rather than spend unbounded work on it.
const (
	MaxRedactBytes = 64 << 10 // longest text Redact processes
	maxNameBytes   = 1 << 10  // longest total of names
	maxNameWords   = 32       // most name words
)

// Redact replaces the identifiers in text with tokens ([IIN], [PHONE], [EMAIL], [LINK],
// [HANDLE], [CARD], [NAME], [NUMBER], [ADDRESS], [DATE], [PLATE], [AGE]) and says whether
// what remains may be published. names are the record's own defendant name, whole or in parts, in any order and
// case; their declined Russian and Kazakh forms are replaced too.
//
// publishable is false when too little text remains — empty, fewer than 3 words outside
// tokens, or more tokens than other words — and when the input is not valid UTF-8, is
// longer than MaxRedactBytes, or the names are implausibly long. The caller then publishes
// no summary at all and must not store redacted either; for invalid or oversized input,
// redacted is "".
//
// White space is normalised (runs become one space) and the text is NFKC-normalised, so the
// output may differ from the input in more than the tokens. Redact never panics, and its
// time and memory are linear in the length of its input.
func Redact(text string, names ...string) (redacted string, publishable bool) {
	if len(text) > MaxRedactBytes || !utf8.ValidString(text) {
		return "", false
	}
	r := redactorPool.Get().(*redactor)
	defer r.release()
	if !r.parseNames(names) {
		return "", false
	}
	s := normalizeText(text)
	r.spans = findLinkSpans(r.spans[:0], s)
	r.spans = findObfuscatedSpans(r.spans, s)
	s = replaceSpans(s, r.spans)

	r.load(s)
	r.markCueHandles()
	r.markKeywordNumbers()
	r.markPlates()
	r.markDates()
	r.markAges()
	r.markAddresses()
	r.markDigitGroups()
	r.markNames()
	out, words, tokens := r.output()
	return out, words >= 3 && tokens <= words
}

// redactor holds the tokens of one text and what each has been marked as. Detectors run in a
// fixed order and never re-mark a token, so the earlier, more specific rule names it.
// Redactors are pooled: their buffers are reused by the next call.
type redactor struct {
	text  string
	toks  []token
	info  string // case-folded forms of the words (tokens.go)
	marks []kind
	// skels holds the skeletons of the words, made by markNames (skelOf[i] indexes it).
	skels   string
	skelOf  [][2]int32
	skelBuf []byte
	names   []nameWord
	stems   []string // the stems of all names (nameWord.stems are slices of it)
	spans   []span
	tz      tokenizer
}

var redactorPool = sync.Pool{New: func() any { return new(redactor) }}

// release returns r to the pool unless a long text made its buffers large.
func (r *redactor) release() {
	if cap(r.tz.toks) > 4096 || cap(r.tz.buf) > 16<<10 || cap(r.skelBuf) > 16<<10 {
		return
	}
	r.text, r.info, r.skels = "", "", ""
	clear(r.names) // drop references to the last call's strings
	clear(r.stems)
	redactorPool.Put(r)
}

// load tokenizes s.
func (r *redactor) load(s string) {
	r.text = s
	r.toks, r.info = r.tz.tokenize(s)
	r.marks = slices.Grow(r.marks[:0], len(r.toks))[:len(r.toks)]
	clear(r.marks)
	r.skels = ""
}

// Accessors. Indexes out of range are answered as "nothing there", so that detectors can
// look ahead and behind without bounds checks of their own.

func (r *redactor) kindAt(i int) tokenKind {
	if uint(i) >= uint(len(r.toks)) {
		return 0
	}
	return r.toks[i].kind
}

func (r *redactor) str(i int) string { return r.text[r.toks[i].start:r.toks[i].end] }

// fold returns the case-folded form of word i.
func (r *redactor) fold(i int) string {
	if t := &r.toks[i]; t.foldIsText {
		return r.text[t.start:t.end]
	}
	return r.info[r.toks[i].foldStart:r.toks[i].foldEnd]
}

// skel returns the skeleton of word i (after markNames has made them).
func (r *redactor) skel(i int) string { return r.skels[r.skelOf[i][0]:r.skelOf[i][1]] }

// free reports whether token i exists and is not marked yet.
func (r *redactor) free(i int) bool {
	return uint(i) < uint(len(r.toks)) && r.marks[i] == kindNone && r.toks[i].kind != tokReplaced
}

func (r *redactor) isWord(i int) bool   { return r.kindAt(i) == tokWord }
func (r *redactor) isNumber(i int) bool { return r.kindAt(i) == tokNumber }

// spaced reports whether token i exists and has a space before it; joined, that it exists
// and has none.
func (r *redactor) spaced(i int) bool { return r.kindAt(i) != 0 && r.toks[i].spaced }
func (r *redactor) joined(i int) bool { return r.kindAt(i) != 0 && !r.toks[i].spaced }

// isChar reports whether token i is the ASCII punctuation character c.
func (r *redactor) isChar(i int, c byte) bool { return r.kindAt(i) == tokPunct && r.toks[i].punct == c }

// isPunct reports whether token i is one of the punctuation characters in set.
func (r *redactor) isPunct(i int, set string) bool {
	if r.kindAt(i) != tokPunct {
		return false
	}
	if c := r.toks[i].punct; c != 0 {
		return strings.IndexByte(set, c) >= 0 // ASCII: cannot match inside a longer character
	}
	return strings.Contains(set, r.str(i))
}

// has reports whether token i is a word on one of the vocabulary lists in c.
func (r *redactor) has(i int, c vocabClass) bool {
	if !r.isWord(i) {
		return false
	}
	t := &r.toks[i]
	if !t.vocabKnown {
		t.vocab, t.vocabKnown = lookupVocab(r.fold(i)), true
	}
	return t.vocab&c != 0
}

// freeWord reports whether token i is an unmarked word.
func (r *redactor) freeWord(i int) bool { return r.isWord(i) && r.free(i) }

// mark marks tokens [from, to) as k, leaving already marked tokens as they are.
func (r *redactor) mark(from, to int, k kind) {
	for i := max(from, 0); i < to && i < len(r.toks); i++ {
		if r.marks[i] == kindNone && r.toks[i].kind != tokReplaced {
			r.marks[i] = k
		}
	}
}

// kindOf returns what token i has become: its mark, or the kind of an existing token.
func (r *redactor) kindOf(i int) kind {
	if t := &r.toks[i]; t.kind == tokReplaced {
		return kindByName[r.text[t.start+1:t.end-1]]
	}
	return r.marks[i]
}

// output writes the text with marked tokens replaced. A run of tokens of one kind, also
// across spaces or hyphens ("[NAME] [NAME]", "[NAME]-[NAME]"), becomes one token. It counts
// the words and numbers left outside tokens, and the tokens.
func (r *redactor) output() (out string, words, tokens int) {
	var b strings.Builder
	b.Grow(len(r.text))
	for i := 0; i < len(r.toks); {
		t := &r.toks[i]
		if t.spaced {
			b.WriteByte(' ')
		}
		k := r.kindOf(i)
		if k == kindNone {
			if t.kind == tokWord || t.kind == tokNumber {
				words++
			}
			b.WriteString(r.text[t.start:t.end])
			i++
			continue
		}
		tokens++
		b.WriteString(k.token())
		i++
		for i < len(r.toks) {
			if r.kindOf(i) == k {
				i++
			} else if r.isChar(i, '-') && i+1 < len(r.toks) && r.kindOf(i+1) == k {
				i += 2
			} else {
				break
			}
		}
	}
	return b.String(), words, tokens
}
