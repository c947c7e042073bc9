package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

func TestNewKeysNeedsSecret(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewKeys(nil) did not panic")
		}
	}()
	NewKeys(nil)
}

func TestSourceKey(t *testing.T) {
	k := NewKeys([]byte("test secret"))
	base := k.SourceKey(model.JurisdictionKZ, "AB-12/2024")
	if len(base) != 64 {
		t.Fatalf("key %q is not 64 hex digits", base)
	}
	if _, err := hex.DecodeString(base); err != nil {
		t.Fatal(err)
	}
	same := []string{"ab-12/2024", "  AB-12/2024\t", "ＡＢ－１２／２０２４"}
	for _, id := range same {
		if got := k.SourceKey(model.JurisdictionKZ, id); got != base {
			t.Errorf("SourceKey(%q) differs from SourceKey(%q)", id, "AB-12/2024")
		}
	}
	if a, b := k.SourceKey(model.JurisdictionKZ, "a  b"), k.SourceKey(model.JurisdictionKZ, "A B"); a != b {
		t.Error("inner white space is not collapsed")
	}
	if a, b := k.SourceKey(model.JurisdictionKZ, "AB"), k.SourceKey(model.JurisdictionKZ, "A B"); a == b {
		t.Error("a space between characters must still count")
	}
	if k.SourceKey(model.JurisdictionKG, "AB-12/2024") == base {
		t.Error("jurisdictions share keys")
	}
	if NewKeys([]byte("other secret")).SourceKey(model.JurisdictionKZ, "AB-12/2024") == base {
		t.Error("the secret does not change the key")
	}
	if got := k.SourceKey(model.JurisdictionKZ, " \t "); got != "" {
		t.Errorf("empty id gave %q", got)
	}
	iin := makeIIN(t, "900101", '3', 1)
	if p, _ := k.Pseudonym(iin, "", ""); p == k.SourceKey(model.JurisdictionKZ, iin) {
		t.Error("source keys and pseudonyms share a key")
	}
}

func TestPseudonym(t *testing.T) {
	k := NewKeys([]byte("test secret"))
	iin := makeIIN(t, "900101", '3', 1)
	pin := makeKGPIN('2', "15011990", 12345)

	byIIN, ok := k.Pseudonym(iin, "Иванов Иван", "1990-01-01")
	if !ok || len(byIIN) != 64 || strings.Contains(byIIN, iin) {
		t.Fatalf("Pseudonym by IIN = %q, %v", byIIN, ok)
	}
	for _, spelled := range []string{iin[:6] + " " + iin[6:], iin[:4] + "-" + iin[4:8] + "-" + iin[8:], " " + iin + " "} {
		if got, _ := k.Pseudonym(spelled, "", ""); got != byIIN {
			t.Errorf("IIN written %q gives another pseudonym", spelled)
		}
	}
	// The name does not matter when there is an IIN.
	if got, _ := k.Pseudonym(iin, "Петров Пётр", ""); got != byIIN {
		t.Error("the name changed an IIN pseudonym")
	}
	if got, ok := k.Pseudonym(pin, "", ""); !ok || got == byIIN {
		t.Errorf("PIN pseudonym = %q, %v", got, ok)
	}

	byName, ok := k.Pseudonym("", "Иванов Иван Петрович", "1990-01-01")
	if !ok || byName == byIIN {
		t.Fatalf("Pseudonym by name = %q, %v", byName, ok)
	}
	for _, name := range []string{"иван ИВАНОВ петрович", "Петрович,  Иванов Иван", "Иванов-Иван Петрович"} {
		if got, _ := k.Pseudonym("", name, "1990-01-01"); got != byName {
			t.Errorf("name %q gives another pseudonym", name)
		}
	}
	if a, _ := k.Pseudonym("", "Алёна Фёдорова", "1990-01-01"); a != mustPseudonym(t, k, "", "алена федорова", "1990-01-01") {
		t.Error("ё and е differ")
	}
	if got, _ := k.Pseudonym("", "Иванов Иван Петрович", "1990-01-02"); got == byName {
		t.Error("the birth date does not count")
	}
	// An invalid IIN falls back to name and birth date.
	bad := iin[:11] + string(rune('0'+(iin[11]-'0'+1)%10))
	if got, ok := k.Pseudonym(bad, "Иванов Иван Петрович", "1990-01-01"); !ok || got != byName {
		t.Errorf("invalid IIN: %q, %v; want the name pseudonym", got, ok)
	}
	for _, tt := range []struct{ iin, name, birth string }{
		{"", "", ""},
		{"", "Иванов Иван", ""},
		{"", "", "1990-01-01"},
		{"", "Иванов Иван", "01.01.1990"},
		{bad, "", ""},
		{"", "  ,. ", "1990-01-01"},
	} {
		if got, ok := k.Pseudonym(tt.iin, tt.name, tt.birth); ok || got != "" {
			t.Errorf("Pseudonym(%q, %q, %q) = %q, %v; want none", tt.iin, tt.name, tt.birth, got, ok)
		}
	}
	if other, _ := NewKeys([]byte("other")).Pseudonym(iin, "", ""); other == byIIN {
		t.Error("the secret does not change the pseudonym")
	}
}

