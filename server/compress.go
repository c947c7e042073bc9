package main

import (
	"net/http"

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
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.SuffixETag("-z"))
	if err != nil {
		panic(err) // the options are constants
	}
	return wrap(next)
}
