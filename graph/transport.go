package graph

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postJSON is gqlgen's POST transport (transport.POST: the same requests, media types and
// statuses) but for how it writes an answer. transport.POST hands the whole answer to
// json.Marshal, which reads again, validates and compacts the data gqlgen has just
// written as compact JSON: a tenth of the CPU of a page of cases. writeAnswer writes the
// data as it is when the answer holds nothing else.
type postJSON struct{ transport.POST }

var _ graphql.Transport = postJSON{}

func (postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	mediaType := answerMediaType(r)
	w.Header().Set("Content-Type", mediaType)
	start := graphql.Now()
	var params graphql.RawParams
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		// overHTTP has read the body and checked its shape; this is a body it let through
		// that still does not decode (a number out of range, say). The body is not echoed.
		w.WriteHeader(http.StatusBadRequest)
		writeAnswer(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("the request body could not be decoded")}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	oc, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		w.WriteHeader(requestErrorStatus(errs, mediaType))
		writeAnswer(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	answer, ctx := exec.DispatchOperation(ctx, oc)
	a := answer(ctx)
	if a == nil {
		// gqlgen gives no answer once the context is done before execution begins: the
		// client has gone (nothing to write), or the operation's deadline passed.
		if r.Context().Err() != nil {
			return
		}
		a = exec.DispatchError(graphql.WithOperationContext(ctx, oc), gqlerror.List{timeLimitError(nil)})
	}
	writeAnswer(w, a)
}

// answerMediaType is the media type of the answer, as transport.POST chooses it: the first
// of the Accept header's types it serves, application/json when there is no Accept header
// or it accepts anything.
func answerMediaType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// requestErrorStatus is transport.POST's status for errors raised before execution:
// 422 (application/json) or 400 (application/graphql-response+json) for a request error,
// 200 otherwise. overHTTP's requestErrorWriter settles it further.
func requestErrorStatus(errs gqlerror.List, mediaType string) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if mediaType == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// writeAnswer writes a GraphQL answer in one call (requestErrorWriter relies on that). An
// answer of data alone — almost every answer — is written around the data as gqlgen
// marshalled it; any other through json.Marshal, as transport.POST does. The two differ
// only in that json.Marshal escapes <, > and & in strings (\u003c); both are the same JSON.
func writeAnswer(w io.Writer, a *graphql.Response) {
	if len(a.Errors) == 0 && len(a.Extensions) == 0 && a.Label == "" && a.Path == nil && a.HasNext == nil && len(a.Data) > 0 {
		b := make([]byte, 0, len(`{"data":}`)+len(a.Data))
		b = append(b, `{"data":`...)
		b = append(b, a.Data...)
		b = append(b, '}')
		_, _ = w.Write(b)
		return
	}
	b, err := json.Marshal(a)
	if err != nil {
		// Only data that is not JSON fails, which gqlgen's marshalers never write.
		b, _ = json.Marshal(&graphql.Response{Errors: gqlerror.List{{Message: "the answer could not be written"}}})
	}
	_, _ = w.Write(b)
}
