package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/dumps"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

const importHeader = "source_id,jurisdiction,region,reported_on,platform,content_category,content_excerpt,expert_conclusion,expert_on,article,case_opened_on,prosecutor_decision,prosecutor_on,court_decision,court_on,sanction,fine_amount,defendant_kind,defendant_gender,defendant_name,defendant_iin,defendant_birth_date,defendant_phone\n"

// goodRows are three raw records with identifiers in them (made-up, valid IIN format).
const goodRows = `A-1,kz,KZ-75,2024-03-05,telegram,false_information,"Пост о паводке, автор Жумабаев Асхат, тел. +7 701 123 45 67",administrative_offense,2024-03-20,CAO 456-2,2024-03-25,approved,2024-04-01,liable,2024-04-15,fine,73840,blogger,male,Жумабаев Асхат,900101300017,1990-01-01,+77011234567
A-2,kz,Алматы,2024-03-06,instagram,insult_or_libel,Оскорбление в комментариях к посту о выборах в регионе,administrative_offense,2024-03-21,CAO 73-3,2024-03-26,approved,2024-04-02,not_liable,2024-04-16,,,individual,female,Сейткали Мадина,,1985-06-15,
A-3,kg,KG-GB,2024-03-07,tiktok,false_information,,,,,,,,,,,,individual,,,,,
`

// goodRow is the line of goodRows with the given source id.
func goodRow(id string) string {
	for line := range strings.Lines(goodRows) {
		if strings.HasPrefix(line, id+",") {
			return line
		}
	}
	panic("no row " + id)
}

// alikeRows returns n records (source ids prefix-1 … prefix-n) with the values of row but
// no excerpt and no identifier of the defendant: with row, a group of n+1 cases alike in
// everything the case view publishes. The view leaves out a case of its own (a group
// smaller than k, SUPPRESSION_THRESHOLD: 5 by default); a group of k or more it shows.
func alikeRows(prefix string, n int, row string) string {
	rec, err := csv.NewReader(strings.NewReader(row)).Read()
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	for i := range n {
		r := slices.Clone(rec)
		r[0] = fmt.Sprintf("%s-%d", prefix, i+1)
		r[6] = "" // content_excerpt
		for j := len(r) - 4; j < len(r); j++ {
			r[j] = "" // defendant_name, defendant_iin, defendant_birth_date, defendant_phone
		}
		_ = w.Write(r)
	}
	w.Flush()
	return b.String()
}

