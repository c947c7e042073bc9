package graph

// gqlgen reads gqlgen.yml and writes paths relative to the module root; inorder then has the
// lists named in graph/internal/inorder marshalled in order (see marshalInOrder).
//go:generate sh -c "cd .. && go tool gqlgen generate"
//go:generate go run ./internal/inorder generated.go
