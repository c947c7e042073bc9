package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Error codes of the public contract (extensions.code).
const (
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeRateLimited     = "RATE_LIMITED"
	CodeTooComplex      = "QUERY_TOO_COMPLEX"
	CodeInternal        = "INTERNAL"
)

// clientError is a problem with the request that the client can fix; its message says
// what to change.
type clientError struct {
	code       string
	msg        string
	extensions map[string]any
}

func (e *clientError) Error() string { return e.msg }

func badInput(format string, args ...any) error {
	return &clientError{code: CodeBadUserInput, msg: fmt.Sprintf(format, args...)}
}

// internalError hides a server-side failure from the client; the cause is logged.
type internalError struct {
	cause error
	// public, when set, replaces the generic message: for conditions that are safe and
	// useful to tell, such as an empty database.
	public string
}

func (e *internalError) Error() string { return "internal error" }
func (e *internalError) Unwrap() error { return e.cause }

// internal wraps a failure the client cannot fix. Resolvers return store errors only
// through it, so no SQL or driver message reaches an answer.
func internal(err error) error { return &internalError{cause: err} }

// timeLimitError says that the query at path ran past its time limit.
func timeLimitError(path ast.Path) *gqlerror.Error {
	gerr := gqlerror.ErrorPathf(path, "the query ran past its time limit: ask for less at once, or split it")
	errcode.Set(gerr, CodeTooComplex)
	return gerr
}

// presentError gives every error one of the contract's codes. gqlgen's own parse and
// validation failures, and argument values its scalars reject, are the client's input.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		// A statement cut off by the deadline may fail with a driver error of its own
		// ("bad connection"): the deadline is still the cause, and the client's to know.
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return timeLimitError(graphql.GetPath(ctx))
		}
		var ie *internalError
		if errors.As(err, &ie) {
			log.ErrorContext(ctx, "graphql resolver failed", "path", graphql.GetPath(ctx).String(), "err", ie.cause)
			msg := "internal error; it has been logged"
			if ie.public != "" {
				msg = ie.public
			}
			gerr := gqlerror.ErrorPathf(graphql.GetPath(ctx), "%s", msg)
			errcode.Set(gerr, CodeInternal)
			return gerr
		}
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		var ce *clientError
		if errors.As(err, &ce) {
			for k, v := range ce.extensions {
				if gerr.Extensions == nil {
					gerr.Extensions = map[string]any{}
				}
				gerr.Extensions[k] = v
			}
			errcode.Set(gerr, ce.code)
			return gerr
		}
		code, _ := gerr.Extensions["code"].(string)
		switch code {
		case CodeBadUserInput, CodeUnauthenticated, CodeForbidden, CodeRateLimited, CodeTooComplex, CodeInternal:
		case "COMPLEXITY_LIMIT_EXCEEDED":
			errcode.Set(gerr, CodeTooComplex)
		default:
			// GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, scalar and enum coercion and
			// resolver input errors: all say what in the request to change, and where.
			if code != "" {
				gerr.Extensions["reason"] = code
			}
			gerr.Message = withoutRequestValues(gerr.Message)
			if len(gerr.Path) > 0 && gerr.Path[0] == ast.PathName("variable") {
				// Variable coercion repeats the value unquoted ("Ivanov Ivan is not a valid
				// ContentCategory"): say where it is and what it should be, nothing of it.
				gerr.Message = variableMessage(gerr)
			}
			errcode.Set(gerr, CodeBadUserInput)
		}
		return gerr
	}
}

// quoted and longNumber find what gqlparser's messages repeat of a request: quoted names
// and values, and numbers (an IIN typed where an Int goes).
var (
	quoted     = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	longNumber = regexp.MustCompile(`[0-9][0-9 ()+]{4,}[0-9]`)
)

// schemaNames are the names of this API's types, fields, arguments and enum values: a
// message may name them, since they are no one's data.
var schemaNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for name, def := range parsedSchema.Types {
		names[name] = true
		for _, f := range def.Fields {
			names[f.Name] = true
			for _, a := range f.Arguments {
				names[a.Name] = true
			}
		}
		for _, v := range def.EnumValues {
			names[v.Name] = true
		}
	}
	return names
})

// withoutRequestValues takes out of a parser or validator message every quoted text that
// is not a name of the schema, and every long number: no answer repeats what a request
// held (a name typed into the wrong place, an IIN). The message's location still points
// to it.
func withoutRequestValues(msg string) string {
	msg = quoted.ReplaceAllStringFunc(msg, func(q string) string {
		if schemaNames()[strings.Trim(q, `"[]!`)] {
			return q
		}
		return `"…"`
	})
	return longNumber.ReplaceAllString(msg, "…")
}

// expectedType finds the type a coercion message says a value should have.
var expectedType = regexp.MustCompile(`(?:a valid|as|be) \[?([A-Za-z_][A-Za-z0-9_]*)!?\]?!?$`)

// variableMessage says which variable, or which part of one, does not fit its type.
func variableMessage(gerr *gqlerror.Error) string {
	where := strings.TrimPrefix(gerr.Path.String(), "variable.")
	msg := "variable $" + where + " does not fit its declared type"
	if m := expectedType.FindStringSubmatch(strings.TrimSuffix(gerr.Message, ".")); m != nil && schemaNames()[m[1]] {
		msg += " (" + m[1] + ")"
	}
	return msg
}

// recoverPanic turns a panic into an internal error instead of a crashed request.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql panic", "panic", fmt.Sprint(p))
		return internal(fmt.Errorf("panic: %v", p))
	}
}
