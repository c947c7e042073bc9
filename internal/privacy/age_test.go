package privacy

import (
	"fmt"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

func TestAgeBand(t *testing.T) {
	tests := []struct {
		birth, at string
		want      model.AgeBand
		ok        bool
	}{
		{"2007-05-02", "2025-05-01", model.AgeBandUnder18, true}, // 17, birthday tomorrow
		{"2007-05-01", "2025-05-01", model.AgeBandFrom18To24, true},
		{"2000-12-31", "2025-12-30", model.AgeBandFrom18To24, true}, // 24
		{"2000-12-31", "2025-12-31", model.AgeBandFrom25To34, true},
		{"1990-01-01", "2025-01-01", model.AgeBandFrom35To44, true},
		{"1980-06-15", "2025-06-14", model.AgeBandFrom35To44, true}, // 44
		{"1980-06-15", "2025-06-15", model.AgeBandFrom45To54, true},
		{"1970-01-01", "2025-01-01", model.AgeBandFrom55To64, true},
		{"1960-03-01", "2025-02-28", model.AgeBandFrom55To64, true}, // 64
		{"1960-03-01", "2025-03-01", model.AgeBandFrom65, true},
		{"2004-02-29", "2022-02-28", model.AgeBandUnder18, true}, // 17 until 1 March
		{"2004-02-29", "2022-03-01", model.AgeBandFrom18To24, true},
		{"2025-05-01", "2025-05-01", model.AgeBandUnder18, true}, // born that day
		{"1905-05-01", "2025-05-01", model.AgeBandFrom65, true},  // 120
		{"1905-05-01", "2025-05-02", model.AgeBandFrom65, true},  // 120 and a day: still 120
		{"1904-05-01", "2025-05-01", "", false},                  // 121
		{"2025-05-02", "2025-05-01", "", false},                  // born after
		{"", "2025-05-01", "", false},
		{"1990-01-01", "", "", false},
		{"1990-1-1", "2025-05-01", "", false},
		{"1990-02-30", "2025-05-01", "", false},
		{"01.01.1990", "2025-05-01", "", false},
		{"1990-01-01T00:00", "2025-05-01", "", false},
		{"1990-01-01", "2025-13-01", "", false},
	}
	for _, tt := range tests {
		got, ok := AgeBand(tt.birth, tt.at)
		if got != tt.want || ok != tt.ok {
			t.Errorf("AgeBand(%q, %q) = %q, %v; want %q, %v", tt.birth, tt.at, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAgeBandCodesExist(t *testing.T) {
	for age := 0; age <= 120; age++ {
		birth := "1900-06-15"
		at := fmt.Sprintf("%04d-06-15", 1900+age)
		band, ok := AgeBand(birth, at)
		if !ok || !model.AgeBandVocabulary.Has(string(band)) {
			t.Fatalf("age %d: %q %v", age, band, ok)
		}
	}
}
