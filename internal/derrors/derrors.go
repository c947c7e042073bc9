// Package derrors adds the operation that failed to an error, once, where an exported
// function returns it (the pattern of pkgsite's internal/derrors):
//
//	func (s *Store) CasesByID(ctx context.Context, ids []int64) (_ []model.Case, err error) {
//		defer derrors.Wrap(&err, "store.CasesByID(%d ids)", len(ids))
//		…
//	}
//
// A log line then says what failed. The message is for logs: give counts and ids, never a
// value that could identify a person.
package derrors

import "fmt"

// Wrap prefixes *errp with the operation format and args describe, keeping the error for
// errors.Is and errors.As. It does nothing when *errp is nil.
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
