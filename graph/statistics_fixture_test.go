package graph_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The fixture of the statistics tests: random cases of every shape, loaded into a store
// behind a GraphQL server, and the client side of a statistics question. See
// statistics_test.go for the tests, statistics_oracle_test.go for the computation the
// answers are compared to and statistics_attack_test.go for the attack on withheld cells.

// rawCase is a case as the test generated it.
type rawCase struct {
	model.Case
	Pseudonym *string
	Appeals   []model.Appeal
}

type statsFixture struct {
	// recordKey gives a case's record key under the fixture's secret, personKey the record
	// key of each defendant's first case: what perturbs the figures counting them.
	recordKey func([]byte) uint16
	personKey map[string]uint16
	engine    *stats.Engine
	st        *store.Store
	ref       *reference.Data
	cases     []rawCase
	dets      []model.Detection
	url       string
}

func newStatsFixture(t *testing.T, databaseURL string, n int, seed uint64, k int) *statsFixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, databaseURL)
	ref := reference.MustRead()
	f := &statsFixture{st: st, ref: ref}
	f.cases, f.dets = randomCases(ref, n, seed)
	_, err := st.Load(ctx, model.Release{Synthetic: true}, func(b *store.Batch) error {
		for i := range f.cases {
			c := &f.cases[i]
			rec := &store.CaseRecord{Case: c.Case, SourceKey: fmt.Sprintf("src-%d", i), Pseudonym: c.Pseudonym, Appeals: c.Appeals}
			if err := b.AddCase(ctx, rec); err != nil {
				return err
			}
			c.Case = rec.Case
		}
		for i := range f.dets {
			if err := b.AddDetection(ctx, &f.dets[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.recordKey = privacy.RecordKeys([]byte("test secret"))
	f.keyPeople()
	f.engine = stats.NewEngine(st, ref, []byte("test secret"))
	api, err := graph.New(graph.Options{Store: st, Engine: f.engine, Reference: ref, Secret: []byte("test secret"),
		Threshold: k, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.GraphQL)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// keyPeople notes the record key of each defendant's first case (the one with the
// smallest id), which counts the defendant among repeat defendants.
func (f *statsFixture) keyPeople() {
	f.personKey = map[string]uint16{}
	first := map[string]int64{}
	for i := range f.cases {
		c := &f.cases[i]
		if c.Pseudonym == nil {
			continue
		}
		if id, ok := first[*c.Pseudonym]; !ok || c.ID < id {
			first[*c.Pseudonym] = c.ID
			f.personKey[*c.Pseudonym] = f.recordKey([]byte(c.Reference))
		}
	}
}

// randomCases draws n cases and some detections. Values come from small pools so that
// groups of every size, from 1 up, occur.
func randomCases(ref *reference.Data, n int, seed uint64) ([]rawCase, []model.Detection) {
	rng := rand.New(rand.NewPCG(seed, 11))
	pick := func(codes []string) string { return codes[rng.IntN(len(codes))] }
	day := func(from string, maxDays int) string {
		t, _ := time.Parse(time.DateOnly, from)
		return t.AddDate(0, 0, rng.IntN(maxDays)+1).Format(time.DateOnly)
	}
	people := make([]string, n/2+1)
	for i := range people {
		h := sha256.Sum256([]byte(fmt.Sprint("person", seed, i)))
		people[i] = hex.EncodeToString(h[:])
	}
	var out []rawCase
	for i := range n {
		j := model.JurisdictionKZ
		if rng.IntN(4) == 0 {
			j = model.JurisdictionKG
		}
		regions := reference.Filter(ref.Regions, j, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
		articles := reference.Filter(ref.Articles, j, func(a *model.Article) model.Jurisdiction { return a.Jurisdiction })
		cat := model.ContentCategory(pick(model.ContentCategoryVocabulary.Codes()))
		c := rawCase{Case: model.Case{
			Reference: fmt.Sprintf("%s-T-%06d", j, i), Jurisdiction: j, Category: cat, Concern: cat.Concern(),
			Platform:   model.Platform(pick(model.PlatformVocabulary.Codes())),
			Liability:  model.LiabilityAdministrative,
			ReportedOn: day("2022-12-31", 3*365),
		}}
		if rng.IntN(20) > 0 {
			c.RegionCode = ptr(regions[rng.IntN(len(regions))].Code)
		}
		if rng.IntN(10) > 0 {
			a := articles[rng.IntN(len(articles))]
			c.ArticleCode, c.Liability = ptr(a.Code), a.Liability
		}
		if rng.IntN(8) > 0 {
			c.DefendantKind = ptr(model.DefendantKind(pick(model.DefendantKindVocabulary.Codes())))
		}
		if rng.IntN(6) > 0 {
			c.Pseudonym = ptr(people[rng.IntN(len(people))])
		}
		if rng.IntN(8) > 0 {
			c.ExpertConclusion = ptr(model.ExpertConclusion(pick(model.ExpertConclusionVocabulary.Codes())))
			c.ExpertOn = ptr(day(c.ReportedOn, 30))
		}
		offence := c.ExpertConclusion != nil && (*c.ExpertConclusion == model.ExpertConclusionAdministrativeOffense || *c.ExpertConclusion == model.ExpertConclusionCriminalOffense)
		if offence && rng.IntN(10) > 0 {
			c.CaseOpenedOn = ptr(day(*c.ExpertOn, 20))
			c.ProsecutorDecision = ptr(model.ProsecutorDecision(pick([]string{"APPROVED", "APPROVED", "APPROVED", "REJECTED", "RETURNED", "PENDING"})))
			if *c.ProsecutorDecision != model.ProsecutorDecisionPending {
				c.ProsecutorOn = ptr(day(*c.CaseOpenedOn, 20))
			}
		}
		if c.ProsecutorDecision != nil && *c.ProsecutorDecision == model.ProsecutorDecisionApproved && rng.IntN(7) > 0 {
			c.CourtDecision = ptr(model.Decision(pick([]string{"LIABLE", "LIABLE", "LIABLE", "NOT_LIABLE", "DISMISSED", "TERMINATED", "PENDING"})))
			if *c.CourtDecision != model.DecisionPending {
				c.CourtOn = ptr(day(*c.ProsecutorOn, 300))
			}
			if *c.CourtDecision == model.DecisionLiable {
				c.Sanction = ptr(model.Sanction(pick([]string{"FINE", "FINE", "FINE", "WARNING", "ADMINISTRATIVE_ARREST", "IMPRISONMENT"})))
				if *c.Sanction == model.SanctionFine {
					c.FineAmount = ptr(int64(1+rng.IntN(40)) * 3692)
				}
			}
		}
		if c.CourtOn != nil && rng.IntN(3) == 0 {
			ap := model.Appeal{Level: model.AppealLevelAppeal, Jurisdiction: j, FiledOn: ptr(day(*c.CourtOn, 10)),
				FiledBy: ptr(model.AppealParty(pick(model.AppealPartyVocabulary.Codes()))),
				Status:  model.AppealStatus(pick(model.AppealStatusVocabulary.Codes()))}
			if ap.Status != model.AppealStatusPending {
				ap.DecidedOn = ptr(day(*ap.FiledOn, 60))
			}
			if ap.Status == model.AppealStatusModified && c.FineAmount != nil {
				ap.FineAmount = ptr(*c.FineAmount + int64(rng.IntN(3)-1)*5000)
			}
			c.Appeals = append(c.Appeals, ap)
			if ap.DecidedOn != nil && rng.IntN(3) == 0 {
				cs := model.Appeal{Level: model.AppealLevelCassation, Jurisdiction: j, FiledOn: ptr(day(*ap.DecidedOn, 30)),
					FiledBy: ptr(model.AppealParty(pick(model.AppealPartyVocabulary.Codes()))),
					Status:  model.AppealStatus(pick(model.AppealStatusVocabulary.Codes()))}
				if cs.Status != model.AppealStatusPending {
					cs.DecidedOn = ptr(day(*cs.FiledOn, 90))
				}
				if cs.Status == model.AppealStatusModified && c.FineAmount != nil && rng.IntN(2) == 0 {
					cs.FineAmount = ptr(*c.FineAmount / 2)
				}
				c.Appeals = append(c.Appeals, cs)
			}
			c.AppealStatus = ptr(c.Appeals[len(c.Appeals)-1].Status)
		}
		c.Stage = c.DeriveStage(c.Appeals)
		out = append(out, c)
	}
	var dets []model.Detection
	for range 3 * n {
		d := model.Detection{
			Jurisdiction: model.JurisdictionKZ,
			Category:     model.ContentCategory(pick(model.ContentCategoryVocabulary.Codes())),
			Platform:     model.Platform(pick([]string{"TELEGRAM", "WEBSITE", "TIKTOK"})),
			Action:       model.DetectionAction(pick(model.DetectionActionVocabulary.Codes())),
			DetectedOn:   day("2022-12-31", 3*365),
		}
		if rng.IntN(5) > 0 {
			d.RegionCode = ptr(pick([]string{"KZ-75", "KZ-71", "KZ-79"}))
		}
		dets = append(dets, d)
	}
	return out, dets
}

// ---------------------------------------------------------------- the answer

type statAnswer struct {
	Statistics struct {
		SuppressionThreshold int
		Perturbed            bool
		Total                statBucket
		Buckets              []statBucket
	}
}

type statBucket struct {
	Key []struct {
		Dimension, Code, Label string
	}
	Period                  *string
	Count                   *int
	Suppressed              bool
	Liable, Fined, Appealed *int
	AppealsSucceeded        *int
	Fines                   []fineStats
	MedianDaysToDecision    *float64
	ProsecutorRejectionRate *float64
	ExpertNoOffenceRate     *float64
	RepeatDefendants        *int
	CountPer100k            *float64
	LiablePer100k           *float64
	FinedPer100k            *float64
	PopulationYear          *int
}

type fineStats struct {
	Currency               string
	Count, Total, Min, Max *int
	Mean, Median, P90      *float64
	IndexUnits             *struct {
		Unit                  string
		Total, Mean           float64
		Min, Max, Median, P90 *float64
	}
}

const statFields = `key { dimension code label(lang: RU) } period count suppressed liable fined appealed appealsSucceeded
	fines { currency count total mean median p90 min max indexUnits { unit total mean median p90 min max } }
	medianDaysToDecision prosecutorRejectionRate expertNoOffenceRate repeatDefendants countPer100k liablePer100k finedPer100k populationYear`

func (f *statsFixture) statistics(t *testing.T, filter map[string]any, groupBy []string, interval string, k *int) statAnswer {
	t.Helper()
	if groupBy == nil {
		groupBy = []string{}
	}
	vars := map[string]any{"f": filter, "g": groupBy, "k": k}
	if interval != "" {
		vars["i"] = interval
	}
	var a statAnswer
	fx := &fixture{url: f.url}
	fx.data(t, `query($f: CaseFilter, $g: [Dimension!]!, $i: Interval, $k: Int) {
		statistics(filter: $f, groupBy: $g, interval: $i, suppressionThreshold: $k) {
			suppressionThreshold perturbed total { `+statFields+` } buckets { `+statFields+` } } }`, vars, &a)
	return a
}

// errors posts a query that must fail and returns its errors.
func (f *fixture) errors(t *testing.T, query string, vars map[string]any) []gqlError {
	t.Helper()
	r := f.post(t, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("status %d: no errors", r.status)
	}
	return r.Errors
}
