// Package stats computes the published statistics and the enforcement funnel from the
// exact categories of every case, and applies disclosure control (privacy) to them. It also
// picks the pages of case lists and counts them (cases.go), from the same facts.
//
// Figures are computed from a compact in-memory table of case facts (about 64 bytes a
// case) rather than by SQL: the figures include exact medians and percentiles, which
// SQLite cannot compute, and a grouped pass over a million facts takes tens of
// milliseconds where a scan of the cases table takes seconds. The table is built from the
// store once and then patched with the cases each new release changed; every answer first
// checks the store's release generation, so no answer is computed from an older release.
package stats

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// Store is what the engine needs of the SQL store.
type Store interface {
	Generation(ctx context.Context) (int64, error)
	EachCaseFact(ctx context.Context, after int64, fn func(*store.CaseFact) error) error
	CountCases(ctx context.Context, f model.CaseFilter) (int, error)
	CaseIDsMatchingSearch(ctx context.Context, search string) ([]int64, error)
	EachDetection(ctx context.Context, after, upTo int64, fn func(*store.DetectionRow) error) error
}

// Columns of a fact's codes: the twelve dimensions in model.Dimensions order, then two
// that are filtered and counted but not grouped by.
const (
	colProsecutor = 12 + iota // len(model.Dimensions), checked in init
	colExpert
	nColumns
)

// dimensionColumns maps each dimension to its column.
var dimensionColumns = func() map[model.Dimension]int {
	m := make(map[model.Dimension]int, len(model.Dimensions))
	for i, d := range model.Dimensions {
		m[d] = i
	}
	return m
}()

func column(d model.Dimension) int { return dimensionColumns[d] }

func init() {
	if len(model.Dimensions) != colProsecutor {
		panic("stats: the fact columns do not match model.Dimensions")
	}
}

// Fact flags.
const (
	caseOpened uint8 = 1 << iota
	hasFine
	appealSucceeded
)

// What the case-level view withholds of a fact (fact.view), from its generalisation:
// case lists must not find a case by a value the view withholds, nor list a case the view
// leaves out.
const (
	viewRegion uint16 = 1 << iota
	viewKind
	viewPlatform
	viewArticle
	viewSanction // also withheld with the appeals
	viewAppealStatus
	viewCategory
	viewLeftOut
)

// viewFlags maps the names of Case.generalized to the flags of what they withhold.
var viewFlags = map[string]uint16{
	model.GeneralizedRegion:   viewRegion,
	model.GeneralizedKind:     viewKind,
	model.GeneralizedPlatform: viewPlatform,
	model.GeneralizedArticle:  viewArticle,
	model.GeneralizedSanction: viewSanction,
	model.GeneralizedAppeals:  viewAppealStatus | viewSanction,
	model.GeneralizedCategory: viewCategory,
	model.GeneralizedCase:     viewLeftOut,
}

// fact is one case as statistics see it. Codes index the snapshot's dictionaries; 0 is
// NONE (no value).
type fact struct {
	id        int64
	fine      int64  // first-instance fine, when flags&hasFine
	pseudonym uint64 // defendant pseudonym, shortened; 0 when there is none
	// rank orders a case among those of its month in case lists (cases.go).
	rank uint64
	// key is the case's record key (privacy.RecordKeys): it decides the perturbation of
	// every figure that counts the case.
	key uint16
	// Days since 1970-01-01 (case lists filter by day, never sort by it); decidedDay is 0
	// while undecided.
	reportedDay, decidedDay uint16
	// Months since year 0 (year*12 + month-1); decided is 0 while undecided.
	reported, decided uint16
	// The periods the case-level view publishes the dates in (periodKey); decidedPeriod is
	// 0 while undecided. Case lists filter and order by them.
	reportedPeriod, decidedPeriod uint16
	codes                         [nColumns]uint16
	// view flags what the case-level view withholds (viewRegion, …).
	view  uint16
	flags uint8
}

// dictionary numbers the codes of one column: 0 is NONE, then the codes in the order they
// were added. Enumerations start with their schema order, so sorting by number sorts by it.
type dictionary struct {
	codes []string // codes[0] is model.NoValue
	index map[string]uint16
}

