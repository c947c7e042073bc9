package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// openSQL opens a second, plain connection to a test database, to read what Seed wrote.
func openSQL(t testing.TB, databaseURL string) *sqlx.DB {
	t.Helper()
	driver, dsn := "pgx", databaseURL
	if path, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path
	}
	db, err := sqlx.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

const caseColumns = `id, reference, jurisdiction, region, category, concern, platform, article,
	liability, stage, defendant_kind, defendant_gender, age_band, reported_on, expert_conclusion,
	expert_on, case_opened_on, prosecutor_decision, prosecutor_on, court_decision, court_on,
	sanction, fine_amount, appeal_status, summary, generalized, first_release_id`

func readCases(t *testing.T, db *sqlx.DB) ([]model.Case, map[int64][]model.Appeal) {
	t.Helper()
	var cases []model.Case
	if err := db.Select(&cases, "SELECT "+caseColumns+" FROM cases ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	var rows []model.Appeal
	// 'APPEAL' < 'CASSATION': ordered by level, the appeals are in court order.
	if err := db.Select(&rows, "SELECT case_id, level, filed_by, filed_on, status, decided_on, fine_amount FROM appeals ORDER BY case_id, level"); err != nil {
		t.Fatal(err)
	}
	appeals := map[int64][]model.Appeal{}
	for _, a := range rows {
		appeals[a.CaseID] = append(appeals[a.CaseID], a)
	}
	return cases, appeals
}

var falseInfoUnits = map[int64]bool{20: true, 30: true, 50: true, 100: true, 200: true}

func year(date string) int {
	y, _ := strconv.Atoi(date[:4])
	return y
}

var referencePattern = regexp.MustCompile(`^(KZ|KG)-20\d\d-[0-9A-HJKMNP-TV-Z]{6}$`)

// Identifiers that a summary must never hold: digits (IINs, phone and case numbers), handles,
// links.
var identifierPattern = regexp.MustCompile(`[0-9@]|https?:|www\.|\.kz\b|\.com\b`)

func TestSeed(t *testing.T) {
	ref := reference.MustRead()
	articles := map[string]model.Liability{}
	for _, a := range ref.Articles {
		articles[string(a.Jurisdiction)+" "+a.Code] = a.Liability
	}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			// All detections (about 490,000) with a few cases. Under the race detector SQLite
			// takes minutes for that, so it seeds the first quarter of 2023 only (a part year,
			// which checkDetections checks pro rata); the yearly plan itself is checked
			// without a database in TestDetectionPlan.
			opts := demo.Options{Cases: 3000}
			if raceEnabled && b.Name == "sqlite" {
				opts.Until = "2023-03-31"
			}
			until := opts.Until
			if until == "" {
				until = demo.DefaultUntil
			}
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			rel, err := demo.Seed(ctx, s, ref, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !rel.Synthetic || rel.RowsAdded != 3000 || rel.Note == nil || !strings.Contains(*rel.Note, "Synthetic") {
				t.Fatalf("release = %+v", rel)
			}
			cur, err := s.CurrentRelease(ctx)
			if err != nil || !cur.Synthetic || cur.ID != rel.ID {
				t.Fatalf("current release = %+v, %v", cur, err)
			}
			db := openSQL(t, b.URL)

			checkDetections(t, db, until)

			cases, appeals := readCases(t, db)
			if len(cases) != 3000 {
				t.Fatalf("%d cases, want 3000", len(cases))
			}
			seen := map[string]bool{}
			count := map[string]int{}
			for i := range cases {
				c := &cases[i]
				a := appeals[c.ID]
				fail := func(format string, args ...any) {
					t.Helper()
					t.Fatalf("case %s: %s\n%+v\nappeals %+v", c.Reference, fmt.Sprintf(format, args...), *c, a)
				}
				if !referencePattern.MatchString(c.Reference) || c.Reference[3:7] != c.ReportedOn[:4] ||
					c.Reference[:2] != string(c.Jurisdiction) {
					fail("bad reference")
				}
				if seen[c.Reference] {
					fail("reference used twice")
				}
				seen[c.Reference] = true
				checkDates(t, c, a, until, fail)
				if want := c.DeriveStage(a); c.Stage != want {
					fail("stage %s, derived %s", c.Stage, want)
				}
				switch {
				case len(a) == 0 && c.AppealStatus != nil:
					fail("appeal status without appeals")
				case len(a) > 0 && (c.AppealStatus == nil || *c.AppealStatus != a[len(a)-1].Status):
					fail("appeal status is not the latest level's")
				}
				if c.Concern != c.Category.Concern() {
					fail("concern %s", c.Concern)
				}
				if c.ArticleCode != nil {
					liability, ok := articles[string(c.Jurisdiction)+" "+*c.ArticleCode]
					if !ok || liability != c.Liability {
						fail("article does not fit the liability")
					}
				}
				isFine := c.Sanction != nil && *c.Sanction == model.SanctionFine
				if isFine != (c.FineAmount != nil) || (c.FineAmount != nil && *c.FineAmount <= 0) {
					fail("fine and sanction disagree")
				}
				if c.Sanction != nil && (c.CourtDecision == nil || *c.CourtDecision != model.DecisionLiable) {
					fail("sanction without a liable decision")
				}
				if isFine && c.ArticleCode != nil && *c.ArticleCode == "CAO 456-2" {
					// 20–200 MCI at the value of the decision's year.
					mci := int64(ref.IndexUnit(model.JurisdictionKZ, year(*c.CourtOn)).Value)
					if units := *c.FineAmount / mci; *c.FineAmount%mci != 0 || !falseInfoUnits[units] {
						fail("CAO 456-2 fine of %d tenge is not 20, 30, 50, 100 or 200 MCI", *c.FineAmount)
					}
				}
				for _, ap := range a {
					if ap.FineAmount != nil && (ap.Status != model.AppealStatusModified || !isFine || *ap.FineAmount <= 0) {
						fail("appeal fine without a modified fine")
					}
				}
				if c.DefendantKind != nil && (*c.DefendantKind == model.DefendantKindMediaOutlet ||
					*c.DefendantKind == model.DefendantKindLegalEntity) && (c.DefendantGender != nil || c.AgeBand != nil) {
					fail("an organisation with gender or age")
				}
				if c.Summary != nil && (identifierPattern.MatchString(*c.Summary) || strings.Contains(*c.Summary, "{")) {
					fail("summary %q looks unredacted", *c.Summary)
				}
				if c.Generalized != "" || c.FirstReleaseID != rel.ID {
					fail("generalized %q, release %d", c.Generalized, c.FirstReleaseID)
				}
				count[string(c.Jurisdiction)]++
				count[string(c.Stage)]++
				if c.Sanction != nil {
					count[string(*c.Sanction)]++
				}
				if len(a) > 0 {
					count["appealed"]++
				}
				if len(a) > 1 {
					count["cassation"]++
				}
				if c.Summary == nil {
					count["no summary"]++
				}
			}
			t.Logf("counts: %v", count)
			var defendants int
			if err := db.Get(&defendants, "SELECT COUNT(DISTINCT pseudonym) FROM cases"); err != nil {
				t.Fatal(err)
			}
			if repeat := 1 - float64(defendants)/3000; repeat < 0.05 || repeat > 0.15 {
				t.Errorf("%.1f%% of cases have a repeat defendant, want about 10%%", 100*repeat)
			}
			// Loose bounds on the mix: enough to catch a broken table, not a tuning.
			if kz := count["KZ"]; kz < 2400 || kz > 2800 {
				t.Errorf("%d of 3000 cases in KZ, want about 87%%", kz)
			}
			expected := []string{"CLOSED", "TRIAL", "EXPERT_REVIEW", "FINE", "WARNING", "appealed", "no summary"}
			if until >= "2025-01-01" {
				// Enough time for the rarer outcomes and the slow steps.
				expected = append(expected, "APPEAL", "ADMINISTRATIVE_ARREST", "IMPRISONMENT", "cassation")
			}
			for _, want := range expected {
				if count[want] == 0 {
					t.Errorf("no case with %s", want)
				}
			}
		})
	}
}

