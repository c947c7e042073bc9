package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// ImportOptions steer one import.
type ImportOptions struct {
	Release model.Release
	// DryRun checks and counts everything, then writes nothing.
	DryRun bool
	// Reference gives a new case its public reference; attempt counts up on a collision.
	Reference func(rec *CaseRecord, attempt int) string
	// Generalize returns, for each case, the quasi-identifiers to withhold from the
	// case-level view (privacy.Generalizer).
	Generalize model.Generalizer
}

// ImportResult counts what an import did. Release is nil when nothing changed (or on a dry
// run): an unchanged re-import creates no release.
type ImportResult struct {
	Release                   *model.Release
	Added, Updated, Unchanged int
	NewArticles               int
}

// DuplicateError reports a record whose source id appeared earlier in the same import.
type DuplicateError struct {
	Line int
	// FirstLine is where it appeared first; 0 when that row was added or updated in an
	// earlier chunk (found by its release, not by its line: memory stays flat however
	// long the file).
	FirstLine int
}

func (e *DuplicateError) Error() string {
	if e.FirstLine == 0 {
		return "this source_id and jurisdiction already appeared earlier in this file"
	}
	return fmt.Sprintf("this source_id and jurisdiction already appeared on line %d of this file", e.FirstLine)
}

// ImportBatch receives the records of one import. An import is a load plus a diff: each
// chunk of records is compared with the stored cases of the same source keys, new cases are
// added as a load adds them (releaseWriter), changed ones corrected, unchanged ones noted.
type ImportBatch struct {
	w        *releaseWriter
	opts     *ImportOptions
	pending  []*CaseRecord
	res      ImportResult
	articles map[string]model.Article
	// touched lists the (jurisdiction, year) groups the import changed: generalisation
	// works within them, so only they need recomputing.
	touched map[yearGroup]bool
}

// importChunk is how many records are looked up and written together. Each chunk costs a
// few round trips whatever its size, so larger chunks go faster; memory holds one chunk.
const importChunk = 2000

// unchangedTable is the temporary table of the keys and lines of the rows an import left
// unchanged: unlike added and updated rows, they carry nothing of the import that a later
// copy could be told by. It is created when the first one comes (most imports bring new
// rows and never need it).
const unchangedTable = "import_unchanged"

// Put adds or updates one record. Records are written in chunks.
func (b *ImportBatch) Put(ctx context.Context, rec *CaseRecord) (err error) {
	defer derrors.Wrap(&err, "store.ImportBatch.Put(line %d)", rec.Line)
	b.pending = append(b.pending, rec)
	if len(b.pending) >= importChunk {
		return b.flush(ctx)
	}
	return nil
}

// SetChecksum records the checksum of the input, known once it has all been read.
func (b *ImportBatch) SetChecksum(sum string) { b.opts.Release.Checksum = &sum }

// AddArticle lists an article the reference list lacks.
func (b *ImportBatch) AddArticle(a model.Article) {
	b.articles[string(a.Jurisdiction)+" "+a.Code] = a
}