func newDictionary(codes ...string) *dictionary {
	d := &dictionary{codes: []string{model.NoValue}, index: map[string]uint16{}}
	for _, c := range codes {
		d.add(c)
	}
	return d
}

func (d *dictionary) add(code string) uint16 {
	if i, ok := d.index[code]; ok {
		return i
	}
	d.codes = append(d.codes, code)
	i := uint16(len(d.codes) - 1)
	d.index[code] = i
	return i
}

func (d *dictionary) clone() *dictionary {
	c := &dictionary{codes: slices.Clone(d.codes), index: make(map[string]uint16, len(d.index))}
	for k, v := range d.index {
		c.index[k] = v
	}
	return c
}

// snapshot is the fact table of one release generation. It is never changed once
// published; a newer release gets a new snapshot.
type snapshot struct {
	generation int64
	facts      []fact // ordered by id
	dicts      [nColumns]*dictionary
	// byPerson lists the facts that have a defendant, by pseudonym then position.
	byPerson []int32
	// repeatFacts lists, defendant after defendant, the facts of every defendant with two
	// or more cases; defendant g's are repeatFacts[repeatStarts[g]:repeatStarts[g+1]].
	repeatFacts, repeatStarts []int32
	// orders serve case lists; built by order() on first use.
	ordersOnce sync.Once
	orders     caseOrders
}

// groupRepeatDefendants fills byPerson, repeatFacts and repeatStarts. When old is given,
// s is old with the facts at the positions changed replaced or added, and byPerson is
// old's with those positions taken out and put back in order: a release changes a few
// thousand facts, and sorting a million again took a quarter of a second.
func (s *snapshot) groupRepeatDefendants(old *snapshot, changed []int32) {
	byPerson := func(a, b int32) int {
		return cmp.Or(cmp.Compare(s.facts[a].pseudonym, s.facts[b].pseudonym), cmp.Compare(a, b))
	}
	if old == nil {
		s.byPerson = s.byPerson[:0]
		for i := range s.facts {
			if s.facts[i].pseudonym != 0 {
				s.byPerson = append(s.byPerson, int32(i))
			}
		}
		slices.SortFunc(s.byPerson, byPerson)
	} else {
		isChanged := make([]bool, len(s.facts))
		var fresh []int32
		for _, i := range changed {
			if !isChanged[i] && s.facts[i].pseudonym != 0 {
				fresh = append(fresh, i)
			}
			isChanged[i] = true
		}
		slices.SortFunc(fresh, byPerson)
		// The facts old kept keep their pseudonyms and positions, so their order holds.
		s.byPerson = make([]int32, 0, len(old.byPerson)+len(fresh))
		for _, i := range old.byPerson {
			if isChanged[i] {
				continue
			}
			for len(fresh) > 0 && byPerson(fresh[0], i) < 0 {
				s.byPerson, fresh = append(s.byPerson, fresh[0]), fresh[1:]
			}
			s.byPerson = append(s.byPerson, i)
		}
		s.byPerson = append(s.byPerson, fresh...)
	}
	s.repeatFacts, s.repeatStarts = s.repeatFacts[:0], s.repeatStarts[:0]
	for i := 0; i < len(s.byPerson); {
		j := i + 1
		for j < len(s.byPerson) && s.facts[s.byPerson[j]].pseudonym == s.facts[s.byPerson[i]].pseudonym {
			j++
		}
		if j-i >= 2 {
			s.repeatStarts = append(s.repeatStarts, int32(len(s.repeatFacts)))
			s.repeatFacts = append(s.repeatFacts, s.byPerson[i:j]...)
		}
		i = j
	}
	s.repeatStarts = append(s.repeatStarts, int32(len(s.repeatFacts)))
}

func newSnapshot(ref *reference.Data) *snapshot {
	s := &snapshot{}
	vocab := func(v *model.Vocabulary) *dictionary { return newDictionary(v.Codes()...) }
	var regions []string
	for _, r := range ref.Regions {
		regions = append(regions, r.Code)
	}
	for _, d := range model.Dimensions {
		switch v := d.Vocabulary(); {
		case v != nil:
			s.dicts[column(d)] = vocab(v)
		case d == model.DimensionRegion:
			s.dicts[column(d)] = newDictionary(regions...)
		default: // articles: the reference list and imports' own, as they come
			s.dicts[column(d)] = newDictionary()
		}
	}
	s.dicts[colProsecutor] = vocab(model.ProsecutorDecisionVocabulary)
	s.dicts[colExpert] = vocab(model.ExpertConclusionVocabulary)
	return s
}