// checkDates checks that the pipeline's dates are in order and none is after until.
func checkDates(t *testing.T, c *model.Case, appeals []model.Appeal, until string, fail func(string, ...any)) {
	t.Helper()
	dates := []*string{&c.ReportedOn, c.ExpertOn, c.CaseOpenedOn, c.ProsecutorOn, c.CourtOn}
	for _, a := range appeals {
		dates = append(dates, a.FiledOn, a.DecidedOn)
	}
	previous := ""
	stopped := false
	for i, d := range dates {
		if d == nil {
			stopped = true
			continue
		}
		if stopped && i < 5 {
			fail("step %d has a date after a step without one", i)
		}
		if *d < previous || *d > until {
			fail("date %s out of order (previous %s, until %s)", *d, previous, until)
		}
		previous = *d
	}
}

// mkiTotals are the full-year detections the generator is calibrated to; KZ 2024 is the
// published figure and must come out exactly.
var mkiTotals = map[string]int{
	"KZ2023": 59_500, "KZ2024": 116_354, "KZ2025": 148_000, "KZ2026": 171_000,
	"KG2023": 5_200, "KG2024": 6_100, "KG2025": 7_000, "KG2026": 7_800,
}

// checkDetections compares the detections per jurisdiction and year with mkiTotals, pro rata
// for a year that ends after until, and checks the shares of removals and regions. One
// scan of the table: under the race detector each SQLite scan takes many seconds.
func checkDetections(t *testing.T, db *sqlx.DB, until string) {
	t.Helper()
	var groups []struct {
		Key        string `db:"key"`
		N          int    `db:"n"`
		Removed    int    `db:"removed"`
		WithRegion int    `db:"with_region"`
	}
	if err := db.Select(&groups, `SELECT jurisdiction || SUBSTR(detected_on, 1, 4) AS key, COUNT(*) AS n,
		SUM(CASE WHEN action = 'REMOVED' THEN 1 ELSE 0 END) AS removed,
		SUM(CASE WHEN region IS NOT NULL THEN 1 ELSE 0 END) AS with_region
		FROM detections GROUP BY jurisdiction || SUBSTR(detected_on, 1, 4)`); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	total, removed, withRegion := 0, 0, 0
	for _, g := range groups {
		got[g.Key] = g.N
		total += g.N
		removed += g.Removed
		withRegion += g.WithRegion
	}
	t.Logf("detections by year: %v", got)
	end, _ := time.Parse(time.DateOnly, until)
	want := map[string]int{}
	for year := 2023; year <= end.Year(); year++ {
		y := strconv.Itoa(year)
		start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		daysInYear := int(start.AddDate(1, 0, 0).Sub(start).Hours() / 24)
		covered := min(daysInYear, int(end.Sub(start).Hours()/24)+1)
		for _, j := range []string{"KZ", "KG"} {
			want[j+y] = mkiTotals[j+y] * covered / daysInYear
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("detections by year = %v, want %v", got, want)
	}
	if until >= "2024-12-31" && got["KZ2024"] != 116_354 {
		t.Errorf("KZ detections in 2024 = %d, want MKI's 116,354", got["KZ2024"])
	}
	if share := float64(removed) / float64(total); share < 0.22 || share > 0.26 {
		t.Errorf("%.1f%% removed, want about 24%%", 100*share)
	}
	if share := float64(withRegion) / float64(total); share < 0.7 || share > 0.95 {
		t.Errorf("%.1f%% with a region, want most", 100*share)
	}
}

// checksum hashes every row of a query, in order.
func checksum(t *testing.T, db *sqlx.DB, query string) string {
	t.Helper()
	rows, err := db.Queryx(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	for rows.Next() {
		values, err := rows.SliceScan()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(h, "%v\x1f", v)
		}
		h.Write([]byte{'\n'})
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil)))
}

