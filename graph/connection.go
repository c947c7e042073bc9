package graph

import (
	"github.com/casewatch/casewatch/graph/gqlmodel"
	"github.com/casewatch/casewatch/internal/model"
)

// CaseConnection is a page of cases. The total is counted only when a query asks for it.
type CaseConnection struct {
	Edges    []*CaseEdge
	PageInfo *gqlmodel.PageInfo
	filter   model.CaseFilter
}

// CaseEdge is a case of a page and its place in the list. Its cursor is sealed only when a
// query asks for it (sealing is a good part of a page's cost, and most pages are read
// without their edges' cursors).
type CaseEdge struct {
	Node    *model.Case
	key     model.CaseKey
	list    string
	cursors *cursorSealer
}

// Cursor is the edge's opaque cursor.
func (e *CaseEdge) Cursor() string {
	return e.cursors.seal(e.list, caseCursor{Period: e.key.Period, Rank: e.key.Rank, ID: e.key.ID})
}

// ReleaseConnection is a page of releases.
type ReleaseConnection struct {
	Edges    []*gqlmodel.ReleaseEdge
	PageInfo *gqlmodel.PageInfo
}

// Node is what Query.node returns: a *model.Case, *model.Region, *model.Article or
// *model.Release of the domain. The domain types need no marker method for it.
type Node any
