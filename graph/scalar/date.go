// Package scalar holds the GraphQL scalars casewatch defines.
package scalar

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalDate writes a "YYYY-MM-DD" date.
func MarshalDate(date string) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(date)) })
}

// UnmarshalDate accepts only a real calendar date written YYYY-MM-DD.
func UnmarshalDate(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("a Date must be a string written YYYY-MM-DD")
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len("2006-01-02") {
		return "", fmt.Errorf("%q is not a date: write YYYY-MM-DD, e.g. 2024-05-31", s)
	}
	return s, nil
}
