package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// regionSpelling is a way a file may give a region, and the region it means.
type regionSpelling struct{ code, spelling string }

// regionSpellings lists every name of every region in the four languages, and spellings
// in everyday use, the bare names a city shares with a region among them.
func regionSpellings(ref *reference.Data) []regionSpelling {
	var out []regionSpelling
	for _, r := range ref.Regions {
		for _, n := range []string{r.Names.EN, r.Names.RU, r.Names.KK, r.Names.KY} {
			if n != "" {
				out = append(out, regionSpelling{r.Code, n})
			}
		}
	}
	out = append(out,
		regionSpelling{"KZ-75", "Almaty"}, regionSpelling{"KZ-75", "г. Алматы"},
		regionSpelling{"KZ-19", "Almaty oblysy"}, regionSpelling{"KZ-19", "Almatinskaya oblast"}, regionSpelling{"KZ-19", "алматинская обл."},
		regionSpelling{"KZ-33", "Zhetysu"}, regionSpelling{"KZ-27", "ЗКО"},
		regionSpelling{"KG-GO", "Osh"}, regionSpelling{"KG-O", "Osh oblusu"}, regionSpelling{"KG-O", "Ошская область"},
		regionSpelling{"KG-GB", "Bishkek"}, regionSpelling{"KG-C", "Chuy"}, regionSpelling{"KG-Y", "Ysyk-Köl"}, regionSpelling{"KG-Y", "Issyk-Kul"},
	)
	// A city's Russian and Kazakh names are often the same word.
	slices.SortFunc(out, func(a, b regionSpelling) int { return strings.Compare(a.code+" "+a.spelling, b.code+" "+b.spelling) })
	return slices.Compact(out)
}

// regionFile writes three cases for each spelling, with the spelling or with the code of
// the region it means in the region column; all else is the same in both.
func regionFile(spellings []regionSpelling, byCode bool) []byte {
	platforms := []string{"telegram", "instagram", "tiktok"}
	categories := []string{"false_information", "insult_or_libel", "other"}
	var b strings.Builder
	b.WriteString(minimalHeader)
	for i, s := range spellings {
		region := s.spelling
		if byCode {
			region = s.code
		}
		for k := range 3 {
			decision := ",,,"
			if k == 1 {
				decision = "liable,2024-05-02,warning,"
			}
			fmt.Fprintf(&b, "R-%d-%d,%s,%q,2024-0%d-1%d,%s,%s,%s\n", i, k, s.code[:2], region, 1+i%4, k,
				platforms[(i+k)%3], categories[i%3], decision)
		}
	}
	return []byte(b.String())
}

