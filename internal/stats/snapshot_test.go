package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Patching the repeat-defendant groups of a snapshot gives the same groups as building them
// anew, whatever the patch changes: pseudonyms gained, lost or swapped, and facts added.
func TestRepeatDefendantsPatchedAsBuilt(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	person := func() uint64 {
		if rng.IntN(5) == 0 {
			return 0 // no defendant on record
		}
		return uint64(rng.IntN(300))*2 + 1
	}
	for round := range 50 {
		old := &snapshot{}
		for i := range 1000 {
			old.facts = append(old.facts, fact{id: int64(i + 1), pseudonym: person()})
		}
		old.groupRepeatDefendants(nil, nil)

		next := &snapshot{facts: slices.Clone(old.facts)}
		var changed []int32
		for range rng.IntN(200) {
			i := rng.IntN(len(next.facts))
			next.facts[i].pseudonym = person()
			changed = append(changed, int32(i)) // repeats included, as a patch never gives them
		}
		for range rng.IntN(100) {
			changed = append(changed, int32(len(next.facts)))
			next.facts = append(next.facts, fact{id: int64(len(next.facts) + 1), pseudonym: person()})
		}
		next.groupRepeatDefendants(old, changed)

		built := &snapshot{facts: next.facts}
		built.groupRepeatDefendants(nil, nil)
		if !slices.Equal(next.byPerson, built.byPerson) || !slices.Equal(next.repeatFacts, built.repeatFacts) ||
			!slices.Equal(next.repeatStarts, built.repeatStarts) {
			t.Fatalf("round %d: patched groups differ from built ones (%d changed)", round, len(changed))
		}
	}
}
