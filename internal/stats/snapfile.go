package stats

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/casewatch/casewatch/internal/buildid"
)

// The fact table, its index and orders, and the detection table are kept in a local file
// (Engine.SnapshotFile) after each release, so that a server starting again reads one
// file instead of every case from SQL (seconds at a million cases). A file is only ever a
// starting point: it is taken when it was written by this very build (the facts are its
// memory layout) under the same secret for a release the store still has as it was, and
// the cases changed by later releases are then read from SQL as after any release.
//
// Format: a magic line, a JSON header (snapshotHeader), the sections in a fixed order,
// each a length and raw bytes, and a CRC-32C of everything before it. Written to a
// temporary file and renamed, so a reader sees a whole file or the previous one.

const snapshotMagic = "casewatch fact table\n"

// snapshotFormat changes when the sections do.
const snapshotFormat = 3

type snapshotHeader struct {
	Format int    `json:"format"`
	Build  string `json:"build"`
	// Keys is a digest of the keys derived from the server's secret (ranks, record keys):
	// facts computed under another secret are not ours.
	Keys string `json:"keys"`
	// Generation and PublishedAt identify the release the facts are of; PublishedAt tells
	// it from another database's release of the same number.
	Generation  int64  `json:"generation"`
	PublishedAt string `json:"publishedAt"`
	// DetectionGeneration is the release the detection table is of.
	DetectionGeneration int64 `json:"detectionGeneration"`
}

var crc32c = crc32.MakeTable(crc32.Castagnoli)

// keysDigest names the keys e derives from its secret without revealing them.
func (e *Engine) keysDigest() string {
	h := sha256.New()
	h.Write([]byte("casewatch snapshot keys\x00"))
	h.Write(e.orderKey)
	h.Write([]byte{0})
	h.Write(e.secret)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// header returns what a file of s and t must say to be taken by e.
func (e *Engine) header(ctx context.Context, gen int64) (*snapshotHeader, error) {
	rel, err := e.store.Release(ctx, gen)
	if err != nil {
		return nil, err
	}
	return &snapshotHeader{Format: snapshotFormat, Build: buildid.Identity(), Keys: e.keysDigest(),
		Generation: gen, PublishedAt: rel.PublishedAt}, nil
}

// saveSnapshot writes s and t to e.SnapshotFile.
func (e *Engine) saveSnapshot(ctx context.Context, s *snapshot, t *detectionTable) (err error) {
	if buildid.Identity() == "" {
		return nil
	}
	h, err := e.header(ctx, s.generation)
	if err != nil {
		return err
	}
	h.DetectionGeneration = t.generation
	dir := filepath.Dir(e.SnapshotFile)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(e.SnapshotFile)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	sum := crc32.New(crc32c)
	w := &sectionWriter{w: bufio.NewWriterSize(io.MultiWriter(f, sum), 1<<20)}
	header, _ := json.Marshal(h)
	w.bytes([]byte(snapshotMagic))
	w.bytes(header)
	s.order(false) // the orders are part of the file
	writeSlice(w, s.facts)
	for _, d := range s.dicts {
		w.strings(d.codes)
	}
	writeSlice(w, s.fines.entries)
	writeSlice(w, s.byPerson)
	writeSlice(w, s.repeatFacts)
	writeSlice(w, s.repeatStarts)
	writeSlice(w, s.orders.byReported)
	writeSlice(w, s.orders.byDecided)
	keys := make([]indexKey, 0, len(s.index.bitmaps))
	for k := range s.index.bitmaps {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	writeSlice(w, keys)
	var buf bytes.Buffer
	bitmap := func(b *roaring.Bitmap) error {
		buf.Reset()
		if _, err := b.WriteTo(&buf); err != nil {
			return err
		}
		w.bytes(buf.Bytes())
		return nil
	}
	for _, k := range keys {
		if err := bitmap(s.index.bitmaps[k]); err != nil {
			return err
		}
	}
	tokens := slices.Sorted(maps.Keys(s.words.tokens))
	w.strings(append([]string{""}, tokens...)) // a dictionary's first entry is unused
	for _, t := range tokens {
		if err := bitmap(s.words.tokens[t]); err != nil {
			return err
		}
	}
	writeSlice(w, t.rows)
	for _, d := range t.dicts {
		w.strings(d.codes)
	}
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, sum.Sum32()); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), e.SnapshotFile)
}

// errSnapshotNotOurs says a snapshot file is not a starting point for this engine.
var errSnapshotNotOurs = errors.New("the snapshot file is of another build, secret or database")

