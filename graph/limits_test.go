package graph

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// hostileShape writes one family of adversarial documents; n sets their size.
type hostileShape struct {
	name  string
	write func(rng *rand.Rand, n int) (query string, vars map[string]any)
}

// hostileShapes are the arrangements that make validators and cost calculators work
// harder than the document is long: fragments that spread each other (chains, ladders,
// random DAGs, cycles), nesting, aliases, repeated names, directives, long variable lists
// and huge literals. The request-cost benchmark sends the same shapes to a real server.
var hostileShapes = []hostileShape{
	{"fragment ladder (each spreads the one below twice)", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString(`{ cases { edges { node { ...F0 } } } }`)
		fmt.Fprintf(&b, "\nfragment F%d on Case { reference }", n)
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "\nfragment F%d on Case { ...F%d ...F%d }", i, i+1, i+1)
		}
		return b.String(), nil
	}},
	{"fragment ladder over distinct fields", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString(`{ cases { edges { node { ...F0 } } } }`)
		fmt.Fprintf(&b, "\nfragment F%d on Case { reference }", n)
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "\nfragment F%d on Case { a%d: region { code } ...F%d b%d: article { code } ...F%d }", i, i, i+1, i, i+1)
		}
		return b.String(), nil
	}},
	{"random fragment DAG", func(rng *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		fmt.Fprintf(&b, "{ ...D%d }\nfragment D0 on Query { currentRelease { version } }", n-1)
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "\nfragment D%d on Query {", i)
			for range 1 + rng.IntN(4) {
				fmt.Fprintf(&b, " ...D%d", rng.IntN(i))
			}
			b.WriteString(" }")
		}
		return b.String(), nil
	}},
	{"fragment cycle", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString("{ ...C0 }")
		for i := range n {
			fmt.Fprintf(&b, "\nfragment C%d on Query { ...C%d ...C%d }", i, (i+1)%n, (i+2)%n)
		}
		return b.String(), nil
	}},
	{"unused fragments spreading one wide fragment", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString("{ __typename }\nfragment W on Query {")
		for i := range n {
			fmt.Fprintf(&b, " w%d: __typename", i)
		}
		b.WriteString(" }")
		for i := range n {
			fmt.Fprintf(&b, "\nfragment U%d on Query { ...W }", i)
		}
		return b.String(), nil
	}},
	{"deep nesting", func(_ *rand.Rand, n int) (string, map[string]any) {
		return "{ " + strings.Repeat("node(id: \"x\") { ... on Case { region { id ", n) + strings.Repeat("} } }", n) + " }", nil
	}},
	{"nested inline fragments", func(_ *rand.Rand, n int) (string, map[string]any) {
		return "{ " + strings.Repeat("... on Query { ", n) + "currentRelease { version }" + strings.Repeat(" }", n) + " }", nil
	}},
	{"aliases of one expensive field", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " s%d: statistics(groupBy: [REGION, CATEGORY], interval: MONTH) { total { count } }", i)
		}
		b.WriteString(" }")
		return b.String(), nil
	}},
	{"one field repeated under its own name", func(_ *rand.Rand, n int) (string, map[string]any) {
		return "{" + strings.Repeat(" currentRelease { version }", n) + " }", nil
	}},
	{"directives on every field", func(_ *rand.Rand, n int) (string, map[string]any) {
		return "{" + strings.Repeat(" currentRelease @include(if: true) @skip(if: false) { version @include(if: true) }", n) + " }", nil
	}},
	{"long variable list", func(_ *rand.Rand, n int) (string, map[string]any) {
		regions := make([]any, 40*n)
		for i := range regions {
			regions[i] = fmt.Sprintf("KZ-%d", i)
		}
		return `query($r: [String!]) { cases(filter: {regions: $r}) { totalCount } }`, map[string]any{"r": regions}
	}},
	{"many declared variables", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString("query(")
		for i := range n {
			fmt.Fprintf(&b, "$v%d: Int ", i)
		}
		b.WriteString(") { __typename }")
		return b.String(), nil
	}},
	{"huge literals", func(_ *rand.Rand, n int) (string, map[string]any) {
		return fmt.Sprintf(`{ cases(filter: {search: "%s", regions: [%s]}) { totalCount } }`,
			strings.Repeat("паводок ", 4*n), strings.Repeat(`"KZ-75", `, n)), nil
	}},
	{"pages of pages", func(_ *rand.Rand, n int) (string, map[string]any) {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " p%d: cases(first: 100) { totalCount edges { node { reference timeline { kind month label } appeals { status } } } }", i)
		}
		b.WriteString(" }")
		return b.String(), nil
	}},
}

// TestAnalyzeWorkIsLinear: whatever the arrangement, the nodes Analyze visits grow at
// most linearly with the document's length (plus the constant that its field limit
// allows), so deciding that a document is too expensive never costs more than reading it.
func TestAnalyzeWorkIsLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lim := DefaultLimits
	for _, shape := range hostileShapes {
		for _, n := range []int{1, 4, 16, 64, 256, 1024} {
			q, vars := shape.write(rng, n)
			doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 1<<30)
			if err != nil {
				continue // the parser refuses it (its own nesting limit): nothing to analyse
			}
			a, _ := Analyze(parsedSchema, doc, "", vars, lim)
			if bound := 4*len(q) + 2*lim.MaxFields; a.Visits > bound {
				t.Errorf("%s n=%d: %d visits for %d bytes (bound %d)", shape.name, n, a.Visits, len(q), bound)
			}
		}
	}
}

