package reference

import (
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

func TestRead(t *testing.T) {
	d, err := Read()
	if err != nil {
		t.Fatal(err)
	}
	kz := Filter(d.Regions, model.JurisdictionKZ, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
	kg := Filter(d.Regions, model.JurisdictionKG, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
	if len(kz) != 20 || len(kg) != 9 {
		t.Fatalf("regions: %d in KZ, %d in KG; want 20 and 9", len(kz), len(kg))
	}
	for _, r := range d.Regions {
		if r.Names.KK == "" || r.Names.RU == "" || r.Names.EN == "" {
			t.Errorf("%s lacks a name: %+v", r.Code, r.Names)
		}
	}
	if abai := d.Region("KZ-10"); abai == nil || abai.CreatedYear == nil || *abai.CreatedYear != 2022 {
		t.Fatalf("KZ-10 = %+v", abai)
	}
	if units, ok := d.InIndexUnits(model.JurisdictionKZ, 2024, 73840); !ok || units != 20 {
		t.Fatalf("73,840 KZT in 2024 = %v MCI (%v), want 20", units, ok)
	}
	if _, ok := d.InIndexUnits(model.JurisdictionKG, 2019, 100); ok {
		t.Fatal("an unknown year's unit must not be guessed")
	}
	for _, a := range d.Articles {
		if a.TitleEN == nil || a.Verification == "" {
			t.Errorf("article %s lacks a title or its verification note", a.Code)
		}
	}
}
