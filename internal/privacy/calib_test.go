package privacy

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func BenchmarkCalibToLower(b *testing.B) {
	for b.Loop() {
		_ = strings.ToLower(benchSummary)
	}
}
func BenchmarkCalibRange(b *testing.B) {
	n := 0
	for b.Loop() {
		for _, r := range benchSummary {
			n += int(r)
		}
	}
	_ = n
}
func BenchmarkCalibDecode(b *testing.B) {
	n := 0
	for b.Loop() {
		s := benchSummary
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			n += int(propsOf(r).flags)
			i += size
		}
	}
	_ = n
}
