// Command enumgen writes the Go side of the API's enumerations and the portal's list of
// codes from their one source: the enum types of schema.graphqls (codes, their order and
// descriptions) and labels.csv (a Kazakh, Russian, English and Kyrgyz label for every code).
//
// It is run by `go generate ./...` (see internal/model/enums.go) and fails, writing
// nothing, when a code has no label, a label names no code, or the two sources otherwise
// disagree:
//
//	go run ./internal/enumgen -schema ../../schema.graphqls -labels labels.csv \
//		-go enums_gen.go -js ../../web/static/js/enums.js \
//		-unlabelled DetectionDimension,Interval -prefix FunnelStepKind=Funnel
//
// For every enum of the schema it writes a string type and one constant per code, named
// type + code in camel case (a code of one or two letters stays upper case: JurisdictionKZ);
// -prefix replaces the type in constant names. For every enum of labels.csv it also writes
// the vocabulary XVocabulary, in the order the enums first appear in labels.csv (the order
// of the API's vocabulary list). Enums listed in -unlabelled have no labels and no
// vocabulary. The portal's module enums.js exports ENUMS, the codes of every enum in schema
// order.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	var (
		schemaPath = flag.String("schema", "", "the GraphQL schema")
		labelsPath = flag.String("labels", "", "the labels, a CSV file with the columns enum,code,kk,ru,en,ky")
		goPath     = flag.String("go", "", "the Go file to write")
		jsPath     = flag.String("js", "", "the portal module to write, exporting ENUMS")
		unlabelled = flag.String("unlabelled", "", "comma-separated enums that have no labels")
		prefixes   = flag.String("prefix", "", "comma-separated Enum=Prefix: the prefix of the enum's constant names")
	)
	flag.Parse()
	if *schemaPath == "" || *labelsPath == "" || *goPath == "" || *jsPath == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*schemaPath, *labelsPath, *goPath, *jsPath, *unlabelled, *prefixes); err != nil {
		fmt.Fprintln(os.Stderr, "enumgen:", err)
		os.Exit(1)
	}
}