// Engine answers statistics and funnel queries.
type Engine struct {
	store Store
	ref   *reference.Data
	// MaxBuckets bounds the buckets of one statistics answer.
	MaxBuckets int
	// passes admits one pass over the facts per processor: more at once would not finish
	// sooner, only hold more memory while they wait for the processor.
	passes chan struct{}

	mu      sync.Mutex // serialises refreshes
	current atomic.Pointer[snapshot]

	// The detections (detections.go), kept apart from the cases: their table changes only
	// when a load adds detections.
	detectionsMu sync.Mutex // serialises their refreshes
	detections   atomic.Pointer[detectionTable]

	// orderKey keys the rank of a case within its month in case lists (cases.go).
	orderKey []byte
	// secret keys the record keys of the cases (privacy.RecordKeys).
	secret []byte
	// articleJurisdiction maps the reference data's article codes to their jurisdiction,
	// for the codes only one jurisdiction uses (publish.go).
	articleJurisdiction map[string]model.Jurisdiction
}

// NewEngine returns an engine over st. The fact table is built on first use (or by Warm).
// secret (the server's) keys the order of the cases within a month in case lists and the
// record keys that perturb statistics.
func NewEngine(st Store, ref *reference.Data, secret []byte) *Engine {
	articles := map[string]model.Jurisdiction{}
	shared := map[string]bool{}
	for _, a := range ref.Articles {
		if j, ok := articles[a.Code]; ok && j != a.Jurisdiction {
			shared[a.Code] = true
		}
		articles[a.Code] = a.Jurisdiction
	}
	for code := range shared {
		delete(articles, code)
	}
	return &Engine{store: st, ref: ref, MaxBuckets: DefaultMaxBuckets, passes: make(chan struct{}, runtime.GOMAXPROCS(0)),
		orderKey: orderKey(secret), secret: slices.Clone(secret), articleJurisdiction: articles}
}

// Warm builds the fact table and the detection table of the current release, so the
// first query does not wait.
func (e *Engine) Warm(ctx context.Context) error {
	if _, err := e.snapshot(ctx); err != nil {
		return err
	}
	_, err := e.detectionTable(ctx)
	return err
}

// begin starts a pass over the facts for filter f: it waits for a turn (one pass per
// processor), brings the fact table up to the current release and compiles the filter.
// The caller must call release once done with the facts.
func (e *Engine) begin(ctx context.Context, f model.CaseFilter, sc scope) (s *snapshot, m *matcher, release func(), err error) {
	select {
	case e.passes <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, nil, ctx.Err()
	}
	release = func() { <-e.passes }
	if s, err = e.snapshot(ctx); err == nil {
		m, err = e.compile(ctx, s, f, sc)
	}
	if err != nil {
		release()
		return nil, nil, nil, err
	}
	return s, m, release, nil
}

// checkThreshold refuses a suppression threshold below the floor.
func checkThreshold(k int) error {
	if k < privacy.MinThreshold {
		return fmt.Errorf("suppression threshold %d is below %d", k, privacy.MinThreshold)
	}
	return nil
}

