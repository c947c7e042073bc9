package graph

// gqlgen reads gqlgen.yml and writes paths relative to the module root.
//go:generate sh -c "cd .. && go tool gqlgen generate"