func run(schemaPath, labelsPath, goPath, jsPath, unlabelled, prefixes string) error {
	schemaSrc, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	labelsSrc, err := os.ReadFile(labelsPath)
	if err != nil {
		return err
	}
	opts := options{unlabelled: split(unlabelled), prefixes: map[string]string{}}
	for _, p := range split(prefixes) {
		enum, prefix, ok := strings.Cut(p, "=")
		if !ok || enum == "" || prefix == "" {
			return fmt.Errorf("-prefix %q: want Enum=Prefix", p)
		}
		opts.prefixes[enum] = prefix
	}
	enums, err := load(schemaPath, schemaSrc, labelsPath, labelsSrc, opts)
	if err != nil {
		return err
	}
	goSrc, err := goFile(enums, schemaPath, labelsPath, opts)
	if err != nil {
		return err
	}
	if err := writeIfChanged(goPath, goSrc); err != nil {
		return err
	}
	return writeIfChanged(jsPath, jsFile(enums, schemaPath))
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// writeIfChanged leaves an up-to-date file alone, so its modification time does not change.
func writeIfChanged(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(path, b, 0o644)
}

type options struct {
	unlabelled []string
	prefixes   map[string]string // enum -> prefix of its constant names
}

// enum is one enumeration of the schema with the labels of its codes.
type enum struct {
	name        string
	description string
	values      []value
	labelled    bool
	pos         int // offset of the declaration in the schema
}

type value struct {
	code        string
	description string
	labels      [len(langs)]string // kk, ru, en, ky
}

// langs are the label columns of labels.csv, in the order of model.Labels.
var langs = [...]string{"kk", "ru", "en", "ky"}

const labelsHeader = "enum,code,kk,ru,en,ky"

// load reads both sources and checks that they agree. It returns every enum of the schema:
// those of labels.csv first, in the order they appear there, then the others in schema order.
func load(schemaPath string, schemaSrc []byte, labelsPath string, labelsSrc []byte, opts options) ([]*enum, error) {
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: schemaPath, Input: string(schemaSrc)})
	if gerr != nil {
		return nil, gerr
	}
	var inSchema []*enum
	byName := map[string]*enum{}
	for _, def := range schema.Types {
		if def.Kind != ast.Enum || def.BuiltIn || strings.HasPrefix(def.Name, "__") {
			continue
		}
		e := &enum{name: def.Name, description: def.Description, pos: def.Position.Start}
		for _, v := range def.EnumValues {
			e.values = append(e.values, value{code: v.Name, description: v.Description})
		}
		inSchema = append(inSchema, e)
		byName[e.name] = e
	}
	// schema.Types is a map: put the enums back in the order the schema declares them.
	sortBy(inSchema, func(e *enum) int { return e.pos })

	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	unlabelled := map[string]bool{}
	for _, name := range opts.unlabelled {
		if byName[name] == nil {
			fail("-unlabelled %s: no such enum in the schema", name)
		}
		unlabelled[name] = true
	}
	for name := range opts.prefixes {
		if byName[name] == nil {
			fail("-prefix %s: no such enum in the schema", name)
		}
	}

	r := csv.NewReader(bytes.NewReader(labelsSrc))
	r.Comment = '#'
	r.FieldsPerRecord = 2 + len(langs)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", labelsPath, err)
	}
	if strings.Join(head, ",") != labelsHeader {
		return nil, fmt.Errorf("%s: the header is %q, want %s", labelsPath, strings.Join(head, ","), labelsHeader)
	}
	var labelled []*enum
	next := map[string]int{} // enum -> index of the code its next row must have
	var last string
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", labelsPath, err)
		}
		line, _ := r.FieldPos(0)
		at := fmt.Sprintf("%s:%d", labelsPath, line)
		name, code := row[0], row[1]
		e := byName[name]
		switch {
		case e == nil:
			fail("%s: %s is not an enum of the schema", at, name)
			continue
		case unlabelled[name]:
			fail("%s: %s is listed in -unlabelled but has labels", at, name)
			continue
		case name != last && e.labelled:
			fail("%s: the rows of %s are not together", at, name)
			continue
		}
		if !e.labelled {
			e.labelled = true
			labelled = append(labelled, e)
		}
		last = name
		i := index(e, code)
		switch {
		case i < 0:
			fail("%s: %s has no code %q", at, name, code)
			continue
		case i < next[name]:
			fail("%s: %s.%s is labelled twice or out of schema order", at, name, code)
			continue
		}
		for _, missed := range e.values[next[name]:i] {
			fail("%s: %s.%s has no labels (codes are listed in schema order)", at, name, missed.code)
		}
		next[name] = i + 1
		for l, label := range row[2:] {
			if strings.TrimSpace(label) == "" {
				fail("%s: %s.%s has no %s label", at, name, code, langs[l])
			}
			if strings.TrimSpace(label) != label {
				fail("%s: the %s label of %s.%s has leading or trailing space", at, langs[l], name, code)
			}
		}
		copy(e.values[i].labels[:], row[2:])
	}
	out := labelled
	for _, e := range inSchema {
		switch {
		case e.labelled:
			for _, missed := range e.values[next[e.name]:] {
				fail("%s: %s.%s has no labels", labelsPath, e.name, missed.code)
			}
		case !unlabelled[e.name]:
			fail("%s: enum %s has no labels (add them, or list the enum in -unlabelled)", labelsPath, e.name)
		default:
			out = append(out, e)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func index(e *enum, code string) int {
	for i, v := range e.values {
		if v.code == code {
			return i
		}
	}
	return -1
}

// sortBy is a stable insertion sort by key; the lists are short.
func sortBy(es []*enum, key func(*enum) int) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && key(es[j]) < key(es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// constName is the Go name of a code's constant: JurisdictionKZ, AgeBandFrom18To24.
func constName(prefix, code string) string {
	if len(code) <= 2 {
		return prefix + code
	}
	var b strings.Builder
	b.WriteString(prefix)
	for _, w := range strings.Split(code, "_") {
		if w == "" {
			continue
		}
		b.WriteString(w[:1])
		b.WriteString(strings.ToLower(w[1:]))
	}
	return b.String()
}

func goFile(enums []*enum, schemaPath, labelsPath string, opts options) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/enumgen from %s and %s; DO NOT EDIT.\n\n",
		slashBase(schemaPath), slashBase(labelsPath))
	b.WriteString("package model\n")
	for _, e := range enums {
		fmt.Fprintf(&b, "\n// %s is the GraphQL enumeration of the same name.\n", e.name)
		if e.description != "" {
			b.WriteString("//\n")
			comment(&b, "", e.description)
		}
		fmt.Fprintf(&b, "type %s string\n\nconst (\n", e.name)
		prefix := e.name
		if p, ok := opts.prefixes[e.name]; ok {
			prefix = p
		}
		for _, v := range e.values {
			comment(&b, "\t", v.description)
			fmt.Fprintf(&b, "\t%s %s = %s\n", constName(prefix, v.code), e.name, strconv.Quote(v.code))
		}
		b.WriteString(")\n")
		if !e.labelled {
			continue
		}
		fmt.Fprintf(&b, "\n// %sVocabulary lists the codes of %s with their labels.\n", e.name, e.name)
		fmt.Fprintf(&b, "var %sVocabulary = newVocabulary(%s,\n", e.name, strconv.Quote(e.name))
		for _, v := range e.values {
			labels := make([]string, len(v.labels))
			for i, l := range v.labels {
				labels[i] = strconv.Quote(l)
			}
			fmt.Fprintf(&b, "\tTerm{%s, Labels{%s}},\n", strconv.Quote(v.code), strings.Join(labels, ", "))
		}
		b.WriteString(")\n")
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the Go file: %w", err)
	}
	return src, nil
}

// slashBase names a source file in the generated header without the generator's working
// directory: "../../schema.graphqls" becomes "schema.graphqls".
func slashBase(p string) string {
	p = strings.ReplaceAll(p, "\\", "/")
	for strings.HasPrefix(p, "../") {
		p = p[3:]
	}
	return strings.TrimPrefix(p, "./")
}

// comment writes a schema description as Go comment lines.
func comment(b *bytes.Buffer, indent, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			fmt.Fprintf(b, "%s//\n", indent)
			continue
		}
		fmt.Fprintf(b, "%s// %s\n", indent, line)
	}
}

// jsFile is the portal's module of enumeration codes: ENUMS, the codes of every enum in
// schema order, one enum a line, as strict JSON (web_test.go reads it as such).
func jsFile(enums []*enum, schemaPath string) []byte {
	inSchemaOrder := append([]*enum(nil), enums...)
	sortBy(inSchemaOrder, func(e *enum) int { return e.pos })
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/enumgen from %s; DO NOT EDIT.\n", slashBase(schemaPath))
	b.WriteString(`//
// The codes of the schema's enumerations, used to check values read from a shared link and
// as a fallback when the API's vocabulary cannot be loaded. Labels always come from the API
// (vocabulary, categories, regions).

export const ENUMS = {
`)
	for i, e := range inSchemaOrder {
		codes := make([]string, len(e.values))
		for j, v := range e.values {
			codes[j] = strconv.Quote(v.code)
		}
		fmt.Fprintf(&b, "  %s: [%s]", strconv.Quote(e.name), strings.Join(codes, ", "))
		if i < len(inSchemaOrder)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("};\n")
	return b.Bytes()
}
