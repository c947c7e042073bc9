package main

import (
	"net/http"
	"strings"
	"time"

	"github.com/rs/cors"
)

// Timeouts against slow clients. A request's headers must arrive within
// readHeaderTimeout and its body within readTimeout; an answer must be written within
// writeTimeout, except exports, which extend their own deadline as they stream
// (streamWindow at a time, so a client that stops reading is still let go), and an
// editor's upload (graph.UploadTimeout).
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	streamWindow      = 30 * time.Second
)

// publicCORS lets pages of any origin read the public API and the exports: GET and POST
// without credentials. Authorization is not an allowed header, so a browser never sends a
// token across origins; the answers other origins may read are the public ones.
func publicCORS() func(http.Handler) http.Handler {
	c := cors.New(cors.Options{
		AllowedOrigins: []string{"*"},
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Accept", "If-None-Match"},
		ExposedHeaders: []string{"ETag", "X-Cache", "Retry-After", "X-Request-Id",
			"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
			"Content-Disposition", "Link", "X-Casewatch-Release", "X-Casewatch-Licence"},
		AllowCredentials: false,
		MaxAge:           600,
	})
	return func(next http.Handler) http.Handler {
		public := c.Handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "" {
				next.ServeHTTP(w, r) // never readable from another origin
				return
			}
			public.ServeHTTP(w, r)
		})
	}
}

// securityHeaders sets what every answer carries. Answers are data, never to be run or
// framed; the portal's pages replace the Content-Security-Policy with their own strict one
// (web.Handler), and only what is made to be embedded may be framed.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if !strings.HasPrefix(r.URL.Path, "/embed/") {
			h.Set("X-Frame-Options", "DENY")
		}
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// streaming lets a handler that streams a long answer (an export) outlive the server's
// write timeout: the write deadline moves streamWindow ahead at every write. (An editor's
// upload extends its own read deadline once its token is known: graph.UploadTimeout.)
func streaming(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&deadlineWriter{ResponseWriter: w, rc: http.NewResponseController(w)}, r)
	})
}

// deadlineWriter moves the connection's write deadline ahead before each write.
type deadlineWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	last time.Time
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	// Moving it once a second is enough, and keeps the cost off small writes.
	if now := time.Now(); now.Sub(w.last) > time.Second {
		w.last = now
		_ = w.rc.SetWriteDeadline(now.Add(streamWindow))
	}
	return w.ResponseWriter.Write(p)
}

func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
