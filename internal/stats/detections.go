package stats

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
)

// Detections are counted from an in-memory table too. They have few columns, are never
// linked to a person and only ever added by a load, so the table keeps each in 8 bytes
// (half a million take 4 MB) and catches up with a release by reading that release's
// detections alone. A GROUP BY over half a million rows took SQLite about 300 ms a
// question; a pass over the table takes a few milliseconds.
//
// Answers are the SQL version's (store.CountDetections), bucket for bucket: codes as
// stored, NONE for a detection without a region, buckets ordered by their codes (byte
// order, as SQLite and PostgreSQL's C collation order them), then by period. The tests
// compare the two on both databases.

// Columns of a detection's codes.
const (
	detJurisdiction = iota
	detRegion
	detCategory
	detPlatform
	detAction
	nDetectionColumns
)

// maxDetectionCodes bounds the distinct codes of one column, so a code fits in a byte.
// The columns are enumerations of a few values, and regions number about thirty.
const maxDetectionCodes = math.MaxUint8 + 1

// detection is one detection: its day and five one-byte codes, 8 bytes in all.
type detection struct {
	day uint16 // days since 1970-01-01
	// codes index the table's dictionaries; a region of 0 is none (NULL).
	codes [nDetectionColumns]uint8
}

// detectionTable holds the detections of one release generation. It is never changed once
// published; a newer release gets a new table.
type detectionTable struct {
	generation int64
	rows       []detection
	// dicts number each column's codes; codes[0] is model.NoValue ("NONE", which is also
	// store.NoRegion), the code SQL gives a detection without a region.
	dicts [nDetectionColumns]*dictionary
	// concernOf[c] is the code in concerns of the concern of category code c.
	concernOf []uint16
	concerns  *dictionary
	// The rows' days run from firstDay to lastDay; monthOf[day-firstDay] is the month
	// index (year*12 + month-1) of a day in between.
	firstDay, lastDay uint16
	monthOf           []uint16
}

// detectionTable returns the detections of the store's current release generation,
// reading the releases committed since the last call first.
func (e *Engine) detectionTable(ctx context.Context) (*detectionTable, error) {
	gen, err := e.generation(ctx)
	if err != nil {
		return nil, err
	}
	return e.detectionsOf(ctx, gen)
}

// detectionsOf returns the detections of release generation gen, which the caller has just
// read from the store, or of a later one: a question that read the generation just before
// another moved the table on gets the newer detections. Like the fact table, the table
// never goes back to an older generation (a database restored to an older release needs
// a restart of the server).
func (e *Engine) detectionsOf(ctx context.Context, gen int64) (*detectionTable, error) {
	if t := e.detections.Load(); t != nil && t.generation >= gen {
		return t, nil
	}
	e.detectionsMu.Lock()
	defer e.detectionsMu.Unlock()
	t := e.detections.Load()
	if t != nil && t.generation >= gen {
		return t, nil
	}
	next, err := readDetections(ctx, e.store, t, gen)
	if err != nil {
		return nil, err
	}
	e.detections.Store(next)
	return next, nil
}

