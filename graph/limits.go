package graph

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Limits bound what one GraphQL request may ask for. They are checked by Analyze, before
// gqlparser validates the document and before anything runs, in time linear in the
// document's length: the standard validation rules and gqlgen's complexity walk expand
// every fragment spread they meet, so a small document of fragments that spread each other
// twice costs them exponential time. Analyze visits each fragment once, keeps what it found,
// and stops as soon as a limit is passed.
type Limits struct {
	// MaxTokens bounds the lexical tokens of a document (gqlgen's parser token limit).
	MaxTokens int
	// MaxDepth bounds the nesting of fields (fragments add none of their own).
	MaxDepth int
	// MaxFields bounds the fields of the operation with every fragment spread expanded.
	MaxFields int
	// MaxAliases bounds the aliased fields, expanded as MaxFields.
	MaxAliases int
	// MaxSameName bounds how often one response name occurs in one selection set, expanded:
	// validation compares every pair of fields of a name (OverlappingFieldsCanBeMerged).
	MaxSameName int
	// MaxDirectives bounds the directives written in the document.
	MaxDirectives int
	// MaxVariableValues bounds the JSON values (scalars, lists and objects) of the variables.
	MaxVariableValues int
	// MaxCost bounds the estimated work of an operation (see fieldCost).
	MaxCost int
}

// DefaultLimits fit every query the portal and the README's examples send, the explorer's
// introspection query included, with room to spare; the cost budget is calibrated so that
// the most expensive document it admits runs in well under 50 ms of CPU on the
// 50,000-case demo dataset (BenchmarkHostileDocuments).
var DefaultLimits = Limits{
	MaxTokens:         15000,
	MaxDepth:          15,
	MaxFields:         1000,
	MaxAliases:        100,
	MaxSameName:       20,
	MaxDirectives:     100,
	MaxVariableValues: 1000,
	MaxCost:           MaxComplexity,
}

// Analysis is what Analyze found out about one operation.
type Analysis struct {
	Cost, Fields, Aliases, Depth, Directives int
	// Visits counts the AST nodes looked at: linear in the document's length.
	Visits int
}

// Analyze measures the operation named operationName (or the document's only one) of doc
// against schema and lim, with the request's raw variables, and every fragment of the
// document besides. It returns the first limit passed as a *gqlerror.Error with its code.
func Analyze(schema *ast.Schema, doc *ast.QueryDocument, operationName string, vars map[string]any, lim Limits) (Analysis, *gqlerror.Error) {
	a := &analyzer{schema: schema, doc: doc, vars: vars, lim: lim, frags: map[string]*selectionInfo{}}
	if n := countJSONValues(vars, lim.MaxVariableValues+1); n > lim.MaxVariableValues {
		a.fail(CodeBadUserInput, "the variables hold more than %d values", lim.MaxVariableValues)
	}
	var res Analysis
	if op := doc.Operations.ForName(operationName); op != nil && a.err == nil {
		a.directives(op.Directives)
		root := a.rootType(op.Operation)
		info := a.selectionSet(op.SelectionSet, root, 0)
		res.Cost, res.Fields, res.Aliases, res.Depth = info.cost, info.fields, info.aliases, info.depth
	}
	// Fragments no operation uses are still read by validation: bound them too.
	for _, f := range doc.Fragments {
		if a.err != nil {
			break
		}
		a.fragment(f.Name)
	}
	res.Directives, res.Visits = a.directiveCount, a.visits
	if a.err != nil {
		return res, a.err
	}
	return res, nil
}

// selectionInfo sums a selection set with its fragments expanded.
type selectionInfo struct {
	cost, fields, aliases, depth int
	// perItem is the cost of a connection's edges, which the connection multiplies by the
	// page size it was asked for.
	perItem int
	// names counts each response name at this level, through fragments and inline fragments.
	names map[string]int
	done  bool // false while the fragment is being analysed: meeting it again is a cycle
}

type analyzer struct {
	schema         *ast.Schema
	doc            *ast.QueryDocument
	vars           map[string]any
	lim            Limits
	frags          map[string]*selectionInfo
	visits         int
	merged         int // response names merged into selection sets
	directiveCount int
	err            *gqlerror.Error
}

func (a *analyzer) fail(code, format string, args ...any) {
	if a.err != nil {
		return
	}
	a.err = gqlerror.Errorf(format, args...)
	errcode.Set(a.err, code)
}

func (a *analyzer) rootType(op ast.Operation) *ast.Definition {
	switch op {
	case ast.Mutation:
		return a.schema.Mutation
	case ast.Subscription:
		return a.schema.Subscription
	}
	return a.schema.Query
}

