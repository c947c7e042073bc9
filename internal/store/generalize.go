package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// yearGroup is a jurisdiction and a year of reports: the scope within which generalisation
// makes combinations of quasi-identifiers common enough.
type yearGroup struct {
	jurisdiction model.Jurisdiction
	year         string
}

// quasiIdentifierColumns are the columns of cases the case-level view publishes (besides
// the reference and the summary), which generalisation reads.
const quasiIdentifierColumns = `id, jurisdiction, region, category, concern, platform, article, liability, stage,
	defendant_kind, reported_on, expert_conclusion, expert_on, case_opened_on, prosecutor_decision,
	prosecutor_on, court_decision, court_on, sanction, fine_amount, appeal_status, generalized`

// generalize recomputes what the case-level view coarsens or withholds (fn, see
// privacy.Generalizer), over the cases of one jurisdiction and year (all cases when g is
// nil), and writes the rows whose answer changed. Such a row counts as changed by the
// release: the case lists' fact table (internal/stats) picks up what changed by
// updated_release_id. A load runs it over every case, an import over the groups it touched.
// It returns how many rows changed.
func generalize(ctx context.Context, tx *writeTx, fn model.Generalizer, g *yearGroup, release int64) (int, error) {
	qis, err := readQuasiIdentifiers(ctx, &tx.runner, g)
	if err != nil {
		return 0, fmt.Errorf("generalize: %w", err)
	}
	changes, err := generalizedChanges(qis, fn)
	if err != nil {
		return 0, err
	}
	if err := tx.dialect.setGeneralized(ctx, tx, changes, release); err != nil {
		return 0, fmt.Errorf("generalize: %w", err)
	}
	return len(changes), nil
}

