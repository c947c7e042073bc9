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
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// Store is what the engine needs of the SQL store.
type Store interface {
	Generation(ctx context.Context) (int64, error)
	Release(ctx context.Context, id int64) (*model.Release, error)
	EachCaseFact(ctx context.Context, after int64, fn func(*store.CaseFact) error) error
	CountCases(ctx context.Context, f model.CaseFilter) (int, error)
	CasesByID(ctx context.Context, ids []int64) ([]model.Case, error)
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
	view uint16
	// fineCode numbers the fine's jurisdiction, amount and year (snapshot.fines); 0 when
	// there is no fine or the dictionary is full (then fine is counted as it is).
	fineCode uint16
	flags    uint8
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

// fineEntry is what a fine is counted by: its jurisdiction's code, amount and year.
type fineEntry struct {
	jurisdiction uint16
	key          fineKey
}

// fineDictionary numbers the fines' entries from 1. Fines are multiples of a yearly index
// unit, so there are few: a few thousand among a million fines.
type fineDictionary struct {
	entries []fineEntry // entries[0] is unused: code 0 is none
	index   map[fineEntry]uint16
}

func newFineDictionary(entries []fineEntry) *fineDictionary {
	if len(entries) == 0 {
		entries = []fineEntry{{}}
	}
	d := &fineDictionary{entries: entries, index: make(map[fineEntry]uint16, len(entries))}
	for i, e := range entries[1:] {
		d.index[e] = uint16(i + 1)
	}
	return d
}

// code returns e's code, adding it; 0 once the codes are used up.
func (d *fineDictionary) code(e fineEntry) uint16 {
	if c, ok := d.index[e]; ok {
		return c
	}
	if len(d.entries) > math.MaxUint16 {
		return 0
	}
	d.entries = append(d.entries, e)
	c := uint16(len(d.entries) - 1)
	d.index[e] = c
	return c
}

func (d *fineDictionary) clone() *fineDictionary {
	return newFineDictionary(slices.Clone(d.entries))
}

// snapshot is the fact table of one release generation. It is never changed once
// published; a newer release gets a new snapshot.
type snapshot struct {
	generation int64
	facts      []fact // ordered by id
	dicts      [nColumns]*dictionary
	fines      *fineDictionary
	// byPerson lists the facts that have a defendant, by pseudonym then position.
	byPerson []int32
	// repeatFacts lists, defendant after defendant, the facts of every defendant with two
	// or more cases; defendant g's are repeatFacts[repeatStarts[g]:repeatStarts[g+1]].
	repeatFacts, repeatStarts []int32
	// index finds the facts a filter matches (index.go), words those a search does (words.go).
	index *index
	words *words
	// orders serve case lists; built by order() on first use.
	ordersOnce sync.Once
	orders     caseOrders
	ordered    atomic.Bool // orders are built
	// rows keeps case rows read for this release (rows.go); the one part of a snapshot
	// that changes, behind its own lock.
	rowsOnce sync.Once
	rows     *lru.Cache[int64, keptRow]
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
		s.byPerson = mergeChanged(old.byPerson, len(s.facts), changed, func(i int32) bool { return s.facts[i].pseudonym != 0 }, byPerson)
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

// mergeChanged returns old, positions of n facts sorted by cmp, with the positions in
// changed taken out and those of them that keep says belong put back in their places:
// the facts old kept keep their values and positions, so their order holds, and only the
// changed ones need sorting (a release changes thousands of a million).
func mergeChanged(old []int32, n int, changed []int32, keep func(int32) bool, cmp func(a, b int32) int) []int32 {
	isChanged := make([]bool, n)
	var fresh []int32
	for _, i := range changed {
		if !isChanged[i] && keep(i) {
			fresh = append(fresh, i)
		}
		isChanged[i] = true
	}
	slices.SortFunc(fresh, cmp)
	out := make([]int32, 0, len(old)+len(fresh))
	for _, i := range old {
		if isChanged[i] {
			continue
		}
		for len(fresh) > 0 && cmp(fresh[0], i) < 0 {
			out, fresh = append(out, fresh[0]), fresh[1:]
		}
		out = append(out, i)
	}
	return append(out, fresh...)
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
	s.fines = newFineDictionary(nil)
	return s
}

// Engine answers statistics and funnel queries.
type Engine struct {
	store Store
	ref   *reference.Data
	// MaxBuckets bounds the buckets of one statistics answer.
	MaxBuckets int
	// RowCache bounds the case rows kept in memory per release (Cases); 0 keeps none.
	RowCache int
	// Generation, when set, tells the current release generation instead of the store:
	// a server that follows the releases already (cache.Cache.Generation) saves a round
	// trip to SQL on every question.
	Generation func(context.Context) (int64, error)
	// SnapshotFile, when set, is where the tables are kept between starts (snapfile.go):
	// read once on first use, written after each release.
	SnapshotFile string
	// Log receives what happens to the snapshot file; nil for none.
	Log *slog.Logger
	// saving serialises writes of the snapshot file; saved is the generation last written.
	saving sync.Mutex
	saved  int64
	savers sync.WaitGroup
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
	return &Engine{store: st, ref: ref, MaxBuckets: DefaultMaxBuckets, RowCache: DefaultRowCache, passes: make(chan struct{}, runtime.GOMAXPROCS(0)),
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

// snapshot returns the fact table of the current release generation, bringing it up to
// date first when a release has been committed since. Like the detections, the table never
// goes back to an older generation (a database restored to an older release needs a
// restart of the server).
func (e *Engine) snapshot(ctx context.Context) (*snapshot, error) {
	gen, err := e.generation(ctx)
	if err != nil {
		return nil, err
	}
	if s := e.current.Load(); s != nil && s.generation >= gen {
		return s, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.current.Load()
	if s != nil && s.generation >= gen {
		return s, nil
	}
	if s == nil && e.SnapshotFile != "" {
		s = e.startFromFile(ctx)
		if s != nil && s.generation == gen {
			e.current.Store(s)
			return s, nil
		}
	}
	next, err := e.refresh(ctx, s, gen)
	if err != nil {
		return nil, err
	}
	e.current.Store(next)
	if e.SnapshotFile != "" {
		e.savers.Go(func() { e.save(context.WithoutCancel(ctx), next) })
	}
	return next, nil
}

// startFromFile returns the fact table kept in the snapshot file, nil when there is none
// to start from; it installs the file's detection table too.
func (e *Engine) startFromFile(ctx context.Context) *snapshot {
	start := time.Now()
	s, t, err := e.loadSnapshot(ctx)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			e.logger().Warn("fact table snapshot not used", "file", e.SnapshotFile, "err", err)
		}
		return nil
	}
	e.saved = s.generation
	if e.detections.Load() == nil {
		e.detections.Store(t)
	}
	e.logger().Info("fact table read from its snapshot", "file", e.SnapshotFile, "release", s.generation,
		"cases", len(s.facts), "took", time.Since(start).Round(time.Millisecond))
	return s
}

// save writes s to the snapshot file unless a table as new is there already.
func (e *Engine) save(ctx context.Context, s *snapshot) {
	e.saving.Lock()
	defer e.saving.Unlock()
	if e.saved >= s.generation || e.current.Load() != s {
		return // written already, or a newer table will be
	}
	t, err := e.detectionsOf(ctx, s.generation)
	if err == nil {
		err = e.saveSnapshot(ctx, s, t)
	}
	if err != nil {
		e.logger().Warn("fact table snapshot not written", "file", e.SnapshotFile, "err", err)
		return
	}
	e.saved = s.generation
}

func (e *Engine) generation(ctx context.Context) (int64, error) {
	if e.Generation != nil {
		return e.Generation(ctx)
	}
	return e.store.Generation(ctx)
}

// Close waits for a snapshot file being written: call it before closing the store.
func (e *Engine) Close() { e.savers.Wait() }

func (e *Engine) logger() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
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
		next.fines = old.fines.clone()
		after = old.generation
	}
	next.generation = gen
	n := len(next.facts)
	var replaced []int32 // positions of the facts a patch replaced
	rank := newRanker(e.orderKey)
	recordKey := privacy.RecordKeys(e.secret)
	// A full read comes in id order, so summaries are indexed at the positions they take;
	// a patch keeps the changed ones by case until the new facts have their places.
	var built *wordsBuilder
	texts := map[int64][]byte{}
	if after == 0 {
		built = newWordsBuilder()
	}
	err := e.store.EachCaseFact(ctx, after, func(cf *store.CaseFact) error {
		f, err := next.convert(cf)
		if err != nil {
			return err
		}
		f.rank = rank(cf.Reference)
		f.key = recordKey(cf.Reference)
		if after > 0 {
			if cf.SearchText != nil {
				texts[f.id] = bytes.Clone(cf.SearchText)
			} else {
				texts[f.id] = nil
			}
			if i, ok := slices.BinarySearchFunc(next.facts[:n], f.id, func(x fact, id int64) int { return cmp.Compare(x.id, id) }); ok {
				next.facts[i] = f
				replaced = append(replaced, int32(i))
				return nil
			}
		} else if cf.SearchText != nil {
			built.add(uint32(len(next.facts)), cf.SearchText)
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
		if old == nil {
			return nil, errors.New("the cases were not read in id order")
		}
		slices.SortFunc(added, byID)
	}
	if n > 0 && len(added) > 0 && added[0].id < next.facts[n-1].id {
		// Not expected: the new cases would move older ones, and their summaries are not
		// at hand to index again, so the table is read anew.
		return e.refresh(ctx, nil, gen)
	}
	if old == nil {
		next.groupRepeatDefendants(nil, nil)
		next.index = buildIndex(next.facts)
		next.words = built.done()
		next.order(false) // built now rather than in the first list's time
		return next, nil
	}
	for i := n; i < len(next.facts); i++ {
		replaced = append(replaced, int32(i))
	}
	next.groupRepeatDefendants(old, replaced)
	next.index = old.index.patch(old.facts, next.facts, replaced)
	next.patchOrders(old, replaced)
	byPosition := make(map[int32][]byte, len(texts))
	for _, i := range replaced {
		if text := texts[next.facts[i].id]; text != nil {
			byPosition[i] = text
		}
	}
	next.words = old.words.patch(replaced, byPosition)
	return next, nil
}

// monthRange returns the first and last month of report or decision of any fact.
func (s *snapshot) monthRange() (first, last uint16) {
	first = math.MaxUint16
	for k := range s.index.bitmaps {
		if kind := k.kind(); kind == kindReportedMonth || kind == kindDecidedMonth {
			first, last = min(first, k.value()), max(last, k.value())
		}
	}
	if first > last {
		return 0, 0
	}
	return first, last
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
		f.fineCode = s.fines.code(fineEntry{f.codes[column(model.DimensionJurisdiction)], fineKey{f.fine, int(f.decided) / 12}})
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
