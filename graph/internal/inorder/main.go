// Command inorder rewrites gqlgen's generated executor (graph/generated.go) so that the
// lists of the object types named below are marshalled in order, by graph.marshalInOrder,
// rather than one goroutine per element (gqlgen has no setting for it: see its issue
// #3202). It runs after gqlgen in `go generate` and fails when a named type has no list
// marshaler any more, so the list stays in step with the schema.
//
// A type belongs here only when resolving its fields never waits on anything of its own: its
// fields are in memory, or come from a loader that loads for the whole page at once. A list
// of releases, corrections or webhooks, whose resolvers wait on a loader or a store per
// element, stays concurrent.
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
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: inorder GENERATED_GO_FILE")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "inorder:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, name := range inOrder {
		// The list marshalers of a type: marshalN (non-null) and marshalO (nullable) of a
		// slice (ᚕ) of it, by value or by pointer (ᚖ).
		header := regexp.MustCompile(`(?m)^func \(ec \*executionContext\) marshal[NO]` + name + `2ᚕ[^(]*\(`)
		found := header.FindAllIndex(src, -1)
		if len(found) == 0 {
			return fmt.Errorf("%s: no list marshaler of %s", path, name)
		}
		for _, at := range found {
			body := src[at[1]:]
			end := bytes.Index(body, []byte("\n}\n"))
			if end < 0 {
				return fmt.Errorf("%s: the list marshaler of %s has no end", path, name)
			}
			i := bytes.Index(body[:end], []byte(concurrent))
			if i < 0 {
				if bytes.Contains(body[:end], []byte(sequential)) {
					continue // rewritten already
				}
				return fmt.Errorf("%s: the list marshaler of %s does not call %s", path, name, concurrent)
			}
			i += at[1]
			src = append(src[:i], append([]byte(sequential), src[i+len(concurrent):]...)...)
		}
	}
	return os.WriteFile(path, src, 0o644)
}