// generalizeEvery runs generalize over every case, one (jurisdiction, year) group at a
// time: generalisation never looks across groups, so the result is the same as over all
// cases at once, and memory holds one year's cases rather than the whole table (at ten
// million cases, gigabytes).
func generalizeEvery(ctx context.Context, tx *writeTx, fn model.Generalizer, release int64) (int, error) {
	var groups []struct {
		Jurisdiction model.Jurisdiction `db:"jurisdiction"`
		Year         string             `db:"year"`
	}
	if err := tx.selectx(ctx, &groups, "SELECT DISTINCT jurisdiction, substr(reported_on, 1, 4) AS year FROM cases ORDER BY 1, 2"); err != nil {
		return 0, fmt.Errorf("generalize: %w", err)
	}
	changed := 0
	for _, g := range groups {
		n, err := generalize(ctx, tx, fn, &yearGroup{g.Jurisdiction, g.Year}, release)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	return changed, nil
}

// readQuasiIdentifiers reads the published fields of the cases of one jurisdiction and
// year, or of all cases when g is nil, with their appeals.
func readQuasiIdentifiers(ctx context.Context, r *runner, g *yearGroup) ([]model.QuasiIdentifiers, error) {
	w := &where{}
	if g != nil {
		w.add("jurisdiction = ?", string(g.jurisdiction))
		w.add("reported_on >= ?", g.year+"-01-01")
		w.add("reported_on <= ?", g.year+"-12-31")
	}
	var cases []model.Case
	if err := r.selectx(ctx, &cases, "SELECT "+quasiIdentifierColumns+" FROM cases"+w.sql(), w.args...); err != nil {
		return nil, err
	}
	aw := &where{}
	if g != nil {
		aw.add("c.jurisdiction = ?", string(g.jurisdiction))
		aw.add("c.reported_on >= ?", g.year+"-01-01")
		aw.add("c.reported_on <= ?", g.year+"-12-31")
	}
	var appeals []model.Appeal
	// 'APPEAL' < 'CASSATION': the court order.
	if err := r.selectx(ctx, &appeals, `SELECT a.case_id, c.jurisdiction, a.level, a.filed_by, a.filed_on, a.status,
		a.decided_on, a.fine_amount FROM appeals a JOIN cases c ON c.id = a.case_id`+aw.sql()+" ORDER BY a.case_id, a.level", aw.args...); err != nil {
		return nil, err
	}
	byCase := make(map[int64][]model.Appeal, len(appeals))
	for _, a := range appeals {
		byCase[a.CaseID] = append(byCase[a.CaseID], a)
	}
	out := make([]model.QuasiIdentifiers, len(cases))
	for i := range cases {
		c := &cases[i]
		year, _ := strconv.Atoi(model.Year(c.ReportedOn))
		out[i] = model.QuasiIdentifiers{ID: c.ID, Year: year, Jurisdiction: c.Jurisdiction, Case: *c, Appeals: byCase[c.ID]}
	}
	return out, nil
}

type generalizedChange struct {
	id          int64
	generalized string
}

// generalizedChanges runs fn over the cases' quasi-identifiers and lists the cases whose
// generalised fields differ from what is stored.
func generalizedChanges(qis []model.QuasiIdentifiers, fn model.Generalizer) ([]generalizedChange, error) {
	masks := fn.Apply(qis)
	if len(masks) != len(qis) {
		return nil, errors.New("generalize: one answer per case expected")
	}
	var out []generalizedChange
	for i, q := range qis {
		if g := strings.Join(masks[i], ","); g != q.Case.Generalized {
			out = append(out, generalizedChange{q.ID, g})
		}
	}
	return out, nil
}

// Regeneralize applies fn to every case, as a load does, and commits what changed as a
// release of its own (noted as such), or nothing when nothing changed: the server runs it
// on start, so that a database generalised under an older rule or another threshold
// publishes by the current one. It returns that release, nil when there was none.
//
// When every case was last generalised under a rule of the same name (fn.Rule), it reads
// nothing: the pass reads every case, most of a minute at a million.
func (s *Store) Regeneralize(ctx context.Context, fn model.Generalizer) (_ *model.Release, err error) {
	defer derrors.Wrap(&err, "store.Regeneralize")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if fn.Rule != "" {
		var rules []string
		if err := s.pool.selectx(ctx, &rules, "SELECT value FROM settings WHERE name = ?", settingGeneralizedBy); err != nil {
			return nil, err
		}
		if len(rules) == 1 && rules[0] == fn.Rule {
			return nil, nil
		}
	}
	var out *model.Release
	err = s.inWriteTx(ctx, func(tx *writeTx) (bool, error) {
		var synthetic bool
		if err := tx.getx(ctx, &synthetic, "SELECT COALESCE(MAX(CASE WHEN synthetic THEN 1 ELSE 0 END), 0) = 1 FROM releases"); err != nil {
			return false, err
		}
		note := "The case-level view generalised anew (privacy rule or threshold changed); no record changed."
		rel := model.Release{Note: &note, Synthetic: synthetic}
		w, err := beginRelease(ctx, tx, &rel)
		if err != nil {
			return false, err
		}
		n, err := generalizeEvery(ctx, tx, fn, rel.ID)
		if err != nil || n == 0 {
			return false, err // nothing changed: rolled back, no release
		}
		if err := recordRule(ctx, tx, fn.Rule, true); err != nil {
			return false, err
		}
		out = &rel
		return true, w.finish(ctx, &rel)
	})
	if err != nil {
		return nil, err
	}
	if out == nil && fn.Rule != "" { // nothing changed: every case is as the rule has it
		if err := s.inWriteTx(ctx, func(tx *writeTx) (bool, error) {
			return true, recordRule(ctx, tx, fn.Rule, true)
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// settingGeneralizedBy names the setting that holds the rule (model.Generalizer.Rule)
// every case was last generalised under; absent when none is known to hold for all.
const settingGeneralizedBy = "generalized_by"

// recordRule notes, in a write that generalised cases under rule, what that means for
// every case: after all cases were generalised (every), they all follow rule; after some
// were, they all still follow the recorded rule only when it is rule, and otherwise no
// rule is known to hold for all of them. An empty rule names none.
func recordRule(ctx context.Context, tx *writeTx, rule string, every bool) error {
	if every && rule != "" {
		_, err := tx.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, settingGeneralizedBy, rule)
		return err
	}
	_, err := tx.exec(ctx, "DELETE FROM settings WHERE name = ? AND value <> ?", settingGeneralizedBy, rule)
	return err
}