// An import that gives regions by name stores the same regions, and so yields the same
// statistics, as the same file with ISO codes.
func TestImportRegionNamesEqualCodes(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			ref := reference.MustRead()
			spellings := regionSpellings(ref)
			// The same file twice, into two databases of the same kind.
			otherURL := storetest.SQLiteURL(t)
			if b.Name == "postgres" {
				otherURL = storetest.PostgresURL(t)
			}
			byName, byCode := newEnv(t, b.URL), newEnv(t, otherURL)

			// The dry run shows how the names were read, and writes nothing.
			dry, err := byName.importCSV(t, regionFile(spellings, false), ingest.Options{DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			if g, _ := byName.store.Generation(ctx); g != 0 {
				t.Fatal("a dry run wrote")
			}
			res, err := byName.importCSV(t, regionFile(spellings, false), ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			coded, err := byCode.importCSV(t, regionFile(spellings, true), ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != 3*len(spellings) || coded.Added != res.Added {
				t.Fatalf("added %d by name, %d by code; want %d", res.Added, coded.Added, 3*len(spellings))
			}

			// Every row counted under its own region, each spelling under itself or under a
			// spelling that differs only in what is folded away ("Бішкек" and "Бишкек").
			want, got := map[string]int{}, map[string]int{}
			spelled := map[string]bool{}
			for _, s := range spellings {
				want[s.code] += 3
				spelled[s.code+" "+s.spelling] = true
			}
			for _, m := range res.RegionsByName {
				got[m.Region.Code] += m.Rows
				if !spelled[m.Region.Code+" "+m.Name] {
					t.Errorf("%q counted under %s", m.Name, m.Region.Code)
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("rows by region read from names %v, want %v", got, want)
			}
			if len(res.RegionsByName) < len(spellings)-5 || !slices.EqualFunc(dry.RegionsByName, res.RegionsByName, regionNameMatchEqual) {
				t.Errorf("regions by name: %d spellings in the dry run, %d in the import", len(dry.RegionsByName), len(res.RegionsByName))
			}
			if len(coded.RegionsByName) != 0 {
				t.Errorf("regions given by code counted as names: %v", coded.RegionsByName)
			}

			// Case by case, the same region.
			regionsOf := func(e *env) map[string]string {
				out := map[string]string{}
				for _, c := range e.listCases(t, model.CaseFilter{}, model.CaseOrderReportedDesc, 1000) {
					out[c.Reference] = *c.RegionCode
				}
				return out
			}
			named, codes := regionsOf(byName), regionsOf(byCode)
			if len(named) != 3*len(spellings) || !maps.Equal(named, codes) {
				t.Fatalf("regions stored differ:\nby name %v\nby code %v", named, codes)
			}

			// The statistics, by region and by region and year, and each country's.
			for _, req := range []stats.Request{
				{GroupBy: []model.Dimension{model.DimensionRegion}, K: 3},
				{GroupBy: []model.Dimension{model.DimensionRegion, model.DimensionPlatform}, K: 3},
				{Filter: model.CaseFilter{Jurisdiction: ptr(model.JurisdictionKG)}, GroupBy: []model.Dimension{model.DimensionRegion}, K: 3},
			} {
				a, err := stats.NewEngine(byName.store, ref, []byte("test secret")).Statistics(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				c, err := stats.NewEngine(byCode.store, ref, []byte("test secret")).Statistics(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				ja, jc := toJSON(t, a), toJSON(t, c)
				if ja != jc {
					t.Fatalf("statistics %v differ:\nby name %s\nby code %s", req.GroupBy, ja, jc)
				}
				if len(a.Buckets) < 9 {
					t.Fatalf("statistics %v: %d buckets", req.GroupBy, len(a.Buckets))
				}
			}
		})
	}
}

func regionNameMatchEqual(a, b ingest.RegionNameMatch) bool {
	return a.Name == b.Name && a.Region == b.Region && a.SharedWith == b.SharedWith && a.Rows == b.Rows
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }

// A bare name shared by a city and a region is read as the city and reported so; a name
// that is no region's rejects the file, naming the line, the column and what was meant.
func TestImportRegionNamesSharedAndUnknown(t *testing.T) {
	e := newEnv(t, storetest.SQLiteURL(t))
	ctx := context.Background()
	res, err := e.importCSV(t, []byte(minimalHeader+
		"S-1,kz,Almaty Region,2024-01-10,telegram,other,,,,\n"+
		"S-2,kz,almaty,2024-01-10,telegram,other,,,,\n"+
		"S-3,kz,  ALMATY ,2024-01-10,telegram,other,,,,\n"+
		"S-4,kg,Ош,2024-01-10,telegram,other,,,,\n"+
		"S-5,kg,KG-O,2024-01-10,telegram,other,,,,\n"), ingest.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.RegionsByName {
		shared := ""
		if m.SharedWith != nil {
			shared = " (not " + m.SharedWith.Code + ")"
		}
		got = append(got, fmt.Sprintf("%s → %s%s: %d", m.Name, m.Region.Code, shared, m.Rows))
	}
	if want := []string{"Ош → KG-GO (not KG-O): 1", "Almaty Region → KZ-19: 1", "almaty → KZ-75 (not KZ-19): 2"}; !slices.Equal(got, want) {
		t.Errorf("regions by name %q, want %q", got, want)
	}

	for _, tt := range []struct{ region, want string }{
		{"Almati oblast", `line 2, column 8: region is not known; did you mean KZ-19 Almaty Region?`},
		{"Almaty oblast " + strings.Repeat("x", 150), "line 2, column 8: region is not a region of KZ; use an ISO 3166-2 code such as KZ-75"},
		{"Almaty obl 1", "line 2, column 8: region is not known; did you mean KZ-19 Almaty Region?"},
		{"Жумабаев Асхат", "line 2, column 8: region is not a region of KZ;"},
		{"Западно Казахстанская облость", `line 2, column 8: region is not known; did you mean KZ-27 West Kazakhstan Region?`},
		{"Almati" + strings.Repeat(" .", 80) + " oblast", `line 2, column 8: region is not known; did you mean KZ-19 Almaty Region?`},
		{"Osh", "line 2, column 8: region is not a region of KZ"},
	} {
		_, err := e.importCSV(t, []byte(minimalHeader+"S-1,kz,"+tt.region+",2024-01-10,telegram,other,,,,\n"), ingest.Options{})
		var rejected *ingest.RejectedError
		if !errors.As(err, &rejected) || len(rejected.Issues) != 1 || !strings.Contains(rejected.Issues[0].String(), tt.want) {
			t.Errorf("region %q: %v, want %q", tt.region, err, tt.want)
			continue
		}
		if msg := rejected.Issues[0].Message; len(msg) > 200 || strings.Contains(msg, "Жумабаев") || strings.Contains(msg, "xxxxx") {
			t.Errorf("region %q: the message repeats too much: %q", tt.region, msg)
		}
	}
	// Every listed issue suggests; those beyond the list are only counted.
	var many strings.Builder
	many.WriteString(minimalHeader)
	for i := range 150 {
		fmt.Fprintf(&many, "M-%d,kz,Almati oblast,2024-01-10,telegram,other,,,,\n", i)
	}
	_, err = e.importCSV(t, []byte(many.String()), ingest.Options{})
	var rejected *ingest.RejectedError
	if !errors.As(err, &rejected) || len(rejected.Issues) != 100 || rejected.More != 50 ||
		!strings.Contains(rejected.Issues[99].String(), `line 101, column 9: region is not known; did you mean KZ-19`) {
		t.Fatalf("150 unknown names: %v (%d listed, %d more; last %v)", err, len(rejected.Issues), rejected.More, rejected.Issues[len(rejected.Issues)-1])
	}
	if n, _ := e.store.CountCases(ctx, model.CaseFilter{}); n != 0 {
		t.Fatalf("%d cases written", n)
	}
}
