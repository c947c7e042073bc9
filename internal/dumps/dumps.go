// Package dumps keeps the bulk files of each release: tables written as gzipped CSV and as
// Parquet, a manifest (release, rows, sizes, SHA-256 of each file) and a SHA256SUMS file,
// so that anyone can download a whole release, check it, and diff two releases.
//
// A dump is written once per release and never changed: a release's files appear all at
// once (staged, then moved into place by one rename) or not at all, and the dumps of older
// releases stay. The same data give the same bytes: rows in a fixed order, no time stamps
// in the gzip or Parquet files.
package dumps

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Kind is the type of a column's values.
type Kind int

const (
	String Kind = iota
	Int
	Float
	Bool
)

// Column is one column of a table.
type Column struct {
	Name string
	Kind Kind
}

// File is one file of a dump, as its manifest describes it.
type File struct {
	Name   string `json:"name"`
	Table  string `json:"table"`
	Format string `json:"format"` // "csv.gz" or "parquet"
	Rows   int    `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// Release is the release the file belongs to (the manifest's); set when a manifest is
	// read, not written into it.
	Release int `json:"-"`
}

// Manifest describes one release's dump.
type Manifest struct {
	Release     int    `json:"release"`
	PublishedAt string `json:"publishedAt"`
	// Changes are the release's own counts of the rows its input added, updated and left
	// unchanged; with PublishedAt they tell the release apart from another database's
	// release of the same number.
	Changes   Changes `json:"changes"`
	Synthetic bool    `json:"synthetic"`
	Licence   string  `json:"licence"`
	Citation  string  `json:"citation"`
	Files     []File  `json:"files"`
}

// Changes are a release's row counts.
type Changes struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ManifestName and SumsName are the two files every dump has besides its tables.
const (
	ManifestName = "manifest.json"
	SumsName     = "SHA256SUMS"
)

// ErrExists is returned by Publish when the release's dump is already there: a dump is
// never replaced.
var ErrExists = errors.New("dumps: the release's dump exists")

// ErrNotFound is returned for a release or file that has no dump.
var ErrNotFound = errors.New("dumps: not found")

// Writer writes one table as gzipped CSV and Parquet at once, into a staging directory.
type Writer struct {
	table   string
	columns []Column
	rows    int

	csvFile, pqFile *os.File
	csvHash, pqHash hash.Hash
	csvSize, pqSize *countingWriter
	gz              *gzip.Writer
	csv             *csv.Writer
	pq              *parquet.Writer
	schema          *parquet.Schema
	order           []int // order[i]: the Parquet column index of columns[i]
	rec             []string
	row             parquet.Row
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// NewWriter starts the files <table>.csv.gz and <table>.parquet in dir.
func NewWriter(dir, table string, columns []Column) (*Writer, error) {
	w := &Writer{table: table, columns: columns, csvHash: sha256.New(), pqHash: sha256.New(), rec: make([]string, len(columns))}
	var err error
	if w.csvFile, err = os.Create(filepath.Join(dir, table+".csv.gz")); err != nil {
		return nil, err
	}
	if w.pqFile, err = os.Create(filepath.Join(dir, table+".parquet")); err != nil {
		w.csvFile.Close()
		return nil, err
	}
	w.csvSize = &countingWriter{w: io.MultiWriter(w.csvFile, w.csvHash)}
	w.pqSize = &countingWriter{w: io.MultiWriter(w.pqFile, w.pqHash)}
	// No name and no time in the gzip header: the same rows give the same bytes.
	w.gz, _ = gzip.NewWriterLevel(w.csvSize, gzip.BestCompression)
	w.csv = csv.NewWriter(w.gz)
	w.csv.UseCRLF = true

	group := parquet.Group{}
	for _, c := range columns {
		var leaf parquet.Node
		switch c.Kind {
		case Int:
			leaf = parquet.Int(64)
		case Float:
			leaf = parquet.Leaf(parquet.DoubleType)
		case Bool:
			leaf = parquet.Leaf(parquet.BooleanType)
		default:
			leaf = parquet.String()
		}
		group[c.Name] = parquet.Compressed(parquet.Optional(leaf), &parquet.Zstd)
	}
	w.schema = parquet.NewSchema(table, group)
	// A group's columns are stored in name order; order maps ours to theirs.
	paths := w.schema.Columns()
	w.order = make([]int, len(columns))
	for i, c := range columns {
		w.order[i] = slices.IndexFunc(paths, func(p []string) bool { return len(p) == 1 && p[0] == c.Name })
	}
	w.pq = parquet.NewWriter(w.pqSize, w.schema, parquet.CreatedBy("casewatch", "", ""))
	w.row = make(parquet.Row, len(columns))

	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = c.Name
	}
	if err := w.csv.Write(header); err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}

// Write adds a row: one value per column, nil for none, of the column's kind.
func (w *Writer) Write(values []any) error {
	if len(values) != len(w.columns) {
		return fmt.Errorf("dumps: %d values for %d columns", len(values), len(w.columns))
	}
	for i, v := range values {
		var pv parquet.Value
		if n, ok := v.(int); ok && w.columns[i].Kind == Float {
			v = float64(n)
		}
		if kind, ok := kindOf(v); ok && kind != w.columns[i].Kind {
			return fmt.Errorf("dumps: column %s: a value of type %T", w.columns[i].Name, v)
		}
		switch x := v.(type) {
		case nil:
			w.rec[i] = ""
			pv = parquet.NullValue().Level(0, 0, w.order[i])
			w.row[w.order[i]] = pv
			continue
		case string:
			w.rec[i] = x
			pv = parquet.ByteArrayValue([]byte(x))
		case int:
			w.rec[i] = strconv.Itoa(x)
			pv = parquet.Int64Value(int64(x))
		case int64:
			w.rec[i] = strconv.FormatInt(x, 10)
			pv = parquet.Int64Value(x)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("dumps: column %s: %v", w.columns[i].Name, x)
			}
			w.rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
			pv = parquet.DoubleValue(x)
		case bool:
			w.rec[i] = strconv.FormatBool(x)
			pv = parquet.BooleanValue(x)
		default:
			return fmt.Errorf("dumps: column %s: a value of type %T", w.columns[i].Name, v)
		}
		w.row[w.order[i]] = pv.Level(0, 1, w.order[i])
	}
	if err := w.csv.Write(w.rec); err != nil {
		return err
	}
	if _, err := w.pq.WriteRows([]parquet.Row{w.row}); err != nil {
		return err
	}
	w.rows++
	return nil
}

// kindOf is the kind of a value; false for nil.
func kindOf(v any) (Kind, bool) {
	switch v.(type) {
	case string:
		return String, true
	case int, int64:
		return Int, true
	case float64:
		return Float, true
	case bool:
		return Bool, true
	}
	return 0, false
}

// Close finishes both files and describes them.
func (w *Writer) Close() ([]File, error) {
	w.csv.Flush()
	err := errors.Join(w.csv.Error(), w.gz.Close(), w.pq.Close(), w.csvFile.Sync(), w.pqFile.Sync(), w.csvFile.Close(), w.pqFile.Close())
	if err != nil {
		return nil, err
	}
	return []File{
		{Name: w.table + ".csv.gz", Table: w.table, Format: "csv.gz", Rows: w.rows, Bytes: w.csvSize.n, SHA256: hex.EncodeToString(w.csvHash.Sum(nil))},
		{Name: w.table + ".parquet", Table: w.table, Format: "parquet", Rows: w.rows, Bytes: w.pqSize.n, SHA256: hex.EncodeToString(w.pqHash.Sum(nil))},
	}, nil
}

func (w *Writer) abort() {
	w.csvFile.Close()
	w.pqFile.Close()
}

// Sums is the SHA256SUMS file of a manifest's files (the format sha256sum -c reads).
func Sums(m *Manifest) []byte {
	var b strings.Builder
	for _, f := range m.Files {
		fmt.Fprintf(&b, "%s  %s\n", f.SHA256, f.Name)
	}
	return []byte(b.String())
}

// Dir keeps dumps in a directory: <dir>/release-<N>/<file>.
type Dir struct{ root string }

// NewDir keeps dumps under root, creating it.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &Dir{root: root}, nil
}

func releaseDir(release int) string { return "release-" + strconv.Itoa(release) }

// Stage makes a directory to write a dump into; Publish moves it into place.
func (d *Dir) Stage() (string, error) {
	return os.MkdirTemp(d.root, ".staging-")
}

// Publish writes the manifest and SHA256SUMS into staged and moves it into place as the
// release's dump, in one rename: readers see all of it or none. A release already dumped
// keeps its dump (ErrExists) and staged is removed.
func (d *Dir) Publish(staged string, m *Manifest) error {
	defer os.RemoveAll(staged) // nothing left of it once moved; everything when not
	doc, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{ManifestName: append(doc, '\n'), SumsName: Sums(m)} {
		if err := writeFileSync(filepath.Join(staged, name), data); err != nil {
			return err
		}
	}
	target := filepath.Join(d.root, releaseDir(m.Release))
	if _, err := os.Stat(target); err == nil {
		return ErrExists
	}
	if err := os.Rename(staged, target); err != nil {
		if _, serr := os.Stat(target); serr == nil {
			return ErrExists // another instance published it meanwhile
		}
		return err
	}
	return syncDir(d.root)
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Sync(), f.Close())
}

func syncDir(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// Manifest reads a release's manifest.
func (d *Dir) Manifest(release int) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(d.root, releaseDir(release), ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return parseManifest(release, data)
}

func parseManifest(release int, data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("dumps: %s of release %d: %w", ManifestName, release, err)
	}
	for i := range m.Files {
		m.Files[i].Release = m.Release
	}
	return &m, nil
}

// lists reports whether name is a file of the dump: only those are served, so no name
// reaches anything else.
func (m *Manifest) lists(name string) bool {
	known := name == ManifestName || name == SumsName
	for _, f := range m.Files {
		known = known || f.Name == name
	}
	return known
}

// List gives the manifests of every dumped release, newest first.
func (d *Dir) List() ([]*Manifest, error) {
	entries, err := os.ReadDir(d.root)
	if err != nil {
		return nil, err
	}
	var out []*Manifest
	for _, e := range entries {
		n, ok := strings.CutPrefix(e.Name(), "release-")
		if !ok || !e.IsDir() {
			continue
		}
		release, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		m, err := d.Manifest(release)
		if errors.Is(err, ErrNotFound) {
			continue // not a dump: a dump's directory appears with its manifest
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *Manifest) int { return b.Release - a.Release })
	return out, nil
}

// Open opens one file of a release's dump: a table, the manifest or SHA256SUMS.
func (d *Dir) Open(release int, name string) (io.ReadSeekCloser, error) {
	m, err := d.Manifest(release)
	if err != nil {
		return nil, err
	}
	if !m.lists(name) {
		return nil, ErrNotFound
	}
	return os.Open(filepath.Join(d.root, releaseDir(release), name))
}
