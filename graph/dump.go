package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/casewatch/casewatch/internal/dumps"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/stats"
)

// Dumps: the published view of every case, and the statistics per jurisdiction, category
// and year, written once per release as files anyone can download whole (package dumps
// keeps them). The cases are the case export's rows in its order; the statistics are the
// statistics export's, through the same engine with the server's threshold.

// DumpStore keeps the dumps of releases (*dumps.Dir).
type DumpStore interface {
	Stage() (string, error)
	Publish(staged string, m *dumps.Manifest) error
	Manifest(release int) (*dumps.Manifest, error)
	List() ([]*dumps.Manifest, error)
	Open(release int, name string) (io.ReadSeekCloser, error)
}

// dumpStatistics is the statistics question of a dump.
var dumpStatistics = struct {
	groupBy  []model.Dimension
	interval model.Interval
}{[]model.Dimension{model.DimensionJurisdiction, model.DimensionCategory}, model.IntervalYear}

// BuildDump writes the dump of the current release into d unless it is there, and returns
// its manifest. A release that lands while the dump is written makes it give up (that
// release gets its own dump): a dump never mixes two releases.
func (a *API) BuildDump(ctx context.Context, d DumpStore) (*dumps.Manifest, error) {
	r := a.r
	rel, err := r.currentRelease(ctx)
	if err != nil || rel == nil {
		return nil, err
	}
	if m, err := d.Manifest(rel.Version()); err == nil {
		if m.PublishedAt != rel.PublishedAt || m.Changes != releaseChanges(rel) {
			// Numbered like ours, published at another time: the directory holds the
			// dumps of another database. Serving them as ours would be wrong.
			return nil, fmt.Errorf("the dumps directory holds a release %d of another database (published %s, ours %s)", m.Release, m.PublishedAt, rel.PublishedAt)
		}
		return m, nil
	} else if !errors.Is(err, dumps.ErrNotFound) {
		return nil, err
	}
	staged, err := d.Stage()
	if err != nil {
		return nil, err
	}
	m := &dumps.Manifest{Release: rel.Version(), PublishedAt: rel.PublishedAt, Changes: releaseChanges(rel), Synthetic: rel.Synthetic,
		Licence: DataLicence, Citation: citation(rel)}
	files, err := r.dumpCases(ctx, staged)
	if err == nil {
		var more []dumps.File
		more, err = r.dumpStatistics(ctx, staged)
		files = append(files, more...)
	}
	var now *model.Release
	if err == nil {
		now, err = r.currentRelease(ctx)
	}
	if err == nil && (now == nil || now.ID != rel.ID) {
		err = fmt.Errorf("the release changed while the dump of release %d was written", rel.Version())
	}
	if err != nil {
		os.RemoveAll(staged)
		return nil, fmt.Errorf("dump of release %d: %w", rel.Version(), err)
	}
	m.Files = files
	if err := d.Publish(staged, m); err != nil && !errors.Is(err, dumps.ErrExists) {
		return nil, fmt.Errorf("dump of release %d: %w", rel.Version(), err)
	}
	return d.Manifest(rel.Version())
}

func releaseChanges(rel *model.Release) dumps.Changes {
	return dumps.Changes{Added: rel.RowsAdded, Updated: rel.RowsUpdated, Unchanged: rel.RowsUnchanged}
}

// dumpCases writes every case of the case view, as the case export does without a filter.
func (r *Resolver) dumpCases(ctx context.Context, dir string) ([]dumps.File, error) {
	cols := make([]dumps.Column, len(exportColumns))
	for i, c := range exportColumns {
		kind := dumps.String
		switch c {
		case "first_release":
			kind = dumps.Int
		case "synthetic":
			kind = dumps.Bool
		}
		cols[i] = dumps.Column{Name: c, Kind: kind}
	}
	w, err := dumps.NewWriter(dir, "cases", cols)
	if err != nil {
		return nil, err
	}
	releases, err := r.releaseFlags(ctx)
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	out := rowWriterFunc(func(row map[string]string) error {
		for i, c := range exportColumns {
			v := row[c]
			switch {
			case v == "":
				vals[i] = nil
			case c == "first_release":
				var n int
				fmt.Sscan(v, &n)
				vals[i] = n
			case c == "synthetic":
				vals[i] = v == "true"
			default:
				vals[i] = v
			}
		}
		return w.Write(vals)
	})
	if err := r.export(withLoaders(ctx, r.store), caseExport{order: model.CaseOrderReportedDesc}, releases, out); err != nil {
		w.Close()
		return nil, err
	}
	return w.Close()
}

// rowWriterFunc is a rowWriter of one function.
type rowWriterFunc func(map[string]string) error

func (f rowWriterFunc) write(row map[string]string) error { return f(row) }
func (f rowWriterFunc) flush() error                      { return nil }

