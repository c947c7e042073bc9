package model

// What a case order means. CaseOrder and its codes stand with the other enumerations;
// the in-memory engine (internal/stats) does the ordering, and a case list's cursor holds
// a CaseKey.
//
// Every order ends with the id, so it is total and keyset pagination is stable.

// ByDecision reports whether o orders by first-instance decision date (undecided cases
// first, as the empty date), rather than by report date.
func (o CaseOrder) ByDecision() bool { return o == CaseOrderDecidedDesc || o == CaseOrderDecidedAsc }

// Descending reports whether o lists the latest first.
func (o CaseOrder) Descending() bool { return o == CaseOrderReportedDesc || o == CaseOrderDecidedDesc }

// Valid reports whether o is a known order.
func (o CaseOrder) Valid() bool { return CaseOrderVocabulary.Has(string(o)) }

// CaseKey is the position of a case in a list: its sort value and id.
type CaseKey struct {
	Sort string
	ID   int64
}

// CaseKeyOf returns the key of c in a list ordered by o.
func CaseKeyOf(c *Case, o CaseOrder) CaseKey {
	if o.ByDecision() {
		var decided string
		if c.CourtOn != nil {
			decided = *c.CourtOn
		}
		return CaseKey{Sort: decided, ID: c.ID}
	}
	return CaseKey{Sort: c.ReportedOn, ID: c.ID}
}
