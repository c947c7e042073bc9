package model

// What a case order means. CaseOrder and its codes stand with the other enumerations;
// the in-memory engine (internal/stats) does the ordering, and a case list's cursor holds
// a CaseKey.
//
// Every order ends with the id, so it is total and keyset pagination is stable.

// ByDecision reports whether o orders by month of first-instance decision (undecided
// cases first, as the empty period), rather than by month of report.
func (o CaseOrder) ByDecision() bool { return o == CaseOrderDecidedDesc || o == CaseOrderDecidedAsc }

// Descending reports whether o lists the latest first.
func (o CaseOrder) Descending() bool { return o == CaseOrderReportedDesc || o == CaseOrderDecidedDesc }

// Valid reports whether o is a known order.
func (o CaseOrder) Valid() bool { return CaseOrderVocabulary.Has(string(o)) }

// CaseKey is the position of a case in a list. Lists are ordered by published period (the
// month of report, or of decision for the DECIDED orders; "" for an undecided case), then,
// within the period, by Rank, a keyed pseudo-random value of the case (internal/stats):
// never by the exact day, which a case's place within its month would otherwise give
// away. ID breaks the (unlikely) ties.
type CaseKey struct {
	Period string // YYYY-MM, or "" for an undecided case in a DECIDED order
	Rank   uint64
	ID     int64
}

// CaseKeyIDs returns the ids of keys, in their order.
func CaseKeyIDs(keys []CaseKey) []int64 {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return ids
}
