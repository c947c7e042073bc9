package main

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressed answers with zstd or gzip when the client accepts it (gzhttp): the portal's
// script shrinks about fourfold, a statistics answer five- to tenfold, which is what a
// phone on a slow connection waits for. Answers under 1 KB go as they are. A compressed
// answer's ETag gets a suffix, as RFC 9110 asks (it is other bytes than the plain one);
// streaming answers (exports) are compressed as they are written and flushed.
//
// The answers hold no secret next to what a visitor sends (tokens travel in headers and
// are never echoed), so compression gives away nothing (no BREACH-style guessing).
func compressed(next http.Handler) http.Handler {
	// The ETag of a compressed answer ends in -gzip or -zstd.
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.SuffixETag("-gzip"))
	if err != nil {
		panic(err) // the options are constants
	}
	// A client revalidating a compressed answer sends its suffixed ETag back: the handler
	// knows its ETags without the suffix, so the suffix is taken off, and a 304 still
	// comes.
	return wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inm := r.Header.Get("If-None-Match"); strings.Contains(inm, `-gzip"`) || strings.Contains(inm, `-zstd"`) {
			r = r.Clone(r.Context())
			r.Header.Set("If-None-Match", strings.NewReplacer(`-gzip"`, `"`, `-zstd"`, `"`).Replace(inm))
		}
		next.ServeHTTP(w, r)
	}))
}
