package privacy

import "testing"

func BenchmarkPartValid(b *testing.B) {
	for b.Loop() {
		_ = isPlain(benchSummary)
	}
}
func BenchmarkPartLinks(b *testing.B) {
	var sp []span
	for b.Loop() {
		sp = findLinkSpans(sp[:0], benchSummary)
		_ = replaceSpans(benchSummary, sp)
	}
}
func BenchmarkPartTokenize(b *testing.B) {
	b.ReportAllocs()
	var tz tokenizer
	for b.Loop() {
		tz.tokenize(benchSummary)
	}
}
func BenchmarkPartNames(b *testing.B) {
	b.ReportAllocs()
	r := new(redactor)
	for b.Loop() {
		r.parseNames([]string{"Ахметова Айгерим Серикқызы"})
	}
}
func BenchmarkPartMark(b *testing.B) {
	r := new(redactor)
	r.parseNames([]string{"Ахметова Айгерим Серикқызы"})
	s := replaceSpans(benchSummary, findLinkSpans(nil, benchSummary))
	for b.Loop() {
		r.load(s)
		r.markKeywordNumbers()
		r.markDates()
		r.markAddresses()
		r.markDigitGroups()
		r.markNames()
		r.output()
	}
}

func BenchmarkPartDetect(b *testing.B) {
	r := new(redactor)
	r.parseNames([]string{"Ахметова Айгерим Серикқызы"})
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
