package graph

import "context"

// Caller is who sent a request, as the HTTP layer established from its token.
type Caller struct {
	// Token is true when the request carried a bearer token, valid or not.
	Token bool
	// Name and Role are set for a valid, unrevoked token.
	Name string
	Role string
}

type callerKey struct{}

// WithCaller attaches the caller to a request's context.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

func callerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// requireEditor lets only a valid editor token through.
func requireEditor(ctx context.Context) (Caller, error) {
	c := callerFrom(ctx)
	switch {
	case !c.Token:
		return c, &clientError{code: CodeUnauthenticated, msg: "this needs an editor token: send Authorization: Bearer TOKEN"}
	case c.Name == "":
		return c, &clientError{code: CodeUnauthenticated, msg: "the token is not valid or has been revoked"}
	case c.Role != "editor":
		return c, &clientError{code: CodeForbidden, msg: "this token's role may not make changes"}
	}
	return c, nil
}