// readDetections returns the table of generation gen: old with the detections of the
// releases after old's added, or all detections when old is nil.
func readDetections(ctx context.Context, st Store, old *detectionTable, gen int64) (*detectionTable, error) {
	next := &detectionTable{generation: gen}
	var after int64
	if old != nil {
		after = old.generation
		for i, d := range old.dicts {
			next.dicts[i] = d.clone()
		}
	} else {
		for i := range next.dicts {
			next.dicts[i] = newDictionary()
		}
	}
	var added []detection
	err := st.EachDetection(ctx, after, gen, func(r *store.DetectionRow) error {
		d, err := next.convert(r)
		if err != nil {
			return err
		}
		added = append(added, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if old != nil && len(added) == 0 {
		// Most releases are imports of cases, which add no detections: old as it is.
		same := *old
		same.generation = gen
		return &same, nil
	}
	if old != nil {
		next.rows = append(slices.Clip(old.rows), added...)
	} else {
		next.rows = slices.Clip(added)
	}
	next.index()
	return next, nil
}

// convert turns a stored detection into a row, adding unseen codes to the dictionaries.
func (t *detectionTable) convert(r *store.DetectionRow) (detection, error) {
	var d detection
	for col, b := range [nDetectionColumns][]byte{r.Jurisdiction, r.Region, r.Category, r.Platform, r.Action} {
		if b == nil {
			continue // only a region may be missing
		}
		dict := t.dicts[col]
		code, ok := dict.index[string(b)] // no allocation for a code already known
		if !ok {
			if len(dict.codes) >= maxDetectionCodes {
				return d, fmt.Errorf("detections: more than %d distinct codes in one column", maxDetectionCodes-1)
			}
			code = dict.add(string(b))
		}
		d.codes[col] = uint8(code)
	}
	day, err := parseDate(r.DetectedOn)
	if err != nil {
		return d, fmt.Errorf("detection: detected_on: %w", err)
	}
	if d.day, err = dayIndex(day); err != nil {
		return d, fmt.Errorf("detection: detected_on: %w", err)
	}
	return d, nil
}

// index fills what answers derive from the rows and dictionaries: the concern of each
// category and the month of each day.
func (t *detectionTable) index() {
	t.concerns = newDictionary(model.ConcernVocabulary.Codes()...)
	categories := t.dicts[detCategory].codes
	t.concernOf = make([]uint16, len(categories))
	for c := 1; c < len(categories); c++ {
		t.concernOf[c] = t.concerns.add(string(model.ContentCategory(categories[c]).Concern()))
	}
	if len(t.rows) == 0 {
		return
	}
	t.firstDay, t.lastDay = t.rows[0].day, t.rows[0].day
	for i := range t.rows {
		t.firstDay, t.lastDay = min(t.firstDay, t.rows[i].day), max(t.lastDay, t.rows[i].day)
	}
	t.monthOf = make([]uint16, int(t.lastDay-t.firstDay)+1)
	for i := range t.monthOf {
		t.monthOf[i] = monthIndex(time.Unix((int64(t.firstDay)+int64(i))*86400, 0).UTC())
	}
}

// CountDetections counts the detections matching f, grouped by the dimensions and, when
// interval is not nil, by period, as store.CountDetections does in SQL.
func (e *Engine) CountDetections(ctx context.Context, f model.DetectionFilter, groupBy []model.DetectionDimension, interval *model.Interval) ([]model.DetectionBucket, error) {
	select {
	case e.passes <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-e.passes }()
	t, err := e.detectionTable(ctx)
	if err != nil {
		return nil, err
	}
	return t.count(f, groupBy, interval)
}

// maxDenseCells bounds the cells counted in a slice (4 bytes each, so 4 MB); a question with more
// possible buckets (three wide dimensions by month over decades) counts in a map.
const maxDenseCells = 1 << 20

// detectionDimension is a grouping of the rows by one column: group(code) of the column's
// code, one of size groups, named label[group].
type detectionDimension struct {
	col    int
	group  func(code uint16) uint16
	labels []string
}

func (t *detectionTable) dimension(d model.DetectionDimension) (detectionDimension, error) {
	self := func(c uint16) uint16 { return c }
	switch d {
	case model.DetectionDimensionJurisdiction:
		return detectionDimension{detJurisdiction, self, t.dicts[detJurisdiction].codes}, nil
	case model.DetectionDimensionRegion:
		return detectionDimension{detRegion, self, t.dicts[detRegion].codes}, nil
	case model.DetectionDimensionCategory:
		return detectionDimension{detCategory, self, t.dicts[detCategory].codes}, nil
	case model.DetectionDimensionConcern:
		return detectionDimension{detCategory, func(c uint16) uint16 { return t.concernOf[c] }, t.concerns.codes}, nil
	case model.DetectionDimensionPlatform:
		return detectionDimension{detPlatform, self, t.dicts[detPlatform].codes}, nil
	case model.DetectionDimensionAction:
		return detectionDimension{detAction, self, t.dicts[detAction].codes}, nil
	}
	return detectionDimension{}, fmt.Errorf("unknown detection dimension %q", d)
}

// allowed returns which codes of col a filter on codes lets through; nil when codes is
// empty (no filter). A code the table has never seen matches nothing, as in SQL.
func (t *detectionTable) allowed(col int, codes []string) []bool {
	if len(codes) == 0 {
		return nil
	}
	out := make([]bool, len(t.dicts[col].codes))
	for _, c := range codes {
		if i, ok := t.dicts[col].index[c]; ok {
			out[i] = true
		}
	}
	return out
}

// categoriesOf lists the categories of the given concerns, as the SQL filter does: the
// categories of the vocabulary whose concern is one of them.
func categoriesOf(concerns []model.Concern) []string {
	var out []string
	for _, code := range model.ContentCategoryVocabulary.Codes() {
		if slices.Contains(concerns, model.ContentCategory(code).Concern()) {
			out = append(out, code)
		}
	}
	return out
}

// count answers one question in one pass over the rows. Each row's bucket is a cell
// number: the sum of what its day and each code it is grouped by add (strides of a
// mixed-radix number, the period last), looked up in tables built per question; a
// filtered-out day or code adds -1 and drops the row. So the pass does a few table
// lookups a row and no hashing.
func (t *detectionTable) count(f model.DetectionFilter, groupBy []model.DetectionDimension, interval *model.Interval) ([]model.DetectionBucket, error) {
	if len(t.rows) == 0 {
		return nil, nil
	}
	// Which codes each column lets through.
	var allow [nDetectionColumns][]bool
	if f.Jurisdiction != nil {
		allow[detJurisdiction] = t.allowed(detJurisdiction, []string{string(*f.Jurisdiction)})
	}
	allow[detRegion] = t.allowed(detRegion, f.Regions)
	allow[detCategory] = t.allowed(detCategory, strs(f.Categories))
	if len(f.Concerns) > 0 {
		ofConcerns := t.allowed(detCategory, categoriesOf(f.Concerns))
		if ofConcerns == nil { // no category has these concerns
			ofConcerns = make([]bool, len(t.dicts[detCategory].codes))
		}
		if allow[detCategory] != nil { // both filters apply
			for c := range ofConcerns {
				ofConcerns[c] = ofConcerns[c] && allow[detCategory][c]
			}
		}
		allow[detCategory] = ofConcerns
	}
	allow[detPlatform] = t.allowed(detPlatform, strs(f.Platforms))
	allow[detAction] = t.allowed(detAction, strs(f.Actions))

	// Periods, numbered from the first day's.
	period := periodFunc(interval)
	firstPeriod := period(t.monthOf[0])
	periods := 1
	if interval != nil {
		periods = period(t.monthOf[len(t.monthOf)-1]) - firstPeriod + 1
	}
	// Strides: the period counts in ones, each dimension in the product of the sizes after it.
	dims := make([]detectionDimension, len(groupBy))
	strides := make([]int, len(groupBy))
	cells := periods
	for i := len(groupBy) - 1; i >= 0; i-- {
		var err error
		if dims[i], err = t.dimension(groupBy[i]); err != nil {
			return nil, err
		}
		strides[i] = cells
		cells *= len(dims[i].labels)
	}

	// What each day adds: its period, or -1 outside the dates asked for.
	from, to := int64(t.firstDay), int64(t.lastDay)
	for _, b := range []struct {
		date  *string
		bound *int64
		from  bool
	}{{f.DetectedFrom, &from, true}, {f.DetectedTo, &to, false}} {
		if b.date == nil {
			continue
		}
		d, err := time.Parse(time.DateOnly, *b.date)
		if err != nil {
			return nil, fmt.Errorf("detection filter: %w", err)
		}
		if day := d.Unix() / 86400; b.from {
			*b.bound = max(*b.bound, day)
		} else {
			*b.bound = min(*b.bound, day)
		}
	}
	dayAdd := make([]int, len(t.monthOf))
	for i, m := range t.monthOf {
		if day := int64(t.firstDay) + int64(i); day < from || day > to {
			dayAdd[i] = -1
		} else {
			dayAdd[i] = period(m) - firstPeriod
		}
	}
	// What each code of a filtered or grouped column adds.
	type part struct {
		col int
		add []int
	}
	var parts []part
	for col := range nDetectionColumns {
		grouped := slices.ContainsFunc(dims, func(d detectionDimension) bool { return d.col == col })
		if allow[col] == nil && !grouped {
			continue
		}
		add := make([]int, len(t.dicts[col].codes))
		for code := range add {
			if allow[col] != nil && !allow[col][code] {
				add[code] = -1
				continue
			}
			for i, d := range dims {
				if d.col == col {
					add[code] += strides[i] * int(d.group(uint16(code)))
				}
			}
		}
		parts = append(parts, part{col, add})
	}

	// cellOf is the cell a detection counts in, or -1 when the filter leaves it out.
	cellOf := func(r *detection) int {
		cell := dayAdd[r.day-t.firstDay]
		if cell < 0 {
			return -1
		}
		for _, p := range parts {
			a := p.add[r.codes[p.col]]
			if a < 0 {
				return -1
			}
			cell += a
		}
		return cell
	}
	counts := map[int]int{}
	if cells <= maxDenseCells {
		// Few cells: count into an array, then keep the ones that are not empty.
		dense := make([]int32, cells)
		for i := range t.rows {
			if cell := cellOf(&t.rows[i]); cell >= 0 {
				dense[cell]++
			}
		}
		for cell, n := range dense {
			if n > 0 {
				counts[cell] = int(n)
			}
		}
	} else {
		for i := range t.rows {
			if cell := cellOf(&t.rows[i]); cell >= 0 {
				counts[cell]++
			}
		}
	}
	return t.buckets(counts, groupBy, dims, strides, interval, firstPeriod, periods), nil
}

// buckets turns the counted cells into buckets ordered as SQL orders them: by each
// dimension's code, then by period (whose labels sort as their numbers do).
func (t *detectionTable) buckets(counts map[int]int, groupBy []model.DetectionDimension, dims []detectionDimension, strides []int, interval *model.Interval, firstPeriod, periods int) []model.DetectionBucket {
	type cell struct {
		groups []int
		period int
		count  int
	}
	list := make([]cell, 0, len(counts))
	for n, count := range counts {
		c := cell{groups: make([]int, len(dims)), period: n % periods, count: count}
		for i := range dims {
			c.groups[i] = n / strides[i] % len(dims[i].labels)
		}
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b cell) int {
		for i, d := range dims {
			if c := strings.Compare(d.labels[a.groups[i]], d.labels[b.groups[i]]); c != 0 {
				return c
			}
		}
		return a.period - b.period
	})
	var out []model.DetectionBucket
	for _, c := range list {
		b := model.DetectionBucket{Count: c.count}
		for i, d := range dims {
			b.Key = append(b.Key, model.DetectionDimensionValue{Dimension: groupBy[i], Code: d.labels[c.groups[i]]})
		}
		if interval != nil {
			label := periodLabel(*interval, firstPeriod+c.period)
			b.Period = &label
		}
		out = append(out, b)
	}
	return out
}
