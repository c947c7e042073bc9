package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// The cost of a field estimates the CPU time of answering it, in units of about a tenth of a
// microsecond on the reference machine (2 cores) with the 50,000-case demo dataset: a field
// written into the answer costs 1, a list what one item asks times the items it may hold,
// and the questions that read the whole fact table or the database cost what such a pass
// was measured to take (BenchmarkRequestCost shows the figures side by side). On larger
// datasets passes take longer, and the execution deadline grows with them.
const (
	// MaxComplexity bounds the cost of one operation: about 40 ms on the demo. A full page
	// of 100 cases with every field fits, as does a statistics table of every figure by
	// region and year; nesting pages of pages, or a dozen statistics in one document, do not.
	MaxComplexity = 250_000

	// CostUnitsPerPoint converts a cost into rate-limit points: a point is about 0.1 ms of
	// CPU, what a cached answer costs (1 point); the most expensive operation is 250.
	CostUnitsPerPoint = 1000

	costCaseRow    = 300     // one case read from the database (by id, reference or in a page)
	costCaseObject = 20      // an object of a case: a region, article, appeal list, timeline…
	costList       = 500     // a case or release list: the page's ids from the fact table
	costCount      = 2_500   // totalCount: a pass over the matching facts
	costStatistics = 25_000  // one statistics question: a pass over the fact table
	costFunnel     = 40_000  // the funnel: a pass, and the detection steps
	costDetections = 40_000  // detection counts
	costSearch     = 150_000 // a search not asked before: a read of the summaries' token list (stats/words.go)
	// costIntrospection: the schema's hundred-odd types, whatever the selection lists.
	costIntrospection = 20_000

	// A statistics bucket costs bucketOverhead, and each of its fields bucketWeight times a
	// field elsewhere: its figures are computed, protected and formatted as it is written.
	bucketOverhead = 300
	bucketWeight   = 2

	// defaultListItems prices a list field of objects not named in listItems.
	defaultListItems = 10
	// estimatedYears of data a statistics interval splits into periods.
	estimatedYears = 8
	// estimatedBucketsCap caps the estimate made before running: most groupings have far
	// fewer non-empty buckets than codes. The real count is priced once known (answerTooLarge).
	estimatedBucketsCap = 50
)

// listItems is how many items the fixed lists hold at most, or about.
var listItems = map[string]int{
	"Query.regions":               40,
	"Query.articles":              40,
	"Query.categories":            12,
	"Query.vocabulary":            30,
	"Query.indexUnits":            20,
	"Query.officialFigures":       30,
	"Query.populations":           100,
	"Region.populations":          4,
	"Vocabulary.terms":            20,
	"Case.appeals":                2,
	"Case.timeline":               10,
	"Case.corrections":            4,
	"Funnel.steps":                12,
	"StatBucket.key":              3,
	"StatBucket.fines":            2,
	"DetectionBucket.key":         3,
	"CaseConnection.edges":        1, // priced by first at the list itself
	"ReleaseConnection.edges":     1,
	"Release.sources":             10,
	"ImportResult.errors":         100,
	"ImportResult.warnings":       100,
	"Statistics.buckets":          1, // priced by the grouping at statistics itself
	"DetectionStatistics.buckets": 1,
}

// dimensionValues is about how many codes a dimension groups by (with NONE).
var dimensionValues = map[string]int{
	"JURISDICTION": 2, "REGION": 32, "CATEGORY": 11, "CONCERN": 5, "PLATFORM": 11,
	"ARTICLE": 30, "LIABILITY": 4, "DEFENDANT_KIND": 9, "STAGE": 10, "DECISION": 6,
	"SANCTION": 8, "APPEAL_STATUS": 7, "ACTION": 6,
}