// Import writes one batch of records as a release, in one transaction that commits whole
// or not at all. Records are matched by their source key: a new one is added, a changed
// one updated with a correction, an unchanged one left alone.
func (s *Store) Import(ctx context.Context, opts ImportOptions, fill func(*ImportBatch) error) (_ *ImportResult, err error) {
	defer derrors.Wrap(&err, "store.Import")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var res ImportResult
	err = s.inWriteTx(ctx, func(tx *writeTx) (bool, error) {
		rel := opts.Release
		w, err := beginRelease(ctx, tx, &rel)
		if err != nil {
			return false, err
		}
		b := &ImportBatch{w: w, opts: &opts, articles: map[string]model.Article{}, touched: map[yearGroup]bool{}}
		if err := fill(b); err != nil {
			return false, err
		}
		if err := b.flush(ctx); err != nil {
			return false, err
		}
		if err := b.writeArticles(ctx); err != nil {
			return false, err
		}
		if tx.temp[unchangedTable] {
			if _, err := tx.exec(ctx, "DROP TABLE "+unchangedTable); err != nil {
				return false, err
			}
		}
		res = b.res
		res.Added = w.added
		if res.Added+res.Updated+res.NewArticles == 0 || opts.DryRun {
			return false, nil // rolled back: nothing to publish
		}
		if opts.Generalize.Apply != nil {
			for g := range b.touched {
				if _, err := generalize(ctx, tx, opts.Generalize, &g, rel.ID); err != nil {
					return false, err
				}
			}
		}
		if err := recordRule(ctx, tx, opts.Generalize.Rule, false); err != nil {
			return false, err
		}
		rel.RowsAdded, rel.RowsUpdated, rel.RowsUnchanged = res.Added, res.Updated, res.Unchanged
		rel.Checksum = opts.Release.Checksum
		res.Release = &rel
		return true, w.finish(ctx, &rel)
	})
	if err != nil {
		return nil, err
	}
	if res.Release != nil {
		if err := s.dialect.afterImport(ctx, &s.pool); err != nil {
			return nil, fmt.Errorf("after import: %w", err)
		}
	}
	return &res, nil
}

// storedCase is a case as stored, with the hashes compared on re-import.
type storedCase struct {
	model.Case
	SourceKey        string  `db:"source_key"`
	Pseudonym        *string `db:"pseudonym"`
	UpdatedReleaseID int64   `db:"updated_release_id"`
}

// flush writes the pending chunk: the diff of its records against the stored cases.
func (b *ImportBatch) flush(ctx context.Context) error {
	if len(b.pending) == 0 {
		return nil
	}
	recs := b.pending
	b.pending = b.pending[:0:0]
	tx := b.w.tx

	keys := make([]string, len(recs))
	for i, r := range recs {
		keys[i] = r.SourceKey
	}
	var existing []storedCase
	cond, args := oneOf(tx.dialect, "source_key", keys)
	q := "SELECT " + caseSelectList + ", source_key, pseudonym, updated_release_id FROM cases WHERE " + cond
	if err := tx.selectx(ctx, &existing, q, args...); err != nil {
		return fmt.Errorf("look up cases: %w", err)
	}
	bySource := make(map[string]*storedCase, len(existing))
	ids := make([]int64, len(existing))
	for i := range existing {
		bySource[existing[i].SourceKey] = &existing[i]
		ids[i] = existing[i].ID
	}
	storedAppeals := map[int64][]model.Appeal{}
	if len(ids) > 0 {
		var rows []model.Appeal
		cond, args := oneOf(tx.dialect, "case_id", ids)
		q := "SELECT " + strings.Join(appealColumns, ", ") + " FROM appeals WHERE " + cond + " ORDER BY case_id, level"
		if err := tx.selectx(ctx, &rows, q, args...); err != nil {
			return fmt.Errorf("look up appeals: %w", err)
		}
		for _, a := range rows {
			storedAppeals[a.CaseID] = append(storedAppeals[a.CaseID], a)
		}
	}

	// Rows left unchanged by an earlier chunk, by key: a later copy is a duplicate too.
	keptEarlier := map[string]int{}
	if tx.temp[unchangedTable] {
		var kept []struct {
			SourceKey string `db:"source_key"`
			Line      int    `db:"line"`
		}
		cond, args := oneOf(tx.dialect, "source_key", keys)
		if err := tx.selectx(ctx, &kept, "SELECT source_key, line FROM "+unchangedTable+" WHERE "+cond, args...); err != nil {
			return fmt.Errorf("look up unchanged rows: %w", err)
		}
		for _, k := range kept {
			keptEarlier[k.SourceKey] = k.Line
		}
	}
	var added []*CaseRecord
	var updated []correction
	var kept [][]any
	seen := map[string]int{}
	for _, r := range recs {
		if first, ok := seen[r.SourceKey]; ok {
			return &DuplicateError{Line: r.Line, FirstLine: first}
		}
		if first, ok := keptEarlier[r.SourceKey]; ok {
			return &DuplicateError{Line: r.Line, FirstLine: first}
		}
		seen[r.SourceKey] = r.Line
		old := bySource[r.SourceKey]
		if old == nil {
			b.touch(&r.Case)
			added = append(added, r)
			continue
		}
		// Rows this import added or updated carry its release. A row it left unchanged does
		// not: a later copy of that one in another chunk passes as unchanged or as an update.
		if old.UpdatedReleaseID == b.w.release {
			return &DuplicateError{Line: r.Line}
		}
		changed := changedFields(&old.Case, old.Pseudonym, storedAppeals[old.ID], r)
		if len(changed) == 0 {
			b.res.Unchanged++
			kept = append(kept, []any{r.SourceKey, r.Line})
			continue
		}
		b.touch(&old.Case)
		b.touch(&r.Case)
		updated = append(updated, correction{old, r, changed})
	}
	if err := b.keep(ctx, kept); err != nil {
		return err
	}
	if err := b.correct(ctx, updated); err != nil {
		return err
	}
	b.res.Updated += len(updated)
	if err := b.add(ctx, added); err != nil {
		return err
	}
	// The next chunk's look-ups must find this one's rows.
	return b.w.flush(ctx)
}