// TestAnalyzeWorkIsLinearForRandomDocuments generates documents at random from every
// construct of the language and holds them to the same bound.
func TestAnalyzeWorkIsLinearForRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		q := randomDocument(rng, 1+rng.IntN(60))
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 1<<30)
		if err != nil {
			t.Fatalf("document %d does not parse: %v\n%s", i, err, q)
		}
		a, _ := Analyze(parsedSchema, doc, "", nil, DefaultLimits)
		if bound := 4*len(q) + 2*DefaultLimits.MaxFields; a.Visits > bound {
			t.Fatalf("document %d: %d visits for %d bytes\n%s", i, a.Visits, len(q), q)
		}
	}
}

// randomDocument writes an operation and up to n fragments that spread each other in any
// arrangement (cycles included), with aliases, directives, inline fragments and nesting.
func randomDocument(rng *rand.Rand, n int) string {
	fields := []string{"__typename", "currentRelease { version }", "cases { totalCount }", "regions { code }",
		"statistics(groupBy:[REGION]) { total { count } }", "funnel { steps { count } }"}
	var sel func(depth int) string
	sel = func(depth int) string {
		var b strings.Builder
		for range 1 + rng.IntN(5) {
			switch rng.IntN(6) {
			case 0:
				fmt.Fprintf(&b, " ...R%d", rng.IntN(n))
			case 1:
				if depth < 4 {
					fmt.Fprintf(&b, " ... on Query {%s }", sel(depth+1))
				}
			case 2:
				fmt.Fprintf(&b, " a%d: %s", rng.IntN(50), fields[rng.IntN(len(fields))])
			case 3:
				name, rest, _ := strings.Cut(fields[rng.IntN(len(fields))], " ")
				fmt.Fprintf(&b, " %s @include(if: true) %s", name, rest)
			default:
				fmt.Fprintf(&b, " %s", fields[rng.IntN(len(fields))])
			}
		}
		b.WriteString(" __typename")
		return b.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "query {%s }", sel(0))
	for i := range n {
		fmt.Fprintf(&b, "\nfragment R%d on Query {%s }", i, sel(0))
	}
	return b.String()
}

// TestLimitsRefuseHostileDocuments: each hostile shape, at the size where it would cost
// real work, is refused with a code and a message that repeats nothing of the request.
func TestLimitsRefuseHostileDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, shape := range hostileShapes {
		q, vars := shape.write(rng, 512)
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 1<<30)
		if err != nil {
			t.Logf("%s: refused by the parser (%v)", shape.name, err)
			continue
		}
		_, gerr := Analyze(parsedSchema, doc, "", vars, DefaultLimits)
		if gerr == nil {
			// Some shapes are harmless at any size; what they cost is for the benchmark.
			t.Logf("%s: passes the limits at n=512 (%d bytes)", shape.name, len(q))
			continue
		}
		code := gerr.Extensions["code"]
		if code != CodeTooComplex && code != CodeBadUserInput {
			t.Errorf("%s: code %v", shape.name, code)
		}
		if strings.Contains(gerr.Message, "паводок") || strings.Contains(gerr.Message, "KZ-75") {
			t.Errorf("%s: the message repeats the request: %s", shape.name, gerr.Message)
		}
	}
}

// TestOrdinaryDocumentsPassTheLimits: what the portal, the README and a GraphQL explorer
// send is never refused.
func TestOrdinaryDocumentsPassTheLimits(t *testing.T) {
	docs := map[string]string{
		"introspection": introspectionQuery,
		"full page": `query($first: Int) { cases(first: $first) { totalCount edges { cursor node { reference reportedMonth jurisdiction category
			region { code name } article { code title } outcome { decision decidedMonth fine { amount currency indexUnits indexUnit indexYear } }
			appeals { level status filedMonth decidedMonth fine { amount } } timeline { kind month result label(lang: RU) }
			firstRelease { version synthetic } corrections { release { version } fields } } } pageInfo { hasNextPage endCursor } } }`,
		"statistics by region and year": `{ statistics(groupBy: [REGION], interval: YEAR) { suppressionThreshold total { count }
			buckets { key { dimension code label(lang: KK) } period count suppressed liable fined appealed appealsSucceeded
			fines { currency count total mean median p90 min max indexUnits { unit total mean median p90 min max } }
			medianDaysToDecision prosecutorRejectionRate expertNoOffenceRate repeatDefendants countPer100k } } }`,
		"overview": `{ currentRelease { version synthetic } funnel { steps { step count } }
			byConcern: statistics(groupBy: [CONCERN], interval: YEAR) { buckets { key { code } period count } }
			byKind: statistics(groupBy: [DEFENDANT_KIND]) { buckets { key { code } count fined } } }`,
	}
	for name, q := range docs {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a, gerr := Analyze(parsedSchema, doc, "", map[string]any{"first": 100}, DefaultLimits)
		if gerr != nil {
			t.Errorf("%s refused: %s", name, gerr.Message)
		}
		t.Logf("%s: cost %d, %d fields, depth %d", name, a.Cost, a.Fields, a.Depth)
	}
}

// introspectionQuery is what GraphQL explorers send first (graphql-js getIntrospectionQuery).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
