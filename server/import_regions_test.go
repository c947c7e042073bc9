package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// regionCasesCSV writes three cases for every name of every region (the four languages)
// and for a few spellings in everyday use, with the name or, byCode, the region's ISO code
// in the region column. The decided cases of a region are alike in everything the case
// view publishes (reported in 2024-Q1, decided in 2024-Q2, on the region's platform), so
// the view shows the region of those with enough names.
func regionCasesCSV(byCode bool) string {
	type spelling struct{ code, name string }
	var spellings []spelling
	for _, r := range reference.MustRead().Regions {
		for _, n := range []string{r.Names.EN, r.Names.RU, r.Names.KK, r.Names.KY} {
			if n != "" {
				spellings = append(spellings, spelling{r.Code, n})
			}
		}
	}
	spellings = append(spellings, spelling{"KZ-19", "Almatinskaya oblast"}, spelling{"KG-O", "Osh oblusu"},
		spelling{"KG-C", "Chuy"}, spelling{"KG-Y", "Ysyk-Köl"})
	var b strings.Builder
	b.WriteString(importHeader)
	for i, s := range spellings {
		region := s.name
		if byCode {
			region = s.code
		}
		for k := range 3 {
			decision := ",,"
			if k != 0 {
				decision = "liable,2024-06-0" + fmt.Sprint(k) + ",warning"
			}
			fmt.Fprintf(&b, "E-%d-%d,%s,%q,2024-0%d-1%d,%s,false_information,,,,,,,,%s,,,,,,,\n",
				i, k, strings.ToLower(s.code[:2]), region, 1+i%3, k, []string{"telegram", "tiktok", "instagram"}[len(s.code)%3], decision)
		}
	}
	return b.String()
}

// importCasesMutation uploads a file to the importCases mutation and returns the answer.
func importCasesMutation(t *testing.T, url, token, content string, dryRun bool) map[string]any {
	t.Helper()
	_, _, b := upload(t, url, token, fmt.Sprintf(", dryRun: %t", dryRun),
		"release { version } rowsAdded regionsByName { name region { code } sharedWith { code } rows }", content)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// A file that gives regions by name, in any of the four languages, yields the same
// statistics as the same file with ISO codes: one imported through the importCases
// mutation, the other with the import command, each into a database of its own.
func TestImportRegionNamesSameStatisticsAsCodes(t *testing.T) {
	byName := map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "CASEWATCH_SECRET": "s3cret", "DEMO": "false"}
	byCode := map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "CASEWATCH_SECRET": "s3cret", "DEMO": "false"}
	names, codes := writeFile(t, "names.csv", regionCasesCSV(false)), writeFile(t, "codes.csv", regionCasesCSV(true))
	rows := strings.Count(regionCasesCSV(true), "\n") - 1

	// The command's dry run lists how the names were read, and writes nothing.
	out, _, err := runCmd(t, byCode, "import", "--dry-run", names)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("dry run, nothing written: would have %d added", rows),
		"regions read from names (not ISO codes):\n",
		`  "Almaty Region" → KZ-19 Almaty Region: 3 rows` + "\n",
		`  "Almatinskaya oblast" → KZ-19 Almaty Region: 3 rows` + "\n",
		`  "Almaty" → KZ-75 Almaty: 3 rows (the city; for Almaty Region write "Almaty Region" or KZ-19)` + "\n",
		`  "Ош" → KG-GO Osh: 9 rows (the city; for Osh Region write "Osh Region" or KG-O)` + "\n",
		`  "Ysyk-Köl" → KG-Y Issyk-Kul Region: 3 rows` + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runCmd(t, byCode, "import", codes)
	if err != nil || !strings.HasPrefix(out, fmt.Sprintf("release 1: %d added", rows)) || strings.Contains(out, "from names") {
		t.Fatalf("import by code: %q %v", out, err)
	}

	// The mutation: a dry run first, then the import, both with the names read.
	tokenOut, _, err := runCmd(t, byName, "token", "create", "--role", "editor", "--name", "newsroom")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(tokenOut)
	sName := start(t, byName)
	for _, dryRun := range []bool{true, false} {
		r := importCasesMutation(t, sName.url, token, regionCasesCSV(false), dryRun)
		res, _ := r["data"].(map[string]any)["importCases"].(map[string]any)
		if res == nil || res["rowsAdded"].(float64) != float64(rows) || (res["release"] == nil) != dryRun {
			t.Fatalf("importCases (dry run %t): %v", dryRun, r)
		}
		matches := toJSON(res["regionsByName"])
		for _, want := range []string{
			`{"name":"Almaty Region","region":{"code":"KZ-19"},"rows":3,"sharedWith":null}`,
			`{"name":"Алматы","region":{"code":"KZ-75"},"rows":9,"sharedWith":{"code":"KZ-19"}}`, // Russian, Kazakh and Kyrgyz
			`{"name":"Osh","region":{"code":"KG-GO"},"rows":3,"sharedWith":{"code":"KG-O"}}`,
			`{"name":"Ошская область","region":{"code":"KG-O"},"rows":3,"sharedWith":null}`,
		} {
			if !strings.Contains(matches, want) {
				t.Errorf("regionsByName (dry run %t) lacks %s: %s", dryRun, want, matches)
			}
		}
	}

	sCode := start(t, byCode)
	for _, q := range []string{
		`{ statistics(groupBy: [REGION]) { buckets { key { code } count liable appealed } total { count liable } } }`,
		`{ statistics(groupBy: [REGION, PLATFORM], interval: MONTH) { buckets { key { code } period count suppressed liable } } }`,
		`{ statistics(filter: {jurisdiction: KZ}, groupBy: [REGION]) { buckets { key { code } count countPer100k repeatDefendants } } }`,
		`{ cases(first: 100, filter: {jurisdiction: KG}) { totalCount edges { node { reference region { code } } } } }`,
	} {
		_, a := sName.graphql(t, q)
		_, c := sCode.graphql(t, q)
		if !bytes.Equal(a, c) || bytes.Contains(a, []byte(`"errors"`)) {
			t.Fatalf("%s\nby name: %s\nby code: %s", q, a, c)
		}
		if !bytes.Contains(a, []byte(`"KZ-19"`)) && !bytes.Contains(a, []byte(`"KG-O"`)) {
			t.Fatalf("%s: no region in %s", q, a)
		}
	}

	// A name that is no region's rejects the file, naming the line, the column and what
	// was probably meant; nothing is written.
	badCSV := strings.Replace(regionCasesCSV(false), `"Almatinskaya oblast"`, `"Almati oblast"`, 1)
	var want string
	for i, line := range strings.Split(badCSV, "\n") {
		if at := strings.Index(line, `"Almati oblast"`); at >= 0 {
			want = fmt.Sprintf(`line %d, column %d: region is not known; did you mean KZ-19 Almaty Region?`, i+1, at+1)
			break
		}
	}
	_, stderr, err := runCmd(t, byCode, "import", writeFile(t, "bad.csv", badCSV))
	if !errors.Is(err, errRejected) || !strings.Contains(stderr, want) {
		t.Fatalf("unknown name: %v\n%s", err, stderr)
	}
	if out, _, err := runCmd(t, byCode, "import", codes); err != nil || !strings.Contains(out, "no changes") {
		t.Fatalf("after a rejected file: %q %v", out, err)
	}
}