// loadSnapshot reads e.SnapshotFile: the fact table and the detection table it holds,
// once checked against the store. A file that is missing, damaged or not ours is an
// error; the caller then builds the tables from SQL.
func (e *Engine) loadSnapshot(ctx context.Context) (*snapshot, *detectionTable, error) {
	if buildid.Identity() == "" {
		return nil, nil, errSnapshotNotOurs
	}
	f, err := os.Open(e.SnapshotFile)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	// Read in one pass, straight into the tables' memory, checksummed on the way.
	sum := crc32.New(crc32c)
	in := bufio.NewReaderSize(f, 1<<20)
	r := &sectionReader{r: io.TeeReader(in, sum), left: info.Size()}
	if string(r.bytes()) != snapshotMagic {
		return nil, nil, errors.New("not a snapshot file")
	}
	var got snapshotHeader
	if err := json.Unmarshal(r.bytes(), &got); err != nil {
		return nil, nil, fmt.Errorf("snapshot header: %w", err)
	}
	want, err := e.header(ctx, got.Generation)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", errSnapshotNotOurs, err)
	}
	want.DetectionGeneration = got.DetectionGeneration
	if got != *want {
		return nil, nil, errSnapshotNotOurs
	}

	s := &snapshot{generation: got.Generation}
	s.facts = readSlice[fact](r)
	for i := range s.dicts {
		s.dicts[i] = dictionaryOf(r.strings())
	}
	s.fines = newFineDictionary(readSlice[fineEntry](r))
	s.byPerson = readSlice[int32](r)
	s.repeatFacts = readSlice[int32](r)
	s.repeatStarts = readSlice[int32](r)
	orders := caseOrders{byReported: readSlice[int32](r), byDecided: readSlice[int32](r)}
	s.ordersOnce.Do(func() {
		s.orders = orders
		s.ordered.Store(true)
	})
	keys := readSlice[indexKey](r)
	s.index = &index{bitmaps: make(map[indexKey]*roaring.Bitmap, len(keys)), n: len(s.facts)}
	bitmap := func() *roaring.Bitmap {
		b := roaring.New()
		if _, err := b.ReadFrom(bytes.NewReader(r.bytes())); err != nil && r.err == nil {
			r.err = fmt.Errorf("bitmap: %w", err)
		}
		return b
	}
	for _, k := range keys {
		s.index.bitmaps[k] = bitmap()
	}
	tokens := r.strings()[1:]
	s.words = &words{tokens: make(map[string]*roaring.Bitmap, len(tokens))}
	for _, t := range tokens {
		s.words.tokens[t] = bitmap()
	}
	t := &detectionTable{generation: got.DetectionGeneration}
	t.rows = readSlice[detection](r)
	for i := range t.dicts {
		t.dicts[i] = dictionaryOf(r.strings())
	}
	var trailer [4]byte
	if r.err == nil {
		if _, err := io.ReadFull(in, trailer[:]); err != nil {
			r.err = err
		} else if binary.LittleEndian.Uint32(trailer[:]) != sum.Sum32() {
			r.err = errors.New("checksum mismatch")
		} else if _, err := in.ReadByte(); err != io.EOF {
			r.err = errors.New("trailing bytes")
		}
	}
	if r.err != nil {
		return nil, nil, fmt.Errorf("the snapshot file is damaged: %w", r.err)
	}
	t.index()
	return s, t, nil
}

func dictionaryOf(codes []string) *dictionary {
	d := &dictionary{codes: codes, index: make(map[string]uint16, len(codes))}
	for i, c := range codes[1:] {
		d.index[c] = uint16(i + 1)
	}
	return d
}

// sectionWriter writes length-prefixed sections; the first error sticks.
type sectionWriter struct {
	w   *bufio.Writer
	err error
}

func (w *sectionWriter) bytes(b []byte) {
	if w.err != nil {
		return
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	if _, w.err = w.w.Write(n[:]); w.err == nil {
		_, w.err = w.w.Write(b)
	}
}

func (w *sectionWriter) strings(ss []string) {
	var b []byte
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	w.bytes(b)
}

// writeSlice writes a slice of plain values (no pointers) as its memory holds them: the
// file is read back only by the same build on the same machine (snapshotHeader.Build).
func writeSlice[T any](w *sectionWriter, s []T) {
	w.bytes(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(*new(T)))))
}

// sectionReader reads what sectionWriter wrote; the first error sticks and later reads
// give nothing.
type sectionReader struct {
	r io.Reader
	// left bounds what a section may claim, so a damaged length cannot ask for more
	// memory than the file has bytes.
	left int64
	err  error
}

// length reads the length of the next section.
func (r *sectionReader) length() int {
	if r.err != nil {
		return 0
	}
	var b [8]byte
	if _, r.err = io.ReadFull(r.r, b[:]); r.err != nil {
		return 0
	}
	n := binary.LittleEndian.Uint64(b[:])
	r.left -= 8
	if n > uint64(max(r.left, 0)) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	r.left -= int64(n)
	return int(n)
}

// into reads the next section, of len(b) bytes, into b.
func (r *sectionReader) into(b []byte) {
	if r.err == nil {
		_, r.err = io.ReadFull(r.r, b)
	}
}

func (r *sectionReader) bytes() []byte {
	b := make([]byte, r.length())
	r.into(b)
	return b
}

func (r *sectionReader) strings() []string {
	b := r.bytes()
	out := []string{}
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			r.err = errors.New("bad string")
			return []string{""}
		}
		out = append(out, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	if len(out) == 0 {
		if r.err == nil {
			r.err = errors.New("empty dictionary")
		}
		return []string{""}
	}
	return out
}

// readSlice reads a slice writeSlice wrote, into memory of its own.
func readSlice[T any](r *sectionReader) []T {
	n, size := r.length(), int(unsafe.Sizeof(*new(T)))
	if n%size != 0 {
		if r.err == nil {
			r.err = fmt.Errorf("a section of %d bytes is not a whole number of %d-byte values", n, size)
		}
		return nil
	}
	out := make([]T, n/size)
	r.into(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), n))
	return out
}
