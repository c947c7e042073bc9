package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/casewatch/casewatch/internal/cache"
	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/store"
)

// errRejected is the import command's exit code 1 without a further message: the
// problems are already on stderr.
var errRejected = errors.New("import rejected; nothing was written")

// importCmd imports one file of case records as a release.
func importCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := newFlagSet("import", getenv, stderr)
	dryRun := fs.Bool("dry-run", false, "check and count, write nothing")
	note := fs.String("note", "", "a note for the release")
	format := fs.String("format", "", "csv or ndjson (default: from the file name)")
	if err := cfg.parse(fs, interleave(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{fmt.Errorf("usage: import [--dry-run] [--note TEXT] FILE")}
	}
	if cfg.secret == "" {
		return usageError{errors.New("CASEWATCH_SECRET must be set to import: it keys the pseudonyms, and the public demo key would let anyone recompute them")}
	}
	rdb, err := cfg.redis()
	if err != nil {
		return err
	}
	if rdb != nil {
		defer rdb.Close()
	}
	path := fs.Arg(0)
	f := ingest.FormatOf(path)
	switch *format {
	case "":
	case "csv", "ndjson":
		f = ingest.Format(*format)
	default:
		return usageError{fmt.Errorf("--format %q: use csv or ndjson", *format)}
	}
	in, err := os.Open(path)
	if err != nil {
		return usageError{err}
	}
	defer in.Close()

	st, ref, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	im := ingest.NewImporter(st, ref, []byte(cfg.secret), cfg.threshold)
	res, err := im.Import(ctx, in, ingest.Options{Format: f, DryRun: *dryRun, Note: *note})
	if aerr := st.Audit(ctx, ingest.AuditEntry("command line", "import", res, err)); aerr != nil {
		return errors.Join(err, aerr)
	}
	var rejected *ingest.RejectedError
	if errors.As(err, &rejected) {
		for _, is := range rejected.Issues {
			fmt.Fprintln(stderr, is.String())
		}
		if rejected.More > 0 {
			fmt.Fprintf(stderr, "… and %d more problem(s)\n", rejected.More)
		}
		return errRejected
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning: "+w.String())
	}
	if res.Release != nil && rdb != nil {
		announce(ctx, rdb, cfg.cachePrefix(), st, stderr)
	}
	fmt.Fprintln(stdout, describeImport(res))
	describeRegionNames(stdout, res.RegionsByName)
	return nil
}

// describeRegionNames lists how the region names of the file were read, so that an editor
// checks the mapping (best on a dry run, before anything is written).
func describeRegionNames(w io.Writer, matches []ingest.RegionNameMatch) {
	if len(matches) == 0 {
		return
	}
	fmt.Fprintln(w, "regions read from names (not ISO codes):")
	for _, m := range matches {
		rows := "rows"
		if m.Rows == 1 {
			rows = "row"
		}
		line := fmt.Sprintf("  %q → %s %s: %d %s", m.Name, m.Region.Code, m.Region.Names.EN, m.Rows, rows)
		if r := m.SharedWith; r != nil {
			line += fmt.Sprintf(" (the city; for %s write %q or %s)", r.Names.EN, r.Names.EN, r.Code)
		}
		fmt.Fprintln(w, line)
	}
}

func describeImport(res *ingest.Result) string {
	counts := fmt.Sprintf("%d added, %d updated, %d unchanged", res.Added, res.Updated, res.Unchanged)
	switch {
	case res.DryRun:
		return "dry run, nothing written: would have " + counts
	case res.Release == nil:
		return "no changes (" + counts + "): no release created"
	}
	return fmt.Sprintf("release %d: %s", res.Release.ID, counts)
}

// interleave moves flags after the file name to the front, so "import FILE --dry-run"
// (or "import FILE --database-url URL") works as well as "import --dry-run FILE". A flag
// of fs that is not boolean takes the next argument as its value.
func interleave(fs *flag.FlagSet, args []string) []string {
	takesValue := func(a string) bool {
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			return false
		}
		f := fs.Lookup(name)
		if f == nil {
			return false
		}
		b, isBool := f.Value.(interface{ IsBoolFlag() bool })
		return !isBool || !b.IsBoolFlag()
	}
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			return append(flags, append([]string{"--"}, rest...)...)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if takesValue(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

// announce tells the servers sharing REDIS_URL that a release committed, so they stop
// answering from the older one at once. Without Redis, or when it fails, the servers find
// the release by polling the database within a second; the import stands either way.
func announce(ctx context.Context, rdb redis.UniversalClient, prefix string, st *store.Store, stderr io.Writer) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	gen, err := st.Generation(ctx)
	if err == nil {
		err = cache.Announce(ctx, rdb, prefix, gen)
	}
	if err != nil {
		fmt.Fprintf(stderr, "warning: the release could not be announced on Redis (%v); servers find it by polling the database\n", err)
	}
}