func (a *analyzer) directives(ds ast.DirectiveList) {
	a.visits += len(ds)
	a.directiveCount += len(ds)
	if a.directiveCount > a.lim.MaxDirectives {
		a.fail(CodeTooComplex, "the document has more than %d directives", a.lim.MaxDirectives)
	}
	for _, d := range ds {
		// Incremental delivery needs a transport this server does not offer: over its GET
		// and POST a deferred field would come back null, its payload dropped. The
		// executor relies on this refusal (see undeferred).
		if d.Name == "defer" || d.Name == "stream" {
			a.fail(CodeBadUserInput, "@%s is not supported: every answer comes whole; ask without it", d.Name)
		}
	}
}

// selectionSet analyses set on parent (nil when unknown: validation will say why) at
// nesting depth.
func (a *analyzer) selectionSet(set ast.SelectionSet, parent *ast.Definition, depth int) *selectionInfo {
	info := &selectionInfo{}
	if depth > a.lim.MaxDepth {
		a.fail(CodeTooComplex, "the operation is nested more than %d fields deep", a.lim.MaxDepth)
		return info
	}
	for _, sel := range set {
		if a.err != nil {
			return info
		}
		a.visits++
		switch s := sel.(type) {
		case *ast.Field:
			a.directives(s.Directives)
			a.visits += len(s.Arguments)
			def, childType := a.fieldDefinition(parent, s.Name)
			child := a.selectionSet(s.SelectionSet, childType, depth+1)
			cost := a.fieldCost(parent, def, s, child)
			var perItem int
			if isPageItems(parent, def) {
				cost, perItem = 0, cost
			}
			a.add(info, &selectionInfo{
				cost:    cost,
				perItem: perItem,
				fields:  1 + child.fields,
				aliases: boolInt(s.Alias != "" && s.Alias != s.Name) + child.aliases,
				depth:   1 + child.depth,
				names:   map[string]int{responseName(s): 1},
			})
		case *ast.InlineFragment:
			a.directives(s.Directives)
			t := parent
			if s.TypeCondition != "" {
				t = a.schema.Types[s.TypeCondition]
			}
			a.add(info, a.selectionSet(s.SelectionSet, t, depth))
		case *ast.FragmentSpread:
			a.directives(s.Directives)
			if f := a.fragment(s.Name); f != nil {
				a.add(info, f)
			}
		}
		a.check(info)
	}
	return info
}

// fragment analyses the named fragment once and returns what it found every later time.
func (a *analyzer) fragment(name string) *selectionInfo {
	if f, seen := a.frags[name]; seen {
		if !f.done {
			a.fail(CodeBadUserInput, "fragment %q spreads itself", name)
			return nil
		}
		return f
	}
	def := a.doc.Fragments.ForName(name)
	if def == nil {
		return nil // validation reports it
	}
	a.frags[name] = &selectionInfo{}
	a.directives(def.Directives)
	f := a.selectionSet(def.SelectionSet, a.schema.Types[def.TypeCondition], 0)
	f.done = true
	a.frags[name] = f
	return f
}

// add merges o into s, saturating so that no sum overflows, and counts the response names
// it merges: each set's names are merged once (fragments are analysed once), so the names
// merged in a whole document are at most its fields, expanded; past twice MaxFields the
// document is refused before the merging itself could grow.
func (a *analyzer) add(s, o *selectionInfo) {
	s.cost = satAdd(s.cost, o.cost)
	s.perItem = satAdd(s.perItem, o.perItem)
	s.fields = satAdd(s.fields, o.fields)
	s.aliases = satAdd(s.aliases, o.aliases)
	s.depth = max(s.depth, o.depth)
	if s.names == nil {
		s.names = make(map[string]int, len(o.names))
	}
	a.visits += len(o.names)
	a.merged += len(o.names)
	if a.merged > 2*a.lim.MaxFields {
		a.fail(CodeTooComplex, "the document asks for more than %d fields", a.lim.MaxFields)
		return
	}
	for n, c := range o.names {
		s.names[n] = satAdd(s.names[n], c)
		if s.names[n] > a.lim.MaxSameName {
			a.fail(CodeTooComplex, "the field %q is asked for more than %d times in one selection", truncate(n, 40), a.lim.MaxSameName)
			return
		}
	}
}

