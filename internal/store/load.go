package store

import (
	"context"
	"fmt"
	"time"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// CaseRecord is a case as written: the published fields plus the keyed hashes that only the
// store and statistics see. Neither hash can be turned back into the identifier it came from
// without CASEWATCH_SECRET.
type CaseRecord struct {
	Case model.Case
	// SourceKey is the keyed hash of (jurisdiction, source_id): re-imports find the row by it.
	SourceKey string
	// Pseudonym is the keyed hash of the defendant, for repeat-defendant statistics only.
	Pseudonym *string
	Appeals   []model.Appeal
	// SearchText is SearchText(Case.Summary), for callers that compute it ahead of the
	// write; nil has it computed when the record is written.
	SearchText *string
	// Line is where the record came from in an import, for error messages.
	Line int
}

// Batch receives the records of one bulk load. Records are buffered and written in chunks.
type Batch struct {
	w          *releaseWriter
	generalize model.Generalizer
}

// GeneralizeWith has the load work out, before it commits, which quasi-identifiers the
// case-level view withholds (privacy.Generalizer), over every case in the database. The
// release then never becomes visible ungeneralised.
func (b *Batch) GeneralizeWith(fn model.Generalizer) { b.generalize = fn }

// AddCase writes a new case with its appeals; it assigns the case's id and release. The
// batch keeps the record's values until it writes them: the caller must not change them.
func (b *Batch) AddCase(ctx context.Context, r *CaseRecord) (err error) {
	defer derrors.Wrap(&err, "store.Batch.AddCase")
	return b.w.addCase(ctx, r)
}

// AddDetection writes one detection.
func (b *Batch) AddDetection(ctx context.Context, d *model.Detection) (err error) {
	defer derrors.Wrap(&err, "store.Batch.AddDetection")
	return b.w.put(ctx, "detections", string(d.Jurisdiction), d.RegionCode, string(d.Category),
		string(d.Platform), string(d.Action), d.DetectedOn, b.w.release)
}

// Load writes one release in a single transaction: fill adds the records, and the release
// row records how many were added. It commits whole or not at all and returns the release.
// Load is for bulk loads of new records (the demo seed); it does not look for existing ones.
func (s *Store) Load(ctx context.Context, rel model.Release, fill func(*Batch) error) (_ *model.Release, err error) {
	defer derrors.Wrap(&err, "store.Load")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err = s.inWriteTx(ctx, func(tx *writeTx) (bool, error) {
		w, err := beginRelease(ctx, tx, &rel)
		if err != nil {
			return false, err
		}
		b := &Batch{w: w}
		if err := fill(b); err != nil {
			return false, err
		}
		if err := w.flush(ctx); err != nil {
			return false, err
		}
		if b.generalize.Apply != nil {
			if _, err := generalizeEvery(ctx, tx, b.generalize, rel.ID); err != nil {
				return false, err
			}
			if err := recordRule(ctx, tx, b.generalize.Rule, true); err != nil {
				return false, err
			}
		} else if err := recordRule(ctx, tx, "", false); err != nil {
			return false, err
		}
		rel.RowsAdded = w.added
		return true, w.finish(ctx, &rel)
	})
	if err != nil {
		return nil, err
	}
	if err := s.dialect.analyze(ctx, &s.pool, "cases", "appeals", "detections"); err != nil {
		return nil, fmt.Errorf("analyze after load: %w", err)
	}
	return &rel, nil
}

// releaseWriter writes one release in a write transaction: the release row, then its new
// rows, buffered by table and inserted in chunks through the dialect. A load adds all its
// records through it; an import adds the new cases of its diff.
type releaseWriter struct {
	tx         *writeTx
	release    int64
	nextCaseID int64
	// added counts the cases added.
	added   int
	buffers map[string]*buffer
}

type buffer struct {
	columns []string
	rows    [][]any
}

// beginRelease numbers rel, the next one, and writes its row: the rows written after name
// it.
func beginRelease(ctx context.Context, tx *writeTx, rel *model.Release) (*releaseWriter, error) {
	w := &releaseWriter{tx: tx, buffers: map[string]*buffer{}}
	if err := tx.getx(ctx, &w.release, "SELECT COALESCE(MAX(id), 0) + 1 FROM releases"); err != nil {
		return nil, err
	}
	if err := tx.getx(ctx, &w.nextCaseID, "SELECT COALESCE(MAX(id), 0) + 1 FROM cases"); err != nil {
		return nil, err
	}
	rel.ID = w.release
	rel.PublishedAt = time.Now().UTC().Format(time.RFC3339)
	if _, err := tx.exec(ctx, "INSERT INTO releases ("+releaseColumns+") VALUES (?, ?, ?, ?, 0, 0, 0, ?)",
		rel.ID, rel.PublishedAt, rel.Note, rel.Synthetic, rel.Checksum); err != nil {
		return nil, err
	}
	return w, nil
}

// finish records what the release did in its row.
func (w *releaseWriter) finish(ctx context.Context, rel *model.Release) error {
	_, err := w.tx.exec(ctx, "UPDATE releases SET rows_added = ?, rows_updated = ?, rows_unchanged = ?, checksum = ? WHERE id = ?",
		rel.RowsAdded, rel.RowsUpdated, rel.RowsUnchanged, rel.Checksum, rel.ID)
	return err
}

// addCase adds a new case with its appeals, giving it the next id and the release.
func (w *releaseWriter) addCase(ctx context.Context, r *CaseRecord) error {
	c := &r.Case
	c.ID = w.nextCaseID
	w.nextCaseID++
	c.FirstReleaseID = w.release
	w.added++
	if err := w.put(ctx, "cases", caseRow(r, w.release)...); err != nil {
		return err
	}
	for i := range r.Appeals {
		a := &r.Appeals[i]
		a.CaseID = c.ID
		if err := w.put(ctx, "appeals", appealRow(c.ID, a)...); err != nil {
			return err
		}
	}
	return nil
}

// put adds a new row to a table, inserting the table's buffered rows once they fill a chunk.
func (w *releaseWriter) put(ctx context.Context, table string, values ...any) error {
	buf := w.buffers[table]
	if buf == nil {
		buf = &buffer{columns: columnsOf(table)}
		w.buffers[table] = buf
	}
	buf.rows = append(buf.rows, values)
	if len(buf.rows) >= w.tx.dialect.chunkRows(len(buf.columns)) {
		return w.flushTable(ctx, table)
	}
	return nil
}

// flush inserts every table's buffered rows, a row's references first.
func (w *releaseWriter) flush(ctx context.Context) error {
	for _, t := range tables {
		if err := w.flushTable(ctx, t.name); err != nil {
			return err
		}
	}
	return nil
}

func (w *releaseWriter) flushTable(ctx context.Context, table string) error {
	buf := w.buffers[table]
	if buf == nil || len(buf.rows) == 0 {
		return nil
	}
	if err := w.tx.dialect.insertRows(ctx, w.tx, table, buf.columns, buf.rows); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	buf.rows = buf.rows[:0]
	return nil
}