func mustPseudonym(t *testing.T, k *Keys, iin, name, birth string) string {
	t.Helper()
	p, ok := k.Pseudonym(iin, name, birth)
	if !ok {
		t.Fatalf("no pseudonym for %q %q %q", iin, name, birth)
	}
	return p
}

func TestNormalizePersonName(t *testing.T) {
	tests := map[string]string{
		"Иванов Иван":           "иван иванов",
		"Иван Иванов":           "иван иванов",
		"  ИВАНОВ,  иван ":      "иван иванов",
		"Фёдоров Пётр":          "петр федоров",
		"Нұрлан Серікұлы":       "нұрлан серікұлы",
		"O'Brien Mary-Jane 2nd": "brien jane mary nd o",
		"":                      "",
	}
	for in, want := range tests {
		if got := NormalizePersonName(in); got != want {
			t.Errorf("NormalizePersonName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The hashes are stored: their definition must not change by accident.
func TestKeyDerivationIsStable(t *testing.T) {
	hmacHex := func(key []byte, msg string) string {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return hex.EncodeToString(h.Sum(nil))
	}
	subKey := func(purpose string) []byte {
		h := hmac.New(sha256.New, []byte("test secret"))
		h.Write([]byte(purpose))
		return h.Sum(nil)
	}
	k := NewKeys([]byte("test secret"))
	if got, want := k.SourceKey(model.JurisdictionKG, " ab-12 "), hmacHex(subKey("casewatch source key v1"), "KG\x00AB-12"); got != want {
		t.Errorf("SourceKey = %s, want %s", got, want)
	}
	iin := makeIIN(t, "900101", '3', 1)
	if got, want := mustPseudonym(t, k, iin, "", ""), hmacHex(subKey("casewatch pseudonym key v1"), "id\x00"+iin); got != want {
		t.Errorf("Pseudonym by IIN = %s, want %s", got, want)
	}
	if got, want := mustPseudonym(t, k, "", "Иван Иванов", "1990-01-01"),
		hmacHex(subKey("casewatch pseudonym key v1"), "name\x00иван иванов\x001990-01-01"); got != want {
		t.Errorf("Pseudonym by name = %s, want %s", got, want)
	}
}

func BenchmarkPseudonym(b *testing.B) {
	k := NewKeys([]byte("bench secret"))
	iin := makeIIN(b, "900101", '3', 1)
	b.ReportAllocs()
	for b.Loop() {
		k.Pseudonym(iin, "Ахметова Айгерим", "1990-01-01")
		k.SourceKey(model.JurisdictionKZ, "KZ-2024-000123")
	}
}