// snapshot returns the fact table of the store's current release generation, bringing it
// up to date first when a release has been committed since.
func (e *Engine) snapshot(ctx context.Context) (*snapshot, error) {
	gen, err := e.store.Generation(ctx)
	if err != nil {
		return nil, err
	}
	if s := e.current.Load(); s != nil && s.generation == gen {
		return s, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.current.Load()
	if s != nil && s.generation == gen {
		return s, nil
	}
	next, err := e.refresh(ctx, s, gen)
	if err != nil {
		return nil, err
	}
	e.current.Store(next)
	return next, nil
}

// refresh returns a snapshot of generation gen: old patched with the cases changed after
// old's generation, or a full load when there is no old snapshot. Cases committed while
// it reads are included too; the next refresh reads them again, which changes nothing.
func (e *Engine) refresh(ctx context.Context, old *snapshot, gen int64) (*snapshot, error) {
	var next *snapshot
	var after int64
	if old == nil {
		next = newSnapshot(e.ref)
		// Sized up front: growing a slice of a million facts by doubling would leave twice
		// the table in garbage behind it.
		n, err := e.store.CountCases(ctx, model.CaseFilter{})
		if err != nil {
			return nil, err
		}
		next.facts = make([]fact, 0, n+n/64+16)
	} else {
		facts := make([]fact, len(old.facts), len(old.facts)+len(old.facts)/16+16)
		copy(facts, old.facts)
		next = &snapshot{facts: facts}
		for i, d := range old.dicts {
			next.dicts[i] = d.clone()
		}
		after = old.generation
	}
	next.generation = gen
	n := len(next.facts)
	var replaced []int32 // positions of the facts a patch replaced
	rank := newRanker(e.orderKey)
	recordKey := privacy.RecordKeys(e.secret)
	err := e.store.EachCaseFact(ctx, after, func(cf *store.CaseFact) error {
		f, err := next.convert(cf)
		if err != nil {
			return err
		}
		f.rank = rank(cf.Reference)
		f.key = recordKey(cf.Reference)
		if after > 0 {
			if i, ok := slices.BinarySearchFunc(next.facts[:n], f.id, func(x fact, id int64) int { return cmp.Compare(x.id, id) }); ok {
				next.facts[i] = f
				replaced = append(replaced, int32(i))
				return nil
			}
		}
		next.facts = append(next.facts, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A patch reads the changed cases in no particular order. New cases have ids above
	// every older one, so sorting the new facts among themselves keeps the table in order
	// and every older fact at its position.
	byID := func(a, b fact) int { return cmp.Compare(a.id, b.id) }
	added := next.facts[n:]
	if !slices.IsSortedFunc(added, byID) {
		slices.SortFunc(added, byID)
	}
	if n > 0 && len(added) > 0 && added[0].id < next.facts[n-1].id {
		slices.SortFunc(next.facts, byID) // not expected: positions move, so group anew
		old = nil
	}
	if old == nil {
		next.groupRepeatDefendants(nil, nil)
		return next, nil
	}
	for i := n; i < len(next.facts); i++ {
		replaced = append(replaced, int32(i))
	}
	next.groupRepeatDefendants(old, replaced)
	return next, nil
}

// concernOf returns the concern code of a category code.
func (s *snapshot) concernOf(category uint16) uint16 {
	if category == 0 {
		return 0
	}
	c := model.ContentCategory(s.dicts[column(model.DimensionCategory)].codes[category])
	return s.dicts[column(model.DimensionConcern)].add(string(c.Concern()))
}

// convert turns a stored case into a fact, adding unseen codes (articles from imports,
// regions the reference list lacks) to the dictionaries.
func (s *snapshot) convert(cf *store.CaseFact) (fact, error) {
	f := fact{id: cf.ID}
	set := func(col int, b []byte) {
		if b == nil {
			return
		}
		d := s.dicts[col]
		if i, ok := d.index[string(b)]; ok { // no allocation for a code already known
			f.codes[col] = i
			return
		}
		f.codes[col] = d.add(string(b))
	}
	set(column(model.DimensionJurisdiction), cf.Jurisdiction)
	set(column(model.DimensionRegion), cf.Region)
	set(column(model.DimensionCategory), cf.Category)
	f.codes[column(model.DimensionConcern)] = s.concernOf(f.codes[column(model.DimensionCategory)])
	set(column(model.DimensionPlatform), cf.Platform)
	set(column(model.DimensionArticle), cf.Article)
	set(column(model.DimensionLiability), cf.Liability)
	set(column(model.DimensionDefendantKind), cf.DefendantKind)
	set(column(model.DimensionStage), cf.Stage)
	set(column(model.DimensionDecision), cf.Decision)
	set(column(model.DimensionSanction), cf.Sanction)
	set(column(model.DimensionAppealStatus), cf.AppealStatus)
	set(colProsecutor, cf.Prosecutor)
	set(colExpert, cf.Expert)
	if cf.CaseOpened {
		f.flags |= caseOpened
	}

	reported, err := parseDate(cf.ReportedOn)
	if err != nil {
		return f, fmt.Errorf("case %d: reported_on: %w", cf.ID, err)
	}
	f.reported = monthIndex(reported)
	if f.reportedDay, err = dayIndex(reported); err != nil {
		return f, fmt.Errorf("case %d: reported_on: %w", cf.ID, err)
	}
	if cf.CourtOn != nil {
		decided, err := parseDate(cf.CourtOn)
		if err != nil {
			return f, fmt.Errorf("case %d: court_on: %w", cf.ID, err)
		}
		f.decided = monthIndex(decided)
		if f.decidedDay, err = dayIndex(decided); err != nil {
			return f, fmt.Errorf("case %d: court_on: %w", cf.ID, err)
		}
	}
	yearOnly := false
	for field := range strings.SplitSeq(string(cf.Generalized), ",") {
		f.view |= viewFlags[field]
		yearOnly = yearOnly || field == model.GeneralizedDates
	}
	f.reportedPeriod = periodKey(reported, yearOnly)
	if cf.CourtOn != nil {
		decided, _ := parseDate(cf.CourtOn) // parsed above
		f.decidedPeriod = periodKey(decided, yearOnly)
	}
	if cf.FineAmount.Valid {
		f.fine = cf.FineAmount.Int64
		f.flags |= hasFine
	}
	if cf.Pseudonym != nil {
		// A 64-bit hash of the pseudonym tells defendants apart as well as the pseudonym
		// (a collision among a million defendants has odds of about 1 in 10^7).
		h := fnv.New64a()
		h.Write(cf.Pseudonym)
		f.pseudonym = h.Sum64() | 1 // never 0, which means "none"
	}
	if appealsHelped(string(cf.Decision), cf.FineAmount, []appealStep{
		{string(cf.AppealOutcome), cf.AppealFine.Int64, cf.AppealFine.Valid},
		{string(cf.CassationOutcome), cf.CassationFine.Int64, cf.CassationFine.Valid},
	}) {
		f.flags |= appealSucceeded
	}
	return f, nil
}

type appealStep struct {
	status  string
	fine    int64
	hasFine bool
}

// appealsHelped reports whether appeal and cassation together left the defendant better
// off than the first instance did: a liable decision overturned, or the fine reduced.
// Each decided level acts on the decision before it: OVERTURNED reverses it, MODIFIED may
// set a new fine; pending, withdrawn and remanded levels change nothing yet.
func appealsHelped(decision string, fine sql.NullInt64, steps []appealStep) bool {
	liable := decision == string(model.DecisionLiable)
	initialLiable, currentFine, hadFine := liable, fine.Int64, fine.Valid
	for _, st := range steps {
		switch model.AppealStatus(st.status) {
		case model.AppealStatusOverturned:
			liable = !liable
		case model.AppealStatusModified:
			if st.hasFine {
				currentFine = st.fine
			}
		}
	}
	if initialLiable && !liable {
		return true
	}
	return initialLiable && liable && hadFine && currentFine < fine.Int64
}

func parseDate(b []byte) (time.Time, error) {
	if len(b) < 10 {
		return time.Time{}, fmt.Errorf("%q is not a date", b)
	}
	return time.Parse(time.DateOnly, string(b[:10]))
}

// periodKey numbers a published period, quarter or year, so that the periods sort in time
// order and a year-only period after the quarters of its year: year*5 + quarter-1, or
// year*5 + 4 for the year alone.
func periodKey(t time.Time, yearOnly bool) uint16 {
	if yearOnly {
		return uint16(t.Year()*5 + 4)
	}
	return uint16(t.Year()*5 + (int(t.Month())-1)/3)
}

func monthIndex(t time.Time) uint16 { return uint16(t.Year()*12 + int(t.Month()) - 1) }

// dayIndex numbers the days from 1970-01-01 (day 0, which no case can have: dates start
// at model.EarliestDate).
func dayIndex(t time.Time) (uint16, error) {
	d := t.Unix() / 86400
	if d <= 0 || d > math.MaxUint16 {
		return 0, fmt.Errorf("%s is outside the dates a case may have", t.Format(time.DateOnly))
	}
	return uint16(d), nil
}

// daysToDecision is the number of days from report to first-instance decision; ok is
// false while the case is undecided.
func (f *fact) daysToDecision() (days int, ok bool) {
	if f.decidedDay == 0 {
		return 0, false
	}
	return int(f.decidedDay) - int(f.reportedDay), true
}