// add writes new cases, giving each a reference no other case has.
func (b *ImportBatch) add(ctx context.Context, recs []*CaseRecord) error {
	if len(recs) == 0 {
		return nil
	}
	tx := b.w.tx
	attempt := make([]int, len(recs))
	chunk := make(map[string]bool, len(recs))
	for {
		refs := make([]string, len(recs))
		for i, r := range recs {
			r.Case.Reference = b.opts.Reference(r, attempt[i])
			refs[i] = r.Case.Reference
		}
		var taken []string
		cond, args := oneOf(tx.dialect, "reference", refs)
		if err := tx.selectx(ctx, &taken, "SELECT reference FROM cases WHERE "+cond, args...); err != nil {
			return err
		}
		clash := false
		clear(chunk)
		for _, ref := range taken {
			chunk[ref] = true
		}
		for i, r := range recs {
			// A reference taken by an earlier case, or earlier in this chunk.
			if chunk[r.Case.Reference] {
				attempt[i]++
				clash = true
			}
			chunk[r.Case.Reference] = true
		}
		if !clash {
			break
		}
	}
	for _, r := range recs {
		if err := b.w.addCase(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// keep notes the keys and lines of rows left unchanged in unchangedTable.
func (b *ImportBatch) keep(ctx context.Context, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := b.w.tx.createTemp(ctx, unchangedTable, "CREATE TEMP TABLE "+unchangedTable+" (source_key TEXT PRIMARY KEY, line INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("note unchanged rows: %w", err)
	}
	for _, r := range rows {
		if err := b.w.put(ctx, unchangedTable, r...); err != nil {
			return err
		}
	}
	return nil
}

func (b *ImportBatch) writeArticles(ctx context.Context) error {
	tx := b.w.tx
	for _, a := range b.articles {
		var n int
		if err := tx.getx(ctx, &n, "SELECT COUNT(*) FROM articles WHERE jurisdiction = ? AND code = ?", string(a.Jurisdiction), a.Code); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.exec(ctx, "INSERT INTO articles (jurisdiction, code, liability, first_release_id) VALUES (?, ?, ?, ?)",
			string(a.Jurisdiction), a.Code, string(a.Liability), b.w.release); err != nil {
			return err
		}
		b.res.NewArticles++
	}
	return nil
}

func (b *ImportBatch) touch(c *model.Case) {
	if len(c.ReportedOn) >= 4 {
		b.touched[yearGroup{c.Jurisdiction, c.ReportedOn[:4]}] = true
	}
}
