package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/casewatch/casewatch/internal/model"
)

// crockford is Crockford's base32 alphabet: digits and letters without I, L, O and U, so
// that a reference read aloud or retyped cannot be mistaken.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// reference draws a public reference such as "KZ-2024-7Q3M2C": jurisdiction, year reported
// and six random base32 characters (30 bits). It redraws until the reference is new.
func (g *caseGenerator) reference(j model.Jurisdiction, year int) string {
	for {
		code := g.rng.Uint32() >> 2 // 30 bits
		// The key packs year, jurisdiction and code, so the set holds small integers
		// rather than a million strings.
		key := uint64(year)<<32 | uint64(code)<<1
		if j == model.JurisdictionKG {
			key |= 1
		}
		if _, taken := g.references[key]; taken {
			continue
		}
		g.references[key] = struct{}{}
		var buf [16]byte
		b := append(buf[:0], j...)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(year), 10)
		b = append(b, '-')
		for shift := 25; shift >= 0; shift -= 5 {
			b = append(b, crockford[code>>shift&31])
		}
		return string(b)
	}
}

// hash returns the hex SHA-256 of prefix, the seed and n: a synthetic stand-in for the
// keyed hashes of real records (source keys and pseudonyms). The seed keeps the hashes of
// two demo seeds apart.
func (g *caseGenerator) hash(prefix string, n int) string {
	b := append(g.hashInput[:0], prefix...)
	b = strconv.AppendUint(b, g.seed, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(n), 10)
	g.hashInput = b
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