func TestSeedIsDeterministic(t *testing.T) {
	ref := reference.MustRead()
	ctx := context.Background()
	seed := func(opts demo.Options) (cases, appeals, detections string) {
		url := storetest.SQLiteURL(t)
		if _, err := demo.Seed(ctx, storetest.Open(t, url), ref, opts); err != nil {
			t.Fatal(err)
		}
		db := openSQL(t, url)
		// All columns but none that depends on the wall clock (the release's published_at).
		return checksum(t, db, "SELECT * FROM cases ORDER BY id"),
			checksum(t, db, "SELECT * FROM appeals ORDER BY case_id, level"),
			checksum(t, db, "SELECT * FROM detections ORDER BY rowid")
	}
	// A short period keeps this fast under the race detector.
	opts := demo.Options{Cases: 1000, Until: "2023-01-31"}
	c1, a1, d1 := seed(opts)
	c2, a2, d2 := seed(opts)
	if c1 != c2 || a1 != a2 || d1 != d2 {
		t.Fatalf("same options, different data:\ncases %s / %s\nappeals %s / %s\ndetections %s / %s", c1, c2, a1, a2, d1, d2)
	}
	opts.Seed = 7
	if c3, _, _ := seed(opts); c3 == c1 {
		t.Fatal("another seed gave the same cases")
	}
}

func TestSeedRejectsBadOptions(t *testing.T) {
	ref := reference.MustRead()
	s := storetest.Open(t, storetest.SQLiteURL(t))
	for _, opts := range []demo.Options{{Cases: -1}, {Until: "31.10.2026"}, {Until: "2022-12-31"}} {
		if _, err := demo.Seed(context.Background(), s, ref, opts); err == nil {
			t.Errorf("Seed(%+v) succeeded", opts)
		}
	}
	if n, err := s.CountReleases(context.Background()); err != nil || n != 0 {
		t.Errorf("%d releases after rejected seeds (%v)", n, err)
	}
}
