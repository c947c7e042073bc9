package graph

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/casewatch/casewatch/graph/graphtest"
)

// TestAnalyzeWorkIsLinear: whatever the arrangement, the nodes Analyze visits grow at
// most linearly with the document's length (plus the constant that its field limit
// allows), so deciding that a document is too expensive never costs more than reading it.
func TestAnalyzeWorkIsLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lim := DefaultLimits
	for _, shape := range graphtest.HostileShapes {
		for _, n := range []int{1, 4, 16, 64, 256, 1024} {
			q, vars := shape.Write(rng, n)
			doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, 1<<30)
			if err != nil {
				continue // the parser refuses it (its own nesting limit): nothing to analyse
			}
			a, _ := Analyze(parsedSchema, doc, "", vars, lim)
			if bound := 4*len(q) + 2*lim.MaxFields; a.Visits > bound {
				t.Errorf("%s n=%d: %d visits for %d bytes (bound %d)", shape.Name, n, a.Visits, len(q), bound)
			}
		}
	}
}

// TestAnalyzeWorkIsLinearForRandomDocuments generates documents at random from every
// construct of the language and holds them to the same bound.
func TestAnalyzeWorkIsLinearForRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		q := graphtest.RandomDocument(rng, 1+rng.IntN(60))
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

// harmlessShapes pass the limits at any size: what they cost is small and measured by the
// request-cost benchmark (inline fragments add no fields; unused variables and a long
// search are refused by validation and by the filter's own checks).
var harmlessShapes = map[string]bool{
	"nested inline fragments": true, "many declared variables": true, "huge literals": true,
}

// TestLimitsRefuseHostileDocuments: each hostile shape, at the size where it would cost
// real work, is refused — by the parser's own nesting limit or by Analyze — with a code and
// a message that repeats nothing of the request; only the shapes known to be harmless pass.
func TestLimitsRefuseHostileDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, shape := range graphtest.HostileShapes {
		q, vars := shape.Write(rng, 512)
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, DefaultLimits.MaxTokens)
		if err != nil {
			if harmlessShapes[shape.Name] {
				t.Errorf("%s: refused by the parser (%v), expected to pass", shape.Name, err)
			}
			continue // the parser refuses it: gqlgen answers BAD_USER_INPUT
		}
		_, gerr := Analyze(parsedSchema, doc, "", vars, DefaultLimits)
		if gerr == nil {
			if !harmlessShapes[shape.Name] {
				t.Errorf("%s: passes the limits at n=512 (%d bytes)", shape.Name, len(q))
			}
			continue
		}
		if harmlessShapes[shape.Name] {
			t.Errorf("%s: refused (%s), expected to pass", shape.Name, gerr.Message)
		}
		code := gerr.Extensions["code"]
		if code != CodeTooComplex && code != CodeBadUserInput {
			t.Errorf("%s: code %v", shape.Name, code)
		}
		if strings.Contains(gerr.Message, "паводок") || strings.Contains(gerr.Message, "KZ-75") {
			t.Errorf("%s: the message repeats the request: %s", shape.Name, gerr.Message)
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
