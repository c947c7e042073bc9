// Package ingest imports raw case records (CSV or NDJSON, docs/design.md §5): it parses them as a
// stream, checks every field, passes identifiers through the privacy rules and hands the
// cleaned records to the store, which commits the whole batch as one release or nothing.
// The `import` command and the importCases mutation both call Importer.Import.
package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// Importer imports batches into a store.
type Importer struct {
	store     *store.Store
	conv      *converter
	refKey    []byte
	threshold int
}

// NewImporter returns an importer keyed by secret (CASEWATCH_SECRET), publishing case-level
// quasi-identifiers only in groups of at least k.
func NewImporter(st *store.Store, ref *reference.Data, secret []byte, k int) *Importer {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("casewatch public reference"))
	return &Importer{
		store:     st,
		conv:      &converter{ref: ref, keys: privacy.NewKeys(secret)},
		refKey:    mac.Sum(nil),
		threshold: k,
	}
}

// Options steer one import.
type Options struct {
	Format Format
	DryRun bool
	Note   string
}

// Result tells what an import did. Release is nil when the batch changed nothing or was a
// dry run.
type Result struct {
	Release                   *model.Release
	Added, Updated, Unchanged int
	NewArticles               int
	Warnings                  []Issue
	// RegionsByName counts the rows whose region was given by name, by spelling.
	RegionsByName []RegionNameMatch
	DryRun        bool
}

// RejectedError lists why a batch was rejected; nothing was written.
type RejectedError struct {
	Issues []Issue
	// More counts issues found beyond those listed.
	More int
}

func (e *RejectedError) Error() string {
	msg := fmt.Sprintf("import rejected: %d problem(s), nothing was written", len(e.Issues)+e.More)
	if len(e.Issues) > 0 {
		msg += "; first: " + e.Issues[0].String()
	}
	return msg
}

// errRejected stops the store's transaction once the batch is known to be rejected.
var errRejected = errors.New("rejected")