// dumpStatistics writes the statistics per jurisdiction, category and year.
func (r *Resolver) dumpStatistics(ctx context.Context, dir string) ([]dumps.File, error) {
	iv := dumpStatistics.interval
	q := statisticsQuery{request: stats.Request{GroupBy: dumpStatistics.groupBy, Interval: &iv, K: r.threshold, RepeatDefendants: true}}
	out, err := r.engine.Statistics(ctx, q.request)
	if err != nil {
		return nil, err
	}
	table := newStatisticsTable(r, q, out)
	codes, _ := table.columns()
	cols := make([]dumps.Column, len(codes))
	for i, c := range codes {
		cols[i] = dumps.Column{Name: c, Kind: statisticsKind(c)}
		if i < len(dumpStatistics.groupBy) {
			cols[i].Kind = dumps.String // the grouped codes
		}
	}
	w, err := dumps.NewWriter(dir, "statistics", cols)
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	for _, b := range out.Buckets {
		row, withheld := table.row(b)
		row["withheld"] = strings.Join(withheld, " ")
		for i, c := range codes {
			vals[i] = row[c]
			if s, ok := vals[i].(string); ok && s == "" {
				vals[i] = nil
			}
		}
		if err := w.Write(vals); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w.Close()
}

// statisticsKind is the type of a statistics column's values.
func statisticsKind(code string) dumps.Kind {
	switch {
	case code == "period" || code == "withheld" || strings.HasSuffix(code, "_label"):
		return dumps.String
	case strings.HasSuffix(code, "_rate") || strings.HasSuffix(code, "_per_100k") || code == "median_days_to_decision" ||
		strings.HasSuffix(code, "_mean") || strings.HasSuffix(code, "_median") || strings.HasSuffix(code, "_p90"):
		return dumps.Float
	}
	return dumps.Int
}

// dumpPath is where a file of a release's dump is served (DumpsHandler).
func dumpPath(release int, name string) string {
	return fmt.Sprintf("/dumps/release-%d/%s", release, name)
}

// DumpsHandler serves the dumps d keeps: /dumps/ lists them (HTML for a browser,
// /dumps/index.json for a program), /dumps/release-<N>/<file> is one file. A dump never
// changes, so its files are cached for a year under their SHA-256.
func DumpsHandler(d DumpStore) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rest := strings.TrimPrefix(req.URL.Path, "/dumps/")
		if rest == "" || rest == "index.json" {
			list, err := d.List()
			if err != nil {
				http.Error(w, "the dumps cannot be listed just now", http.StatusServiceUnavailable)
				return
			}
			if rest == "index.json" {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				_ = enc.Encode(map[string]any{"licence": DataLicence, "licenceURL": DataLicenceURL, "releases": list})
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if err := dumpsPage.Execute(w, list); err != nil {
				panic(http.ErrAbortHandler)
			}
			return
		}
		dir, name, ok := strings.Cut(rest, "/")
		n, err := strconv.Atoi(strings.TrimPrefix(dir, "release-"))
		if !ok || !strings.HasPrefix(dir, "release-") || err != nil || n <= 0 || strings.Contains(name, "/") {
			http.NotFound(w, req)
			return
		}
		m, err := d.Manifest(n)
		var f io.ReadSeekCloser
		if err == nil {
			f, err = d.Open(n, name)
		}
		if errors.Is(err, dumps.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			http.NotFound(w, req)
			return
		}
		if err != nil {
			http.Error(w, "the dump cannot be read just now", http.StatusServiceUnavailable)
			return
		}
		defer f.Close()
		types := map[string]string{".gz": "application/gzip", ".parquet": "application/vnd.apache.parquet",
			".json": "application/json; charset=utf-8", "SUMS": "text/plain; charset=utf-8"}
		for ext, ct := range types {
			if strings.HasSuffix(name, ext) {
				w.Header().Set("Content-Type", ct)
			}
		}
		for _, file := range m.Files {
			if file.Name == name {
				w.Header().Set("ETag", `"`+file.SHA256+`"`)
				w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="casewatch-r%d-%s"`, n, name))
			}
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Casewatch-Release", strconv.Itoa(n))
		w.Header().Set("X-Casewatch-Licence", DataLicence)
		w.Header().Add("Link", "<"+DataLicenceURL+`>; rel="license"`)
		http.ServeContent(w, req, "", time.Time{}, f)
	})
}

var dumpsPage = template.Must(template.New("dumps").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>casewatch: release dumps</title></head>
<body>
<main>
<h1>casewatch: release dumps</h1>
<p>Every release as whole files: the published view of all cases and the statistics per
jurisdiction, category and year, as gzipped CSV and as Parquet. Check a download with
<code>sha256sum -c SHA256SUMS</code>. Licence: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.
A program reads this list as <a href="index.json">index.json</a>.</p>
{{range .}}
<section>
<h2>Release {{.Release}}{{if .Synthetic}} (synthetic data){{end}}</h2>
<p>{{.Citation}}. <a href="release-{{.Release}}/manifest.json">manifest.json</a>, <a href="release-{{.Release}}/SHA256SUMS">SHA256SUMS</a></p>
<table>
<thead><tr><th scope="col">File</th><th scope="col">Rows</th><th scope="col">Bytes</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
{{$r := .Release}}{{range .Files}}<tr><td><a href="release-{{$r}}/{{.Name}}">{{.Name}}</a></td><td>{{.Rows}}</td><td>{{.Bytes}}</td><td><code>{{.SHA256}}</code></td></tr>
{{end}}</tbody>
</table>
</section>
{{else}}
<p>No dump has been written yet.</p>
{{end}}
</main>
</body>
</html>
`))
