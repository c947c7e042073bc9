package privacy

import (
	"strings"
	"testing"
	"time"
)

func TestSlowTimes(t *testing.T) {
	n := MaxRedactBytes / 4
	inputs := map[string]string{
		"at signs":     strings.Repeat("a@", n/2),
		"dots":         strings.Repeat("a.", n/2),
		"digits":       strings.Repeat("1 ", n/2),
		"long number":  strings.Repeat("9", n),
		"long word":    strings.Repeat("ж", n/2),
		"initials":     strings.Repeat("И. ", n/3),
		"streets":      strings.Repeat("ул. Абая, д. 1, ", n/16),
		"patronymics":  strings.Repeat("Иванович ", n/17),
		"schemes":      strings.Repeat("http://", n/7),
		"brackets":     strings.Repeat("[NAME", n/5),
		"numero":       strings.Repeat("№ ", n/4),
		"combining":    "a" + strings.Repeat("\u0301", n/2),
		"format chars": strings.Repeat("\u200b", n/3),
		"cjk":          strings.Repeat("漢字", n/6),
		"emoji":        strings.Repeat("👍🏽", n/8),
		"camel":        strings.Repeat("aB", n/2),
		"words":        strings.Repeat("Иванов ", n/13),
	}
	for name, in := range inputs {
		start := time.Now()
		Redact(in, "Иванов Иван Иванович", "Ахметова")
		t.Logf("%-14s %6d bytes %v", name, len(in), time.Since(start))
	}
}
