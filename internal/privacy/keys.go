package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/casewatch/casewatch/internal/model"
)

// Keys holds the HMAC keys derived from CASEWATCH_SECRET, one per purpose, so that a value
// hashed for one purpose can never be matched against a hash made for another (a source key
// is not a pseudonym). The secret itself is not kept. A Keys is safe for concurrent use.
type Keys struct {
	source    *macPool
	pseudonym *macPool
}

// NewKeys derives the purpose keys from secret. An empty secret would make every hash
// guessable by anyone, so it is a programming error and NewKeys panics.
func NewKeys(secret []byte) *Keys {
	if len(secret) == 0 {
		panic("privacy: NewKeys needs a non-empty secret")
	}
	return &Keys{
		source:    newMACPool(mac(secret, "casewatch source key v1")),
		pseudonym: newMACPool(mac(secret, "casewatch pseudonym key v1")),
	}
}

func mac(key []byte, parts ...string) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}

// macPool reuses HMAC states of one key: setting up an HMAC costs more than hashing the
// short values the import hashes, once per row.
type macPool struct{ pool sync.Pool }

func newMACPool(key []byte) *macPool {
	return &macPool{pool: sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}}
}

// hexSum returns the hex HMAC of the concatenated parts.
func (p *macPool) hexSum(parts ...string) string {
	h := p.pool.Get().(hash.Hash)
	h.Reset()
	for _, part := range parts {
		io.WriteString(h, part)
	}
	var sum [sha256.Size]byte
	out := hex.EncodeToString(h.Sum(sum[:0]))
	p.pool.Put(h)
	return out
}

// SourceKey returns the key under which a row of jurisdiction j with the given source id is
// stored: hex HMAC-SHA256 of the jurisdiction and the normalised id. Re-imports find their
// row by it; the raw id (which may be a court or police number) is never stored.
// Normalisation: trim, NFKC, inner whitespace collapsed to one space, upper case, so that
// "ab-12 " and "AB-12" are the same row. An id that is empty after normalisation gives ""
// (the importer rejects such rows).
func (k *Keys) SourceKey(j model.Jurisdiction, sourceID string) string {
	id := NormalizeSourceID(sourceID)
	if id == "" {
		return ""
	}
	// Jurisdiction codes never contain NUL, so the separator keeps the message unambiguous.
	return k.source.hexSum(string(j), "\x00", id)
}

// NormalizeSourceID is the normalisation SourceKey applies to a source id.
func NormalizeSourceID(s string) string {
	s = norm.NFKC.String(s)
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}

// Pseudonym returns the defendant's pseudonym for repeat-defendant statistics, hex
// HMAC-SHA256 of:
//   - the IIN or Kyrgyz PIN, digits only, when iin holds a valid IIN (ValidIIN) or a
//     structurally valid PIN (ValidKGPIN);
//   - otherwise the normalised full name together with the birth date, when both are
//     present and the date is a valid YYYY-MM-DD (a name alone would merge namesakes);
//
// and ok is false when neither is available. The two kinds of input are hashed with
// different prefixes, so they never collide; the same person recorded once with an IIN and
// once without gets two pseudonyms. Pseudonyms are internal: never in an API answer.
func (k *Keys) Pseudonym(iin, name, birthDate string) (string, bool) {
	if digits := digitsOnly(iin); ValidIIN(digits) || ValidKGPIN(digits) {
		return k.pseudonym.hexSum("id\x00", digits), true
	}
	normName := NormalizePersonName(name)
	birth := strings.TrimSpace(birthDate)
	if _, _, _, ok := parseDate(birth); normName == "" || !ok {
		return "", false
	}
	return k.pseudonym.hexSum("name\x00", normName, "\x00", birth), true
}

// digitsOnly keeps the ASCII digits of s after NFKC (which turns full-width digits into
// ASCII ones).
func digitsOnly(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// NormalizePersonName is the name normalisation of Pseudonym: NFKC, lower case, ё→е, letters
// only (anything else separates words), words sorted and joined by one space, so that
// "Иванов Иван" and "иван  ИВАНОВ" are the same name.
func NormalizePersonName(name string) string {
	name = strings.ToLower(norm.NFKC.String(name))
	name = strings.ReplaceAll(name, "ё", "е")
	words := strings.FieldsFunc(name, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r)
	})
	slices.Sort(words)
	return strings.Join(words, " ")
}
