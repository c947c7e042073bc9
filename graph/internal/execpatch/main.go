// Command execpatch rewrites gqlgen's generated executor (graph/generated.go) in the two
// places where gqlgen has no setting for what casewatch needs. It runs after gqlgen in
// `go generate`, and fails when the code it rewrites is no longer there, so that a gqlgen
// upgrade cannot silently undo it:
//
//   - The lists of the object types named in inOrder are marshalled in order, by
//     graph.marshalInOrder, rather than one goroutine per element (gqlgen's issue #3202). A
//     type belongs there only when resolving its fields never waits on anything of its own:
//     its fields are in memory, or come from a loader that loads for the whole page at once.
//     A list of releases, corrections or webhooks, whose resolvers wait on a loader or a
//     store per element, stays concurrent.
//   - Every object starts its fields with graph.undeferred instead of
//     graphql.NewDeferredGroup, which works out the object's path and makes a map for
//     @defer on every object of every answer. This server refuses @defer (Analyze), so no
//     field is ever deferred.
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
)

// inOrder are the GraphQL object types whose lists are marshalled in order.
var inOrder = []string{
	"CaseEdge", "Appeal", "CaseEvent", "Region", "Category", "Article",
	"StatBucket", "FineStats", "DimensionValue", "DetectionBucket", "DetectionDimensionValue",
	"FunnelStep", "PerturbationRow", "PerturbationOutcome",
	"OfficialFigure", "Population", "IndexUnit", "Vocabulary", "Term",
	"ImportIssue", "RegionNameMatch", "DumpFile",
}

const (
	concurrent = "graphql.MarshalSliceConcurrently("
	sequential = "marshalInOrder("

	deferredGroup   = "deferred := graphql.NewDeferredGroup(ctx)"
	undeferredGroup = "deferred := undeferred(ctx)"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: execpatch GENERATED_GO_FILE")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "execpatch:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if src, err = listsInOrder(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if src, err = withoutDeferral(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

// listsInOrder has the list marshalers of the inOrder types call marshalInOrder.
func listsInOrder(src []byte) ([]byte, error) {
	for _, name := range inOrder {
		// The list marshalers of a type: marshalN (non-null) and marshalO (nullable) of a
		// slice (ᚕ) of it, by value or by pointer (ᚖ).
		header := regexp.MustCompile(`(?m)^func \(ec \*executionContext\) marshal[NO]` + name + `2ᚕ[^(]*\(`)
		found := header.FindAllIndex(src, -1)
		if len(found) == 0 {
			return nil, fmt.Errorf("no list marshaler of %s", name)
		}
		for _, at := range found {
			body := src[at[1]:]
			end := bytes.Index(body, []byte("\n}\n"))
			if end < 0 {
				return nil, fmt.Errorf("the list marshaler of %s has no end", name)
			}
			i := bytes.Index(body[:end], []byte(concurrent))
			if i < 0 {
				if bytes.Contains(body[:end], []byte(sequential)) {
					continue // rewritten already
				}
				return nil, fmt.Errorf("the list marshaler of %s does not call %s", name, concurrent)
			}
			i += at[1]
			src = append(src[:i], append([]byte(sequential), src[i+len(concurrent):]...)...)
		}
	}
	return src, nil
}

// withoutDeferral has every object marshaler start with undeferred.
func withoutDeferral(src []byte) ([]byte, error) {
	n := bytes.Count(src, []byte(deferredGroup))
	if n == 0 && !bytes.Contains(src, []byte(undeferredGroup)) {
		return nil, fmt.Errorf("no object marshaler makes its group with %q", deferredGroup)
	}
	return bytes.ReplaceAll(src, []byte(deferredGroup), []byte(undeferredGroup)), nil
}
