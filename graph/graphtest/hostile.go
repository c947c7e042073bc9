// Package graphtest writes GraphQL documents for tests and benchmarks of the API's limits:
// hostile shapes that make validators and cost calculators work harder than a document is
// long, and random documents from every construct of the language.
package graphtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// HostileShape writes one family of adversarial documents; n sets their size.
type HostileShape struct {
	Name  string
	Write func(rng *rand.Rand, n int) (query string, vars map[string]any)
}

// HostileShapes are the arrangements that make validators and cost calculators work
// harder than the document is long: fragments that spread each other (chains, ladders,
// random DAGs, cycles), nesting, aliases, repeated names, directives, long variable lists
// and huge literals. The request-cost benchmark sends the same shapes to a real server.
var HostileShapes = []HostileShape{
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

// RandomDocument writes an operation and up to n fragments that spread each other in any
// arrangement (cycles included), with aliases, directives, inline fragments and nesting.
func RandomDocument(rng *rand.Rand, n int) string {
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
