package stats

import (
	"context"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// caseSteps are the funnel's case steps in order. Each counts the cases of the step
// before that went on to it, so every step is part of the one before and the funnel adds
// up by construction.
var caseSteps = []model.FunnelStepKind{
	model.FunnelExpertReviewed, model.FunnelOffenceFound, model.FunnelCaseOpened,
	model.FunnelApproved, model.FunnelDecided, model.FunnelLiable, model.FunnelFined,
	model.FunnelAppealed, model.FunnelOverturnedOrModified,
}

// Funnel answers the funnel question for a checked filter.
func (e *Engine) Funnel(ctx context.Context, f model.CaseFilter, k int) (*model.Funnel, error) {
	if err := checkThreshold(k); err != nil {
		return nil, err
	}
	s, m, release, err := e.begin(ctx, f, aggregates)
	if err != nil {
		return nil, err
	}
	defer release()
	code := func(col int, v string) uint16 { return s.dicts[col].index[v] }
	colExp, colPros := colExpert, colProsecutor
	colDec, colSan, colApp := column(model.DimensionDecision), column(model.DimensionSanction), column(model.DimensionAppealStatus)
	adminOffence, criminalOffence := code(colExp, string(model.ExpertConclusionAdministrativeOffense)), code(colExp, string(model.ExpertConclusionCriminalOffense))
	approved := code(colPros, string(model.ProsecutorDecisionApproved))
	pending, liable := code(colDec, string(model.DecisionPending)), code(colDec, string(model.DecisionLiable))
	fine := code(colSan, string(model.SanctionFine))
	reached := []func(*fact) bool{
		func(f *fact) bool { return f.codes[colExp] != 0 },
		func(f *fact) bool { c := f.codes[colExp]; return c == adminOffence || c == criminalOffence },
		func(f *fact) bool { return f.flags&caseOpened != 0 },
		func(f *fact) bool { return f.codes[colPros] == approved },
		func(f *fact) bool { c := f.codes[colDec]; return c != 0 && c != pending },
		func(f *fact) bool { return f.codes[colDec] == liable },
		func(f *fact) bool { return f.codes[colSan] == fine },
		func(f *fact) bool { return f.codes[colApp] != 0 },
		func(f *fact) bool { return f.flags&appealSucceeded != 0 },
	}
	cells := make([]privacy.Cell, len(caseSteps))
	for i := range m.members(len(s.facts)) {
		fc := &s.facts[i]
		for step, ok := range reached {
			if !ok(fc) {
				break
			}
			cells[step].Add(fc.key)
		}
	}

	out := &model.Funnel{SuppressionThreshold: k}
	detected, referred, ok, err := e.detectionSteps(ctx, s.generation, f)
	if err != nil {
		return nil, err
	}
	out.Steps = append(out.Steps,
		&model.FunnelStep{Step: model.FunnelDetected, Available: ok},
		&model.FunnelStep{Step: model.FunnelReferred, Available: ok})
	if ok {
		out.Steps[0].Count, out.Steps[1].Count = &detected, &referred
		out.Steps[1].ShareOfPrevious = share(referred, detected)
	}
	// Case steps are perturbed like statistics (privacy.Cell): a step that counts the same
	// cases as a statistics figure gets the same value. Each step is a part of the one
	// before, so a perturbed step is kept from exceeding the step before it; one below k
	// is withheld.
	var prev *int
	ceiling := -1
	for i, kind := range caseSteps {
		st := &model.FunnelStep{Step: kind, Available: true, Perturbed: true}
		n := cells[i].Perturbed()
		if ceiling >= 0 {
			n = min(n, ceiling)
		}
		ceiling = n
		if n >= k {
			st.Count = &n
			if prev != nil {
				st.ShareOfPrevious = share(n, *prev)
			}
		} else {
			st.Suppressed = true
		}
		// The share is only given against the step just before, when both are published.
		prev = st.Count
		out.Steps = append(out.Steps, st)
	}
	return out, nil
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := float64(n) / float64(of)
	return &v
}

// detectionSteps counts the detections and the referrals that match f. Detections carry
// only jurisdiction, region, category, platform and date; a filter on anything else
// (article, outcome, defendant, …) cannot apply to them, and ok is false.
func (e *Engine) detectionSteps(ctx context.Context, gen int64, f model.CaseFilter) (detected, referred int, ok bool, err error) {
	if len(f.Articles) > 0 || len(f.Liabilities) > 0 || len(f.DefendantKinds) > 0 || len(f.Stages) > 0 ||
		len(f.Decisions) > 0 || len(f.Sanctions) > 0 || len(f.AppealStatuses) > 0 ||
		f.DecidedFrom != nil || f.DecidedTo != nil || f.Search != nil {
		return 0, 0, false, nil
	}
	df := model.DetectionFilter{
		Jurisdiction: f.Jurisdiction, Regions: f.Regions, Categories: f.Categories,
		Concerns: f.Concerns, Platforms: f.Platforms, DetectedFrom: f.ReportedFrom, DetectedTo: f.ReportedTo,
	}
	// The caller holds a pass already (Engine.begin): count without asking for another,
	// from the detections of the release its cases are of.
	t, err := e.detectionsOf(ctx, gen)
	if err != nil {
		return 0, 0, false, err
	}
	buckets, err := t.count(df, []model.DetectionDimension{model.DetectionDimensionAction}, nil)
	if err != nil {
		return 0, 0, false, err
	}
	for _, b := range buckets {
		detected += b.Count
		if b.Key[0].Code == string(model.DetectionActionReferredToPolice) {
			referred += b.Count
		}
	}
	return detected, referred, true, nil
}