func writeFile(t *testing.T, name, content string) string {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCmd(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestImportCommand(t *testing.T) {
	db := storetest.SQLiteURL(t)
	env := map[string]string{"DATABASE_URL": db, "CASEWATCH_SECRET": "s3cret"}
	good := writeFile(t, "cases.csv", importHeader+goodRows)

	if _, _, err := runCmd(t, map[string]string{"DATABASE_URL": db}, "import", good); !isUsage(err) {
		t.Fatalf("import without a secret: %v, want a usage error", err)
	}
	if _, _, err := runCmd(t, env, "import"); !isUsage(err) {
		t.Fatalf("import without a file: %v", err)
	}
	out, _, err := runCmd(t, env, "import", good, "--dry-run")
	if err != nil || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %q %v", out, err)
	}
	out, _, err = runCmd(t, env, "import", good, "--note", "first batch")
	if err != nil || !strings.HasPrefix(out, "release 1: 3 added, 0 updated, 0 unchanged") {
		t.Fatalf("import: %q %v", out, err)
	}
	out, _, err = runCmd(t, env, "import", good)
	if err != nil || !strings.Contains(out, "no changes") {
		t.Fatalf("re-import: %q %v", out, err)
	}
	// A flag of the configuration after the file takes its value too.
	out, _, err = runCmd(t, map[string]string{"CASEWATCH_SECRET": "s3cret"}, "import", good, "--database-url", db, "--dry-run")
	if err != nil || !strings.Contains(out, "dry run") {
		t.Fatalf("import FILE --database-url URL: %q %v", out, err)
	}

	// Bad rows: every problem reported with its line and column, nothing written.
	bad := writeFile(t, "bad.csv", importHeader+
		"B-1,kz,KZ-99,2024-03-05,telegram,false_information,,,,,,,,,,,,,,,,,\n"+
		"B-2,kz,KZ-75,2024-02-30,telegram,memes,,,,,,,,,,,,,,,,,\n"+
		"B-3,kz,KZ-75,2024-03-05,telegram,false_information,,,,,,,,liable,2024-03-01,fine,-5,,,,,,\n")
	_, stderr, err := runCmd(t, env, "import", bad)
	if !errors.Is(err, errRejected) {
		t.Fatalf("bad file: %v", err)
	}
	for _, want := range []string{"line 2, column 8: region is not a region of KZ", "line 3, column 14: reported_on", "line 3, column 34: content_category", "line 4, column 82: fine_amount: -5 is negative", "line 4, column 66: court_on (2024-03-01) is before reported_on"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	out, _, err = runCmd(t, env, "import", good)
	if err != nil || !strings.Contains(out, "no changes") {
		t.Fatalf("after a rejected file the data must be as before: %q %v", out, err)
	}
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func TestTokensAndImportMutation(t *testing.T) {
	db := storetest.SQLiteURL(t)
	env := map[string]string{"DATABASE_URL": db, "CASEWATCH_SECRET": "s3cret", "DEMO": "false"}
	out, _, err := runCmd(t, env, "token", "create", "--role", "editor", "--name", "newsroom")
	token := strings.TrimSpace(out)
	if err != nil || !strings.HasPrefix(token, "cw_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("token create: %q %v", out, err)
	}
	if _, _, err := runCmd(t, env, "token", "create", "--role", "admin", "--name", "x"); !isUsage(err) {
		t.Fatalf("unknown role: %v", err)
	}
	s := start(t, env)

	upload := func(token, content string) map[string]any {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("operations", `{"query":"mutation($f: Upload!) { importCases(file: $f) { release { version synthetic } rowsAdded rowsUpdated rowsUnchanged warnings { line message } } }","variables":{"f":null}}`)
		_ = mw.WriteField("map", `{"0":["variables.f"]}`)
		fw, _ := mw.CreateFormFile("0", "cases.csv")
		_, _ = io.WriteString(fw, content)
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	code := func(r map[string]any) string {
		errs, _ := r["errors"].([]any)
		if len(errs) == 0 {
			return ""
		}
		ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
		c, _ := ext["code"].(string)
		return c
	}
	if c := code(upload("", importHeader+goodRows)); c != "UNAUTHENTICATED" {
		t.Fatalf("no token: %q", c)
	}
	if c := code(upload("cw_WRONG", importHeader+goodRows)); c != "UNAUTHENTICATED" {
		t.Fatalf("wrong token: %q", c)
	}
	// A-2 and five cases alike, so that the case view shows them (A-1 and A-3, each a case
	// of its own, it leaves out).
	file := importHeader + goodRows + alikeRows("B", 5, goodRow("A-2"))
	r := upload(token, file)
	if code(r) != "" {
		t.Fatalf("import: %v", r)
	}
	res := r["data"].(map[string]any)["importCases"].(map[string]any)
	if res["rowsAdded"].(float64) != 8 || res["release"].(map[string]any)["version"].(float64) != 1 {
		t.Fatalf("import result %v", res)
	}
	// Its dump is written after the release: wait for it, as a release that lands while
	// a dump is written makes that dump give up.
	var index struct{ Releases []dumps.Manifest }
	waitDumps := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); len(index.Releases) < n; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no dump of release %d within a minute: %+v", n, index)
			}
			if err := json.Unmarshal([]byte(get(t, s.url+"/dumps/index.json")), &index); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitDumps(1)
	// A correction: A-2 and its like are now decided the other way. Held liable, A-2 now has
	// a summary (the others have no excerpt).
	r = upload(token, strings.ReplaceAll(file, "not_liable,2024-04-16", "liable,2024-04-16"))
	if res := r["data"].(map[string]any)["importCases"].(map[string]any); res["rowsUpdated"].(float64) != 6 || res["rowsUnchanged"].(float64) != 2 {
		t.Fatalf("correction: %v", r)
	}
	if _, body := s.graphql(t, `{ cases(filter: {decisions: [LIABLE], categories: [INSULT_OR_LIBEL]}) { totalCount edges { node { corrections { release { version } fields } } } } }`); !strings.Contains(string(body), `"totalCount":6,`) ||
		strings.Count(string(body), `"corrections":[{"release":{"version":2},"fields":["court_decision","summary"]}]`) != 1 ||
		strings.Count(string(body), `"corrections":[{"release":{"version":2},"fields":["court_decision"]}]`) != 5 {
		t.Fatalf("corrections: %s", body)
	}
	r = upload(token, importHeader+"C-1,kz,KZ-75,2024-13-01,telegram,false_information,,,,,,,,,,,,,,,,,\n")
	if code(r) != "BAD_USER_INPUT" || !strings.Contains(toJSON(r), `"line":2`) {
		t.Fatalf("bad upload: %v", r)
	}
	if _, _, err := runCmd(t, env, "token", "revoke", "newsroom"); err != nil {
		t.Fatal(err)
	}
	if c := code(upload(token, importHeader+goodRows)); c != "UNAUTHENTICATED" {
		t.Fatalf("revoked token: %q", c)
	}

	// The published answers and exports hold no identifier of the imported rows.
	_, body := s.graphql(t, `{ cases(first: 100) { edges { node { reference summary region { code } defendant { kind ageBand gender } generalized timeline { month kind } } } } }`)
	csvBody := get(t, s.url+"/export/cases.csv?jurisdiction=KZ")
	ndjson := get(t, s.url+"/export/cases.ndjson")
	// The second release gets its dump too, and the feed lists both.
	waitDumps(2)
	if m := index.Releases[0]; m.Release != 2 || len(m.Files) != 4 || m.Changes.Updated != 6 {
		t.Fatalf("manifest of release 2: %+v", m)
	}
	sums := get(t, s.url+"/dumps/release-2/SHA256SUMS")
	zipped := get(t, s.url+"/dumps/release-2/cases.csv.gz")
	sum := sha256.Sum256([]byte(zipped))
	if !strings.Contains(sums, hex.EncodeToString(sum[:])+"  cases.csv.gz\n") {
		t.Fatalf("cases.csv.gz does not match SHA256SUMS:\n%s", sums)
	}
	zr, err := gzip.NewReader(strings.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	dumped, _ := io.ReadAll(zr)
	if feed := get(t, s.url+"/feed.atom"); !strings.Contains(feed, "<title>Release 2</title>") || !strings.Contains(feed, "corrected: 6;") {
		t.Fatalf("feed:\n%s", feed)
	}
	for _, secret := range []string{"Жумабаев", "Асхат", "Мадина", "Сейткали", "900101300017", "701 123 45 67", "77011234567", "1990-01-01", "A-1", "2024-03-05"} {
		for name, text := range map[string]string{"graphql": string(body), "csv": csvBody, "ndjson": ndjson, "dump": string(dumped)} {
			if strings.Contains(text, secret) {
				t.Errorf("%s answer holds %q", name, secret)
			}
		}
	}
	st := storetest.Open(t, db)
	audit, err := st.AuditLog(context.Background())
	if err != nil || len(audit) != 3 || audit[0].TokenName != "newsroom" || audit[0].ReleaseID == nil || *audit[0].ReleaseID != 1 ||
		!strings.HasPrefix(audit[2].Detail, "rejected: 1 problem") {
		t.Fatalf("audit log %+v %v", audit, err)
	}
	// The six cases alike; A-1, a case of its own, is left out of the view and the export.
	if !strings.HasPrefix(csvBody, "reference,jurisdiction,region") || strings.Count(csvBody, "\n") != 7 ||
		strings.Count(csvBody, ",KZ,KZ-75,INSULT_OR_LIBEL,") != 6 {
		t.Fatalf("csv export:\n%s", csvBody)
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func get(t *testing.T, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
