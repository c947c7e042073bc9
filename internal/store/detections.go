package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// NoRegion is the code of the group of detections that name no region.
const NoRegion = "NONE"

// detectionDimensionSQL gives the SQL expression of each detection dimension.
func detectionDimensionSQL(d model.DetectionDimension) string {
	switch d {
	case model.DetectionDimensionJurisdiction:
		return "jurisdiction"
	case model.DetectionDimensionRegion:
		return "COALESCE(region, '" + NoRegion + "')"
	case model.DetectionDimensionCategory:
		return "category"
	case model.DetectionDimensionConcern:
		return concernSQL("category")
	case model.DetectionDimensionPlatform:
		return "platform"
	case model.DetectionDimensionAction:
		return "action"
	}
	panic("unknown detection dimension " + string(d))
}

// concernSQL maps a category column to its concern, as model.ContentCategory.Concern does.
func concernSQL(column string) string {
	var b strings.Builder
	b.WriteString("CASE " + column)
	for _, code := range model.ContentCategoryVocabulary.Codes() {
		fmt.Fprintf(&b, " WHEN '%s' THEN '%s'", code, model.ContentCategory(code).Concern())
	}
	b.WriteString(" END")
	return b.String()
}

// periodSQL gives the period label ("2024", "2024-Q2", "2024-05") of an ISO date column.
func periodSQL(column string, i model.Interval) string {
	switch i {
	case model.IntervalYear:
		return "SUBSTR(" + column + ", 1, 4)"
	case model.IntervalMonth:
		return "SUBSTR(" + column + ", 1, 7)"
	case model.IntervalQuarter:
		return "SUBSTR(" + column + ", 1, 4) || '-Q' || ((CAST(SUBSTR(" + column + ", 6, 2) AS INTEGER) + 2) / 3)"
	}
	panic("unknown interval " + string(i))
}

// CountDetections counts the detections matching f, grouped by the dimensions and, when
// interval is not nil, by period. Buckets come ordered by their values, then period.
func (s *Store) CountDetections(ctx context.Context, f model.DetectionFilter, groupBy []model.DetectionDimension, interval *model.Interval) (_ []model.DetectionBucket, err error) {
	defer derrors.Wrap(&err, "store.CountDetections")
	w := &where{}
	if f.Jurisdiction != nil {
		w.add("jurisdiction = ?", string(*f.Jurisdiction))
	}
	in(w, "region", f.Regions)
	in(w, "category", f.Categories)
	in(w, "platform", f.Platforms)
	in(w, "action", f.Actions)
	if len(f.Concerns) > 0 {
		in(w, "category", categoriesOf(f.Concerns))
	}
	if f.DetectedFrom != nil {
		w.add("detected_on >= ?", *f.DetectedFrom)
	}
	if f.DetectedTo != nil {
		w.add("detected_on <= ?", *f.DetectedTo)
	}

	var cols []string
	for i, d := range groupBy {
		cols = append(cols, fmt.Sprintf("%s AS k%d", detectionDimensionSQL(d), i))
	}
	if interval != nil {
		cols = append(cols, periodSQL("detected_on", *interval)+" AS period")
	}
	q := "SELECT " + strings.Join(append(cols, "COUNT(*) AS n"), ", ") + " FROM detections" + w.sql()
	if len(cols) > 0 {
		var refs []string
		for i := range cols {
			refs = append(refs, fmt.Sprint(i+1))
		}
		q += " GROUP BY " + strings.Join(refs, ", ") + " ORDER BY " + strings.Join(refs, ", ")
	}

	rows, err := s.pool.query(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.DetectionBucket
	for rows.Next() {
		codes := make([]string, len(groupBy))
		var period string
		var n int
		dest := make([]any, 0, len(cols)+1)
		for i := range codes {
			dest = append(dest, &codes[i])
		}
		if interval != nil {
			dest = append(dest, &period)
		}
		dest = append(dest, &n)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		b := model.DetectionBucket{Count: n}
		for i, d := range groupBy {
			b.Key = append(b.Key, model.DetectionDimensionValue{Dimension: d, Code: codes[i]})
		}
		if interval != nil {
			b.Period = &period
		}
		if n > 0 {
			out = append(out, b)
		}
	}
	return out, rows.Err()
}

// categoriesOf lists the categories of the given concerns.
func categoriesOf(concerns []model.Concern) []model.ContentCategory {
	var out []model.ContentCategory
	for _, code := range model.ContentCategoryVocabulary.Codes() {
		c := model.ContentCategory(code)
		for _, concern := range concerns {
			if c.Concern() == concern {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		// Every concern has categories; keep the filter closed if one ever does not.
		out = append(out, "")
	}
	return out
}

// DetectionRow is one stored detection as the statistics engine reads it. Byte slices are
// only valid until the callback returns; Region is nil when the detection names no region.
type DetectionRow struct {
	Jurisdiction, Region, Category, Platform, Action sql.RawBytes
	// DetectedOn is YYYY-MM-DD.
	DetectedOn sql.RawBytes
}

// EachDetection calls fn for every detection loaded by a release after `after` up to and
// including `upTo`, in no particular order. Detections are only ever added (Load writes them
// with its release's id, nothing updates or deletes them), so a reader that has the
// detections up to one release catches up by reading the releases after it; bounding the
// range by upTo keeps a release committed meanwhile from being read twice.
func (s *Store) EachDetection(ctx context.Context, after, upTo int64, fn func(*DetectionRow) error) (err error) {
	defer derrors.Wrap(&err, "store.EachDetection(releases %d to %d)", after+1, upTo)
	rows, err := s.pool.query(ctx, `SELECT jurisdiction, region, category, platform, action, detected_on
		FROM detections WHERE release_id > ? AND release_id <= ?`, after, upTo)
	if err != nil {
		return err
	}
	defer rows.Close()
	var d DetectionRow
	dest := []any{&d.Jurisdiction, &d.Region, &d.Category, &d.Platform, &d.Action, &d.DetectedOn}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}
