package graph

import (
	"github.com/casewatch/casewatch/graph/gqlmodel"
	"github.com/casewatch/casewatch/internal/model"
)

// CaseConnection is a page of cases. The total is counted only when a query asks for it.
type CaseConnection struct {
	Edges    []*gqlmodel.CaseEdge
	PageInfo *gqlmodel.PageInfo
	filter   model.CaseFilter
}

// ReleaseConnection is a page of releases.
type ReleaseConnection struct {
	Edges    []*gqlmodel.ReleaseEdge
	PageInfo *gqlmodel.PageInfo
}

// Node is what Query.node returns: a *model.Case, *model.Region, *model.Article or
// *model.Release of the domain. The domain types need no marker method for it.
type Node any
