package main

import (
	"errors"
	"net/http"
	"strings"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/store"
)

// authenticate reads a bearer token and tells the GraphQL layer who is calling. A request
// without a token is public; one with an unknown or revoked token is served as public too,
// and only what needs a token refuses it (UNAUTHENTICATED).
func (a *app) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		caller := graph.Caller{Token: true}
		if token, ok := strings.CutPrefix(h, "Bearer "); ok {
			t, err := a.store.ActiveToken(r.Context(), hashToken(strings.TrimSpace(token)))
			switch {
			case err == nil:
				caller.Name, caller.Role = t.Name, t.Role
			case !errors.Is(err, store.ErrNotFound):
				a.log.Error("token lookup", "err", err)
				http.Error(w, "internal error; it has been logged", http.StatusInternalServerError)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), caller)))
	})
}
