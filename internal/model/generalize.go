package model

// QuasiIdentifiers are the case-level fields that could single out a defendant when
// combined. Year and Jurisdiction are always published; the others may be withheld. A nil
// field is unknown, which is published as unknown and is not "withheld". ID says which
// case they are of; it is no quasi-identifier.
type QuasiIdentifiers struct {
	ID           int64
	Year         int
	Jurisdiction Jurisdiction
	Region       *string
	Kind         *DefendantKind
	AgeBand      *AgeBand
	Gender       *Gender
}

// Generalizer decides which quasi-identifiers each case withholds from the case-level
// view: one entry per case, the names of its withheld fields as Case.generalized lists
// them, nil when none is. privacy.Generalizer makes the one the server uses; the store
// calls it, over the cases of the years a release touches, before the release commits.
type Generalizer func([]QuasiIdentifiers) [][]string
