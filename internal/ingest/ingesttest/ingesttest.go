// Package ingesttest makes raw import records full of made-up identifiers, for the tests
// that check none of them comes out anywhere.
package ingesttest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"testing"
)

// Header is the full header of the import format.
var Header = []string{"source_id", "jurisdiction", "region", "reported_on", "platform", "content_category",
	"content_excerpt", "expert_conclusion", "expert_on", "article", "case_opened_on", "prosecutor_decision",
	"prosecutor_on", "court_decision", "court_on", "sanction", "fine_amount", "fine_index_units",
	"defendant_kind", "defendant_gender", "defendant_name", "defendant_iin", "defendant_birth_date",
	"defendant_phone", "defendant_address", "appeal_filed_on", "appeal_filed_by", "appeal_status",
	"appeal_decided_on", "appeal_fine_amount", "cassation_filed_on", "cassation_filed_by",
	"cassation_status", "cassation_decided_on", "cassation_fine_amount"}

// ValidIIN makes a valid, made-up IIN: birth date, century digit, serial, checksum.
func ValidIIN(rng *rand.Rand) string {
	for {
		s := fmt.Sprintf("%02d%02d%02d%d%04d", rng.IntN(100), 1+rng.IntN(12), 1+rng.IntN(28), 3+rng.IntN(4), rng.IntN(10000))
		w1 := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
		w2 := []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
		sum := func(w []int) int {
			t := 0
			for i, c := range s {
				t += int(c-'0') * w[i]
			}
			return t % 11
		}
		d := sum(w1)
		if d == 10 {
			d = sum(w2)
		}
		if d != 10 {
			return s + fmt.Sprint(d)
		}
	}
}

// Planted are identifiers a test writes into raw records; none may come out anywhere.
type Planted struct{ Values []string }

func (p *Planted) add(v string) string { p.Values = append(p.Values, v); return v }

var (
	surnames = []string{"Жумабаев", "Сейткали", "Иванова", "Нурланов", "Ахметова", "Кенжебеков"}
	given    = []string{"Асхат", "Айгерим", "Дмитрий", "Гульнара", "Ерлан", "Мадина"}
)

// RawRecords makes n raw records full of identifiers, in every free field.
func RawRecords(rng *rand.Rand, n int, p *Planted) [][]string {
	var rows [][]string
	for i := range n {
		surname, name := surnames[rng.IntN(len(surnames))], given[rng.IntN(len(given))]
		full := p.add(surname+" "+name) + " " + name[:2] + "ович"
		iin := p.add(ValidIIN(rng))
		phone := p.add(fmt.Sprintf("+7 701 %03d %02d %02d", rng.IntN(1000), rng.IntN(100), rng.IntN(100)))
		email := p.add(fmt.Sprintf("user%d@example.kz", 1000+i))
		handle := p.add(fmt.Sprintf("@blogger_%d", 1000+i))
		link := p.add(fmt.Sprintf("https://t.me/channel%d/%d", 1000+i, 500+i))
		excerpt := fmt.Sprintf("Пост %s в Telegram о паводке: автор %s, тел. %s, ИИН %s, почта %s, ссылка %s. Гражданину %sу вынесено предупреждение.",
			handle, full, phone, iin, email, link, surname)
		row := map[string]string{
			"source_id": p.add(fmt.Sprintf("MVD-%06d-%d", 100000+i, 2024)), "jurisdiction": "kz", "region": "Алматы",
			"reported_on": "2024-03-05", "platform": "telegram", "content_category": "false_information",
			"content_excerpt": excerpt, "expert_conclusion": "administrative_offense", "expert_on": "2024-03-20",
			"article": "CAO 456-2", "case_opened_on": "2024-03-25", "prosecutor_decision": "approved", "prosecutor_on": "2024-04-01",
			"court_decision": "liable", "court_on": "2024-04-15", "sanction": "fine", "fine_amount": "73840",
			"defendant_kind": "blogger", "defendant_gender": "female", "defendant_name": full, "defendant_iin": iin,
			"defendant_birth_date": p.add(fmt.Sprintf("19%02d-%02d-%02d", 70+rng.IntN(25), 1+rng.IntN(12), 10+rng.IntN(18))),
			"defendant_phone":      phone, "defendant_address": p.add(fmt.Sprintf("г. Алматы, ул. Абая %d, кв. %d", 10+i, 100+i)),
		}
		if i%3 == 0 {
			row["appeal_filed_on"], row["appeal_filed_by"], row["appeal_status"], row["appeal_decided_on"], row["appeal_fine_amount"] =
				"2024-04-20", "defendant", "modified", "2024-05-20", "36920"
		}
		rec := make([]string, len(Header))
		for j, h := range Header {
			rec[j] = row[h]
		}
		rows = append(rows, rec)
	}
	return rows
}

// CSV writes rows under the header.
func CSV(t testing.TB, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(Header)
	_ = w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