// fieldCost prices the field f of parent, whose selection costs child.
func (a *analyzer) fieldCost(parent *ast.Definition, def *ast.FieldDefinition, f *ast.Field, sel *selectionInfo) int {
	child := sel.cost
	if f.Name == "__schema" {
		return satAdd(costIntrospection, child)
	}
	if parent == nil || def == nil {
		return satAdd(1, child) // unknown to the schema: validation decides
	}
	name := parent.Name + "." + def.Name
	search := 0
	if filter, ok := a.argument(f, "filter").(map[string]any); ok && filter["search"] != nil {
		search = costSearch
	}
	switch name {
	case "Query.case", "Query.node", "CaseEdge.node":
		return satAdd(costCaseRow, child)
	case "Query.cases":
		return satAdd(costList+search+child, satMul(sel.perItem, pageSizeArg(a.argument(f, "first"))))
	case "Query.releases":
		return satAdd(costList+child, satMul(sel.perItem, pageSizeArg(a.argument(f, "first"))))
	case "CaseConnection.totalCount", "ReleaseConnection.totalCount":
		return costCount
	case "Query.currentRelease", "Query.articles":
		return satAdd(costCaseRow, child) // a statement each
	case "Query.statistics":
		return satAdd(costStatistics+search, bucketsCost(a.estimatedBuckets(f), child))
	case "Query.detections":
		return satAdd(costDetections, bucketsCost(a.estimatedBuckets(f), child))
	case "Query.funnel":
		return satAdd(costFunnel+search, child)
	}
	if parent.Name == "Case" && child > 0 {
		child = satAdd(child, costCaseObject)
	}
	if def.Type.Elem != nil && child > 0 {
		n, ok := listItems[name]
		if !ok {
			n = defaultListItems
		}
		return satAdd(1, satMul(child, n))
	}
	return satAdd(1, child)
}

// estimatedBuckets is about how many buckets a statistics or detections question groups
// into: the product of its dimensions' codes, times the periods of its interval, at most
// the engine's bucket cap.
func (a *analyzer) estimatedBuckets(f *ast.Field) int {
	n := 1
	dims, _ := a.argument(f, "groupBy").([]any)
	for _, d := range dims {
		code, _ := d.(string)
		v, ok := dimensionValues[code]
		if !ok {
			v = 32
		}
		n = satMul(n, v)
	}
	switch interval, _ := a.argument(f, "interval").(string); interval {
	case "YEAR":
		n = satMul(n, estimatedYears)
	case "QUARTER":
		n = satMul(n, 4*estimatedYears)
	case "MONTH":
		n = satMul(n, 12*estimatedYears)
	}
	return min(n, estimatedBucketsCap)
}

// bucketsCost is the cost of n buckets whose selection costs each.
func bucketsCost(n, each int) int {
	return satMul(n, satAdd(bucketOverhead, satMul(bucketWeight, each)))
}

// answerTooLarge refuses a list answer of items entries once its length is known, when
// items times what the field's selection asks for each one passes the budget.
func answerTooLarge(ctx context.Context, items int) error {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil
	}
	lim := DefaultLimits
	lim.MaxCost, lim.MaxFields, lim.MaxAliases, lim.MaxSameName = 1<<40, 1<<40, 1<<40, 1<<40
	a := &analyzer{schema: parsedSchema, doc: oc.Doc, vars: oc.Variables, lim: lim, frags: map[string]*selectionInfo{}}
	each := a.selectionSet(fc.Field.Selections, parsedSchema.Types[fc.Field.Definition.Type.Name()], 0).cost
	if cost := bucketsCost(items, each); cost > MaxComplexity {
		return &clientError{code: CodeTooComplex, msg: fmt.Sprintf(
			// Not how many: the number of buckets a filter fills is a figure of the data.
			"the answer's buckets would cost more than the limit of %d: ask for fewer fields, fewer dimensions or a longer interval",
			MaxComplexity)}
	}
	return nil
}

func pageSizeArg(v any) int {
	n, ok := asInt(v)
	if !ok {
		return defaultPageSize
	}
	return pageSize(&n)
}

// isPageItems tells the edges of a connection, whose cost the connection multiplies by
// the page size asked for.
func isPageItems(parent *ast.Definition, def *ast.FieldDefinition) bool {
	return parent != nil && def != nil && def.Name == "edges" && strings.HasSuffix(parent.Name, "Connection")
}
