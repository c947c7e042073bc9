package graph

// gqlgen reads gqlgen.yml and writes paths relative to the module root; execpatch then
// rewrites what gqlgen has no setting for (see graph/internal/execpatch).
//go:generate sh -c "cd .. && go tool gqlgen generate"
//go:generate go run ./internal/execpatch generated.go
