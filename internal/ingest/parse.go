package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Format is an input format of the import.
type Format string

const (
	CSV    Format = "csv"
	NDJSON Format = "ndjson"
)

// FormatOf guesses the format from a file name: .ndjson and .jsonl are NDJSON, the rest CSV.
func FormatOf(name string) Format {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".json") {
		return NDJSON
	}
	return CSV
}

// Limits on the input. A longer field is an error, not something to truncate.
const (
	maxFieldBytes   = 10_000 // content_excerpt; other fields are held to maxShortField
	maxShortField   = 200
	maxLineBytes    = 64 << 10
	maxIssuesListed = 100
)

// Issue is a problem with one place of the input.
type Issue struct {
	Line    int
	Column  int
	Message string
}

func (i Issue) String() string {
	return fmt.Sprintf("line %d, column %d: %s", i.Line, i.Column, i.Message)
}

// rawRow is one input record before validation: its cells, with where each cell starts,
// and their positions by column name.
type rawRow struct {
	line int
	// index is shared by all the rows of a CSV file (its header); an NDJSON row has its own.
	index map[string]int
	cells []cell
}

type cell struct {
	value  string
	column int
}

func (r *rawRow) get(name string) cell {
	if i, ok := r.index[name]; ok && i < len(r.cells) {
		return r.cells[i]
	}
	return cell{column: 1}
}

// set gives an NDJSON row's column name (not set yet) a cell.
func (r *rawRow) set(name string, c cell) {
	r.index[name] = len(r.cells)
	r.cells = append(r.cells, c)
}

// rowReader yields raw rows one at a time, so memory stays flat as the input grows.
type rowReader interface {
	// next returns the next row, io.EOF at the end, or an *Issue for input that cannot be
	// read further (broken CSV quoting, invalid JSON, …).
	next() (*rawRow, error)
}

// lineLimiter fails a read once a line grows past max bytes, so one huge field cannot
// exhaust memory before the parser sees its end.
type lineLimiter struct {
	r       *bufio.Reader
	max     int
	inLine  int
	line    int
	tooLong bool
}

var errLineTooLong = errors.New("line too long")

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.tooLong {
		return 0, errLineTooLong
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.inLine = 0
			l.line++
			continue
		}
		l.inLine++
		if l.inLine > l.max {
			l.tooLong = true
			return i, nil
		}
	}
	return n, err
}

func newLineLimiter(r io.Reader) *lineLimiter {
	return &lineLimiter{r: bufio.NewReaderSize(r, 64<<10), max: maxLineBytes, line: 1}
}

type csvRows struct {
	r       *csv.Reader
	limit   *lineLimiter
	header  map[string]int // column name → position
	started bool
}

func newCSVRows(in io.Reader) *csvRows {
	limit := newLineLimiter(in)
	r := csv.NewReader(limit)
	r.ReuseRecord = true
	r.FieldsPerRecord = 0 // every row as long as the header
	return &csvRows{r: r, limit: limit}
}

func (c *csvRows) fail(err error) error {
	if c.limit.tooLong {
		return &Issue{Line: c.limit.line, Column: 1, Message: fmt.Sprintf("line longer than %d bytes; no field may be that long", maxLineBytes)}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = fmt.Sprintf("this row has a different number of fields than the header (%d)", len(c.header))
		}
		return &Issue{Line: pe.Line, Column: pe.Column, Message: msg}
	}
	return err
}

