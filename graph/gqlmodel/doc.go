// Package gqlmodel holds the types gqlgen generates for what the schema has and the domain
// (internal/model) lacks: edges, page info, money, profiles. It is a package of its own so
// that internal/model keeps its name inside graph, with no alias.
package gqlmodel
