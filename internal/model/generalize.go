package model

// QuasiIdentifiers are what generalisation needs of a case: everything the case-level view
// could publish of it (Case and Appeals; only the fields PublishedView reads matter), with
// Year and Jurisdiction, the scope within which combinations must be common, apart. ID says
// which case they are of; it is no quasi-identifier.
type QuasiIdentifiers struct {
	ID           int64
	Year         int
	Jurisdiction Jurisdiction
	Case         Case
	Appeals      []Appeal
}

// Generalizer decides what each case's case-level view coarsens or withholds: Apply gives
// one entry per case, the names Case.generalized lists (the Generalized* constants), in
// order. privacy.Generalizer makes the one the server uses; the store calls it, over the
// cases of the years a release touches, before the release commits.
type Generalizer struct {
	// Rule names the rule and its parameters. A store that generalised every case under a
	// rule of the same name need not do it again (store.Regeneralize); an empty Rule names
	// none, and a store generalises anew after it.
	Rule  string
	Apply func([]QuasiIdentifiers) [][]string
}
