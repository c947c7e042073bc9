package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// ruleDigest is what the case-view rule of privacy.RuleVersion decides for the demo
// dataset below. A server skips generalising a store generalised under the same rule
// version, so a change to the rule without a new version would leave stored cases
// generalised by the old one.
const ruleDigest = "v1 bb4bf5533aab4227"

// TestRuleVersionFollowsTheRule fails when what Generalize decides changes but
// privacy.RuleVersion does not. After a deliberate change: raise RuleVersion, and set
// ruleDigest to what this test reports.
func TestRuleVersionFollowsTheRule(t *testing.T) {
	ctx := context.Background()
	ref := reference.MustRead()
	var lines []string
	gen := privacy.Generalizer(5, ref.FineBand)
	capture := func(recs []model.QuasiIdentifiers) [][]string {
		out := gen.Apply(recs)
		for i := range recs {
			// The records' ids and own fields are the demo's; what is hashed is what the
			// rule decides for them.
			lines = append(lines, fmt.Sprintf("%d %s %s", recs[i].ID, recs[i].Case.Reference, strings.Join(out[i], ",")))
		}
		return out
	}
	s := storetest.Open(t, storetest.SQLiteURL(t))
	if _, err := demo.Seed(ctx, s, ref, demo.Options{Cases: 3000, Seed: 21, Generalize: model.Generalizer{Apply: capture}}); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	got := fmt.Sprintf("v%d %s", privacy.RuleVersion, hex.EncodeToString(sum[:8]))
	if got != ruleDigest {
		t.Fatalf("the case-view rule decides %q, recorded %q: if the rule changed, raise privacy.RuleVersion and record the new digest", got, ruleDigest)
	}
}