func (c *csvRows) next() (*rawRow, error) {
	if !c.started {
		c.started = true
		header, err := c.r.Read()
		if err == io.EOF {
			return nil, &Issue{Line: 1, Column: 1, Message: "the file is empty; expected a header row"}
		}
		if err != nil {
			return nil, c.fail(err)
		}
		names := make([]string, len(header))
		c.header = make(map[string]int, len(header))
		for i, h := range header {
			h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			line, col := c.r.FieldPos(i)
			if !utf8.ValidString(h) {
				return nil, &Issue{Line: line, Column: col, Message: "the header is not valid UTF-8"}
			}
			if err := checkColumn(h); err != nil {
				return nil, &Issue{Line: line, Column: col, Message: err.Error()}
			}
			if first, ok := c.header[h]; ok {
				// Which one would count? A second defendant_name, say, must not slip
				// past the redaction that uses the first.
				_, firstCol := c.r.FieldPos(first)
				return nil, &Issue{Line: line, Column: col, Message: fmt.Sprintf("column %q appears twice (also at column %d)", h, firstCol)}
			}
			names[i] = h
			c.header[h] = i
		}
		if err := checkRequired(names); err != nil {
			return nil, &Issue{Line: 1, Column: 1, Message: err.Error()}
		}
	}
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, c.fail(err)
	}
	line, _ := c.r.FieldPos(0)
	// The fields are substrings of one string per record (encoding/csv), not of a buffer
	// it reuses, so they are kept as they are.
	row := &rawRow{line: line, index: c.header, cells: make([]cell, len(rec))}
	for i, v := range rec {
		_, col := c.r.FieldPos(i)
		row.cells[i] = cell{value: v, column: col}
	}
	return row, nil
}

type ndjsonRows struct {
	s    *bufio.Scanner
	line int
}

func newNDJSONRows(in io.Reader) *ndjsonRows {
	s := bufio.NewScanner(in)
	s.Buffer(make([]byte, 64<<10), maxLineBytes)
	return &ndjsonRows{s: s}
}

func (n *ndjsonRows) next() (*rawRow, error) {
	for n.s.Scan() {
		n.line++
		line := n.s.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			return nil, &Issue{Line: n.line, Column: invalidUTF8Column(line), Message: "not valid UTF-8"}
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			col := 1
			var se *json.SyntaxError
			if errors.As(err, &se) {
				col = int(se.Offset)
			}
			return nil, &Issue{Line: n.line, Column: col, Message: "not a JSON object: " + err.Error()}
		}
		row := &rawRow{line: n.line, index: map[string]int{}}
		if err := n.flatten(row, string(line), "", obj); err != nil {
			return nil, err
		}
		return row, nil
	}
	if err := n.s.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Issue{Line: n.line + 1, Column: 1, Message: fmt.Sprintf("line longer than %d bytes; no field may be that long", maxLineBytes)}
		}
		return nil, err
	}
	return nil, io.EOF
}

// flatten turns {"appeal": {"status": "upheld"}} into the CSV column appeal_status, so both
// formats share one set of names.
func (n *ndjsonRows) flatten(row *rawRow, line, prefix string, obj map[string]json.RawMessage) error {
	for key, raw := range obj {
		name := prefix + key
		col := strings.Index(line, `"`+key+`"`) + 1
		if col < 1 {
			col = 1
		}
		if prefix == "" && (key == "appeal" || key == "cassation") {
			var nested map[string]json.RawMessage
			if string(raw) == "null" {
				continue
			}
			if err := json.Unmarshal(raw, &nested); err != nil {
				return &Issue{Line: row.line, Column: col, Message: key + " must be an object with filed_on, filed_by, status, decided_on, fine_amount"}
			}
			if err := n.flatten(row, line, key+"_", nested); err != nil {
				return err
			}
			continue
		}
		if err := checkColumn(name); err != nil {
			return &Issue{Line: row.line, Column: col, Message: err.Error()}
		}
		var value string
		switch {
		case string(raw) == "null":
		case len(raw) > 0 && raw[0] == '"':
			if err := json.Unmarshal(raw, &value); err != nil {
				return &Issue{Line: row.line, Column: col, Message: key + ": " + err.Error()}
			}
		case len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
			value = string(raw)
		default:
			return &Issue{Line: row.line, Column: col, Message: key + " must be a string or a number"}
		}
		if _, twice := row.index[name]; twice {
			return &Issue{Line: row.line, Column: col, Message: name + " is given twice"}
		}
		row.set(name, cell{value: value, column: col})
	}
	if prefix == "" {
		var present []string
		for name := range row.index {
			present = append(present, name)
		}
		if err := checkRequired(present); err != nil {
			return &Issue{Line: row.line, Column: 1, Message: err.Error()}
		}
	}
	return nil
}

func invalidUTF8Column(b []byte) int {
	col := 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return col
		}
		b = b[size:]
		col++
	}
	return col
}

func (i *Issue) Error() string { return i.String() }
