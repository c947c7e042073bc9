package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/errcode"
)

// MaxRequestBytes bounds a JSON request body and a GET request's query string. Uploads
// (multipart, with an editor's token) have MaxUploadBytes, and UploadTimeout to arrive.
const MaxRequestBytes = 1 << 20

// UploadTimeout is how long an editor's import may take to arrive; every other request
// has the server's read timeout.
const UploadTimeout = 30 * time.Minute

func init() {
	// Errors raised before execution are request errors (GraphQL over HTTP): gqlgen
	// answers them with 422 or 400 by kind, and withOverHTTPStatus settles the rest.
	errcode.RegisterErrorType(CodeTooComplex, errcode.KindProtocol)
	errcode.RegisterErrorType(CodeBadUserInput, errcode.KindProtocol)
}

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// overHTTP puts what GraphQL over HTTP asks of a server around gqlgen's transports:
//   - a method other than GET and POST gets 405, a POST of another media type than JSON
//     (or multipart, for uploads) 415;
//   - a POST body over MaxRequestBytes gets 413, a query string over it 414, both before
//     anything is parsed (an editor's multipart upload may reach MaxUploadBytes);
//   - a POST body that is not a JSON object of the request's fields (query a string,
//     variables and extensions objects) gets 400 with a fixed message: the body is never
//     echoed back, as gqlgen's own message would;
//   - a request error (parsing, validation, variables, limits: nothing was executed) is
//     answered 200 when the client accepts application/json alone, and 400 without a data
//     entry when it accepts application/graphql-response+json.
func overHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.RawQuery) > MaxRequestBytes {
			writeRequestError(w, http.StatusRequestURITooLong, "the query string is longer than 1 MiB")
			return
		}
		if r.Method == http.MethodGet {
			if q := r.URL.Query(); !q.Has("query") && !q.Has("extensions") {
				writeRequestError(w, http.StatusBadRequest, "the request has no query")
				return
			}
		}
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodOptions:
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeRequestError(w, http.StatusMethodNotAllowed, "use GET or POST")
			return
		}
		if r.Method == http.MethodPost {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if mt != mediaJSON && mt != "multipart/form-data" {
				writeRequestError(w, http.StatusUnsupportedMediaType, "send application/json (or multipart/form-data for an upload)")
				return
			}
			limit := int64(MaxRequestBytes)
			if mt == "multipart/form-data" && callerFrom(r.Context()).Role == "editor" {
				// Only an editor's import may be large, and take long to arrive.
				limit = MaxUploadBytes
				rc := http.NewResponseController(w)
				_ = rc.SetReadDeadline(time.Now().Add(UploadTimeout))
				_ = rc.SetWriteDeadline(time.Now().Add(UploadTimeout + time.Minute))
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if mt == mediaJSON {
				body, err := io.ReadAll(r.Body)
				var tooLarge *http.MaxBytesError
				switch {
				case errors.As(err, &tooLarge):
					writeRequestError(w, http.StatusRequestEntityTooLarge, "the request body is larger than 1 MiB")
					return
				case err != nil:
					writeRequestError(w, http.StatusBadRequest, "the request body could not be read")
					return
				}
				if msg := checkRequestBody(body); msg != "" {
					writeRequestError(w, http.StatusBadRequest, msg)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
		}
		next.ServeHTTP(&requestErrorWriter{ResponseWriter: w, graphQLResponse: acceptsGraphQLResponse(r)}, r)
	})
}

// checkRequestBody says what is wrong with a JSON request body, or "" when it has the
// shape of a GraphQL request. It names fields, never their values.
func checkRequestBody(body []byte) string {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return "the request body is not a JSON object"
	}
	var query string
	if raw, ok := fields["query"]; ok && json.Unmarshal(raw, &query) != nil && string(raw) != "null" {
		return "query must be a string"
	}
	if raw, ok := fields["operationName"]; ok && json.Unmarshal(raw, &query) != nil && string(raw) != "null" {
		return "operationName must be a string"
	}
	for _, name := range []string{"variables", "extensions"} {
		var obj map[string]json.RawMessage
		if raw, ok := fields[name]; ok && json.Unmarshal(raw, &obj) != nil && string(raw) != "null" {
			return name + " must be a JSON object"
		}
	}
	if _, ok := fields["query"]; !ok {
		if _, ok := fields["extensions"]; !ok {
			return "the request has no query"
		}
	}
	return ""
}

// acceptsGraphQLResponse tells a client that asked for application/graphql-response+json
// (gqlgen answers it in that media type then).
func acceptsGraphQLResponse(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == mediaGraphQLResponse {
			return true
		}
	}
	return false
}

// writeRequestError answers a request that never reached GraphQL.
func writeRequestError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": CodeBadUserInput},
	}}})
	w.Header().Set("Content-Type", mediaJSON)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// requestErrorWriter settles the status gqlgen gives a request error (422 for a document
// that fails, 400 for a request that is not GraphQL), and removes the "data": null it
// writes in one, for the media type the client accepts.
type requestErrorWriter struct {
	http.ResponseWriter
	graphQLResponse bool
	requestError    bool
	buf             bytes.Buffer
}

func (w *requestErrorWriter) WriteHeader(status int) {
	if status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.requestError = true
	switch {
	case w.graphQLResponse:
		status = http.StatusBadRequest
	case status == http.StatusUnprocessableEntity:
		// Legacy application/json: a document that fails to parse or validate is answered
		// like any other GraphQL error. A request that is not GraphQL stays 400.
		status = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *requestErrorWriter) Write(p []byte) (int, error) {
	if !w.requestError || !w.graphQLResponse {
		return w.ResponseWriter.Write(p)
	}
	// gqlgen writes a request error's body in one call; take the data entry out of it.
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(p, &resp); err != nil {
		return w.ResponseWriter.Write(p)
	}
	delete(resp, "data")
	out, err := json.Marshal(resp)
	if err != nil {
		return w.ResponseWriter.Write(p)
	}
	if _, err := w.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *requestErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