func (a *analyzer) check(s *selectionInfo) {
	switch {
	case s.cost > a.lim.MaxCost:
		a.fail(CodeTooComplex, "operation has complexity of more than %d, the limit: ask for fewer items or fields, or split the query", a.lim.MaxCost)
	case s.fields > a.lim.MaxFields:
		a.fail(CodeTooComplex, "the operation asks for more than %d fields", a.lim.MaxFields)
	case s.aliases > a.lim.MaxAliases:
		a.fail(CodeTooComplex, "the operation has more than %d aliases", a.lim.MaxAliases)
	case s.depth > a.lim.MaxDepth:
		a.fail(CodeTooComplex, "the operation is nested more than %d fields deep", a.lim.MaxDepth)
	}
}

// fieldDefinition finds the field name of parent and the type its selection applies to.
func (a *analyzer) fieldDefinition(parent *ast.Definition, name string) (*ast.FieldDefinition, *ast.Definition) {
	if parent == nil {
		return nil, nil
	}
	def := parent.Fields.ForName(name)
	if def == nil {
		switch name {
		case "__schema":
			return nil, a.schema.Types["__Schema"]
		case "__type":
			return nil, a.schema.Types["__Type"]
		}
		return nil, nil
	}
	return def, a.schema.Types[def.Type.Name()]
}

func responseName(f *ast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// argument returns the value of the argument name of f as the request gave it, with
// variables replaced by their raw JSON values; nil when absent.
func (a *analyzer) argument(f *ast.Field, name string) any {
	arg := f.Arguments.ForName(name)
	if arg == nil {
		return nil
	}
	return a.value(arg.Value, 0)
}

func (a *analyzer) value(v *ast.Value, depth int) any {
	if v == nil || depth > 4 {
		return nil
	}
	switch v.Kind {
	case ast.Variable:
		return a.vars[v.Raw]
	case ast.IntValue:
		n, err := strconv.Atoi(v.Raw)
		if err != nil {
			return nil
		}
		return n
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return v.Raw
	case ast.ListValue:
		out := make([]any, 0, len(v.Children))
		for _, c := range v.Children {
			out = append(out, a.value(c.Value, depth+1))
		}
		return out
	case ast.ObjectValue:
		out := make(map[string]any, len(v.Children))
		for _, c := range v.Children {
			out[c.Name] = a.value(c.Value, depth+1)
		}
		return out
	}
	return nil
}

// countJSONValues counts the values of v, stopping at limit.
func countJSONValues(v any, limit int) int {
	n := 0
	var walk func(any)
	walk = func(v any) {
		if n >= limit {
			return
		}
		n++
		switch v := v.(type) {
		case map[string]any:
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	if m, ok := v.(map[string]any); ok {
		for _, c := range m {
			walk(c)
		}
	}
	return n
}

func satAdd(a, b int) int {
	const ceiling = 1 << 40
	return min(a+b, ceiling)
}

func satMul(a, b int) int {
	const ceiling = 1 << 40
	if a == 0 || b == 0 {
		return 0
	}
	if a > ceiling/b {
		return ceiling
	}
	return min(a*b, ceiling)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// asInt reads an Int argument as given in the document or in JSON variables.
func asInt(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case float64:
		if v >= -1<<31 && v <= 1<<31 && v == float64(int(v)) {
			return int(v), true
		}
	case json.Number:
		n, err := strconv.Atoi(string(v))
		return n, err == nil
	case int64:
		return int(v), true
	}
	return 0, false
}

// limitsExtension runs Analyze on every operation before gqlgen parses and validates it,
// and records the cost where gqlgen's complexity extension would (extension.GetComplexityStats).
type limitsExtension struct {
	lim    Limits
	schema *ast.Schema
	// parsed is gqlgen's query cache: documents it parsed and validated before, which
	// need not be parsed again here (their analysis still runs: it depends on variables).
	parsed graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*limitsExtension)(nil)

// complexityStatsKey is where gqlgen's complexity extension keeps its figures; readers use
// extension.GetComplexityStats.
const complexityStatsKey = "ComplexityLimit"

func (e *limitsExtension) ExtensionName() string { return "RequestLimits" }

func (e *limitsExtension) Validate(es graphql.ExecutableSchema) error {
	e.schema = es.Schema()
	return nil
}

// MutateOperationParameters runs after the persisted-query extension has put the document
// in place, and before gqlgen parses it.
func (e *limitsExtension) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	doc, known := e.parsed.Get(ctx, p.Query)
	if !known {
		var err error
		doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, e.lim.MaxTokens)
		if err != nil {
			// gqlgen parses the same text next and reports the syntax error with its position.
			return nil
		}
	}
	a, gerr := Analyze(e.schema, doc, p.OperationName, p.Variables, e.lim)
	if gerr != nil {
		return gerr
	}
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		oc.Stats.SetExtension(complexityStatsKey, &extension.ComplexityStats{Complexity: a.Cost, ComplexityLimit: e.lim.MaxCost})
	}
	return nil
}
