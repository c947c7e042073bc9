package main

import (
	"net/http"

	"github.com/casewatch/casewatch/graph"
)

// authenticate reads a bearer token and tells the GraphQL layer who is calling. A request
// without a token is public; one with an unknown or revoked token is served as public too,
// and only what needs a token refuses it (UNAUTHENTICATED). The rate limiter, in front,
// has looked the token up already when limits are on.
func (a *app) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := a.caller(r)
		if err != nil {
			a.log.Error("token lookup", "err", err)
			http.Error(w, "internal error; it has been logged", http.StatusInternalServerError)
			return
		}
		if !caller.Token {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), caller)))
	})
}
