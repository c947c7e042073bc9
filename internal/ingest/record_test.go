package ingest

import "testing"

func TestLeaksNumber(t *testing.T) {
	for _, tt := range []struct {
		summary string
		leaks   bool
	}{
		{"звонить: 1-2-3-4-5-6-7", true},
		{"номер 123 45 67 в тексте", true},
		{"штраф 20 МРП", false},
		{"[PHONE] в тексте", false},
	} {
		if got := leaksNumber(tt.summary, "", "+7 701 123 45 67"); got != tt.leaks {
			t.Errorf("leaksNumber(%q) = %v, want %v", tt.summary, got, tt.leaks)
		}
	}
}
