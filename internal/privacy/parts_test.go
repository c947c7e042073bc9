package privacy

import "testing"

func BenchmarkPartLinks(b *testing.B) {
	var sp []span
	for b.Loop() {
		sp = findLinkSpans(sp[:0], benchSummary)
		_ = replaceSpans(benchSummary, sp)
	}
}
func BenchmarkPartTokenize(b *testing.B) {
	var tz tokenizer
	for b.Loop() {
		tz.tokenize(benchSummary)
	}
}
func BenchmarkPartNames(b *testing.B) {
	r := new(redactor)
	for b.Loop() {
		r.parseNames([]string{benchName})
	}
}
func BenchmarkPartDetect(b *testing.B) {
	r := new(redactor)
	r.parseNames([]string{benchName})
	s := replaceSpans(benchSummary, findLinkSpans(nil, benchSummary))
	r.load(s)
	for b.Loop() {
		clear(r.marks)
		r.markKeywordNumbers()
		r.markDates()
		r.markAddresses()
		r.markDigitGroups()
		r.markNames()
		r.output()
	}
}
func BenchmarkPartSkeletons(b *testing.B) {
	r := new(redactor)
	r.parseNames([]string{benchName})
	s := replaceSpans(benchSummary, findLinkSpans(nil, benchSummary))
	r.load(s)
	for b.Loop() {
		r.makeSkeletons()
	}
}
