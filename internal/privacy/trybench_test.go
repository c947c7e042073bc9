package privacy

import "testing"

var benchSummary = "Публикация в Instagram с непроверенными сведениями о паводке в регионе; автор Ахметова Айгерим Серикқызы, тел. +7 701 123 45 67, ссылка https://instagram.com/p/Cx12abc. Суд оштрафовал её на 20 МРП по ст. 456-2 КоАП, дело № 2-1234/2024."

func BenchmarkTry(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchSummary)))
	for b.Loop() {
		Redact(benchSummary, "Ахметова Айгерим Серикқызы")
	}
}