// Import reads one batch from r and writes it as one release. Bad input yields a
// *RejectedError and changes nothing.
func (im *Importer) Import(ctx context.Context, r io.Reader, opts Options) (*Result, error) {
	sum := sha256.New()
	in := io.TeeReader(r, sum)
	var rows rowReader
	if opts.Format == NDJSON {
		rows = newNDJSONRows(in)
	} else {
		rows = newCSVRows(in)
	}
	var note *string
	if opts.Note != "" {
		note = &opts.Note
	}
	res := &Result{DryRun: opts.DryRun}
	rejected := &RejectedError{}
	var regionNames regionNameCounts
	sopts := store.ImportOptions{
		Release:    model.Release{Note: note},
		DryRun:     opts.DryRun,
		Reference:  im.reference,
		Generalize: privacy.Generalizer(im.threshold, im.conv.ref.FineBand),
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := im.convertAll(ctx, rows)
	sres, err := im.store.Import(ctx, sopts, func(b *store.ImportBatch) error {
		for batch := range batches {
			if batch.err != nil {
				return batch.err
			}
			for _, c := range batch.rows {
				res.Warnings = append(res.Warnings, c.warnings...)
				for i, is := range c.issues {
					if u := c.unknownRegion; u != nil && u.issue == i && len(rejected.Issues) < maxIssuesListed {
						is.Message = unknownRegion(u.jurisdiction, u.value, im.conv.ref.NearRegions(u.jurisdiction, u.value))
					}
					rejected.add(is)
				}
				if c.rec == nil || len(rejected.Issues) > 0 {
					continue // keep checking, so every problem is reported at once
				}
				if c.article != nil {
					b.AddArticle(*c.article)
				}
				if c.regionName != nil {
					regionNames.add(c.regionName)
				}
				if err := b.Put(ctx, c.rec); err != nil {
					var dup *store.DuplicateError
					if errors.As(err, &dup) {
						rejected.add(Issue{Line: dup.Line, Column: 1, Message: dup.Error()})
						continue
					}
					return err
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err // the batches stopped early: the input was not read to its end
		}
		if len(rejected.Issues) > 0 {
			return errRejected
		}
		// The checksum is complete only now that the input is read.
		b.SetChecksum(hex.EncodeToString(sum.Sum(nil)))
		return nil
	})
	if errors.Is(err, errRejected) || (err == nil && len(rejected.Issues) > 0) {
		return nil, rejected
	}
	var dup *store.DuplicateError
	if errors.As(err, &dup) {
		rejected.add(Issue{Line: dup.Line, Column: 1, Message: dup.Error()})
		return nil, rejected
	}
	if err != nil {
		return nil, err
	}
	res.Release, res.Added, res.Updated, res.Unchanged, res.NewArticles = sres.Release, sres.Added, sres.Updated, sres.Unchanged, sres.NewArticles
	res.RegionsByName = regionNames.list()
	return res, nil
}

// convertedRow is one input row after the checks and the privacy rules.
type convertedRow struct {
	rec     *store.CaseRecord
	article *model.Article
	// regionName is set when the row gave its region by name rather than ISO code.
	regionName *regionNameUse
	// unknownRegion is set when the row's region is no region's name: its issue's message
	// gets the nearest regions if it is listed.
	unknownRegion *unknownRegionName
	warnings      []Issue
	issues        []Issue
}

type convertedBatch struct {
	rows []convertedRow
	err  error
}

// convertAll reads rows on a goroutine of its own and converts them, in batches, on one
// worker per processor, so that the privacy work runs beside the reading and the writing
// of earlier batches. Batches come out in input order. The channel closes at the end of
// the input, after a batch with err set, or when ctx ends (the consumer must then look at
// ctx.Err(), not take the end of the channel for the end of the input).
func (im *Importer) convertAll(ctx context.Context, rows rowReader) <-chan convertedBatch {
	const batchRows = 256
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	type job struct {
		raw  []*rawRow
		tail convertedBatch // what ended the input early: an unreadable row or an error
		done chan convertedBatch
	}
	jobs := make(chan job, workers)
	inOrder := make(chan chan convertedBatch, 2*workers)
	go func() { // reader: hands out batches and notes their order
		defer close(jobs)
		defer close(inOrder)
		for end := false; !end; {
			j := job{raw: make([]*rawRow, 0, batchRows), done: make(chan convertedBatch, 1)}
			for len(j.raw) < batchRows {
				row, err := rows.next()
				if err == io.EOF {
					end = true
					break
				}
				var issue *Issue
				if errors.As(err, &issue) {
					// The stream cannot be read past this point.
					j.tail.rows = []convertedRow{{issues: []Issue{*issue}}}
					end = true
					break
				}
				if err != nil {
					j.tail.err = err
					end = true
					break
				}
				j.raw = append(j.raw, row)
			}
			select {
			case inOrder <- j.done:
			case <-ctx.Done():
				return
			}
			jobs <- j // workers drain jobs whatever happens, so this cannot hang
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				batch := convertedBatch{rows: make([]convertedRow, 0, len(j.raw)+len(j.tail.rows)), err: j.tail.err}
				for _, row := range j.raw {
					batch.rows = append(batch.rows, im.conv.convert(row))
				}
				batch.rows = append(batch.rows, j.tail.rows...)
				j.done <- batch // buffered: never blocks
			}
		}()
	}
	out := make(chan convertedBatch)
	go func() { // collector: passes batches on in input order
		defer close(out)
		for done := range inOrder {
			var batch convertedBatch
			select {
			case batch = <-done:
			case <-ctx.Done():
				return
			}
			select {
			case out <- batch:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func (e *RejectedError) add(i Issue) {
	if len(e.Issues) < maxIssuesListed {
		e.Issues = append(e.Issues, i)
	} else {
		e.More++
	}
}

// crockford is Crockford's base 32: no I, L, O or U, so references read aloud well.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// reference derives a case's public reference, e.g. KZ-2024-7Q3M2C, from its source key
// under a key of its own: stable across re-imports, unrelated to any court number.
func (im *Importer) reference(rec *store.CaseRecord, attempt int) string {
	mac := hmac.New(sha256.New, im.refKey)
	mac.Write([]byte(rec.SourceKey))
	mac.Write([]byte(strconv.Itoa(attempt)))
	sum := mac.Sum(nil)
	code := make([]byte, 6)
	for i := range code {
		code[i] = crockford[sum[i]%32]
	}
	return string(rec.Case.Jurisdiction) + "-" + rec.Case.ReportedOn[:4] + "-" + string(code)
}

// AuditEntry describes an import for the audit log: who ran it, through what, and what
// came of it.
func AuditEntry(who, action string, res *Result, err error) store.AuditEntry {
	e := store.AuditEntry{TokenName: who, Action: action}
	var rejected *RejectedError
	switch {
	case errors.As(err, &rejected):
		e.Detail = fmt.Sprintf("rejected: %d problem(s)", len(rejected.Issues)+rejected.More)
	case err != nil:
		e.Detail = "failed"
	default:
		e.Detail = fmt.Sprintf("added %d, updated %d, unchanged %d, dry run %t", res.Added, res.Updated, res.Unchanged, res.DryRun)
		if res.Release != nil {
			e.ReleaseID = &res.Release.ID
		}
	}
	return e
}
