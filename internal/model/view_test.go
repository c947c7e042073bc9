package model_test

import (
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// TestFineBandLabelIn: a band reads as the portal writes it, in each language.
func TestFineBandLabelIn(t *testing.T) {
	ten, twenty := 10, 20
	for _, c := range []struct {
		band model.FineBand
		lang model.Lang
		want string
	}{
		{model.FineBand{From: 0, To: &ten, IndexUnit: "MCI"}, model.LangRU, "до 10 МРП"},
		{model.FineBand{From: 10, To: &twenty, IndexUnit: "MCI"}, model.LangKK, "10–20 АЕК"},
		{model.FineBand{From: 2000, IndexUnit: "RP"}, model.LangKY, "2000 ЭК ашуун"},
		{model.FineBand{From: 10, To: &twenty, IndexUnit: "RP"}, model.LangEN, "10–20 RP"},
		{model.FineBand{From: 2000, IndexUnit: "MCI"}, model.LangEN, "over 2000 MCI"},
	} {
		if got := c.band.LabelIn(c.lang); got != c.want {
			t.Errorf("%+v in %s: %q, want %q", c.band, c.lang, got, c.want)
		}
	}
}
