package model

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func ptr[T any](v T) *T { return &v }

func TestDeriveStage(t *testing.T) {
	tests := []struct {
		name    string
		c       Case
		appeals []Appeal
		want    CaseStage
	}{
		{"nothing yet", Case{}, nil, CaseStageExpertReview},
		{"no offence", Case{ExpertConclusion: ptr(ExpertConclusionNoOffense)}, nil, CaseStageClosed},
		{"offence found", Case{ExpertConclusion: ptr(ExpertConclusionAdministrativeOffense)}, nil, CaseStageInvestigation},
		{"case opened", Case{ExpertConclusion: ptr(ExpertConclusionAdministrativeOffense), CaseOpenedOn: ptr("2024-01-02")}, nil, CaseStageProsecutorReview},
		{"returned", Case{ProsecutorDecision: ptr(ProsecutorDecisionReturned)}, nil, CaseStageProsecutorReview},
		{"rejected", Case{ProsecutorDecision: ptr(ProsecutorDecisionRejected)}, nil, CaseStageClosed},
		{"approved", Case{ProsecutorDecision: ptr(ProsecutorDecisionApproved)}, nil, CaseStageTrial},
		{"court pending", Case{ProsecutorDecision: ptr(ProsecutorDecisionApproved), CourtDecision: ptr(DecisionPending)}, nil, CaseStageTrial},
		{"decided", Case{CourtDecision: ptr(DecisionLiable)}, nil, CaseStageClosed},
		{"appeal pending", Case{CourtDecision: ptr(DecisionLiable)}, []Appeal{{Level: AppealLevelAppeal, Status: AppealStatusPending}}, CaseStageAppeal},
		{"cassation pending", Case{CourtDecision: ptr(DecisionLiable)}, []Appeal{
			{Level: AppealLevelAppeal, Status: AppealStatusUpheld}, {Level: AppealLevelCassation, Status: AppealStatusPending}}, CaseStageCassation},
		{"appeal decided", Case{CourtDecision: ptr(DecisionLiable)}, []Appeal{{Level: AppealLevelAppeal, Status: AppealStatusOverturned}}, CaseStageClosed},
	}
	for _, tt := range tests {
		if got := tt.c.DeriveStage(tt.appeals); got != tt.want {
			t.Errorf("%s: stage = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestTimelineIsInDateOrderAndSkipsUnknownDates(t *testing.T) {
	c := Case{ReportedOn: "2024-01-05", ExpertOn: ptr("2024-02-01"), ExpertConclusion: ptr(ExpertConclusionAdministrativeOffense),
		CaseOpenedOn: ptr("2024-02-01"), CourtOn: ptr("2024-04-01"), CourtDecision: ptr(DecisionLiable)}
	appeals := []Appeal{
		{Level: AppealLevelAppeal, FiledOn: ptr("2024-04-08"), Status: AppealStatusModified, DecidedOn: ptr("2024-05-01")},
		{Level: AppealLevelCassation, FiledOn: ptr("2024-06-01"), Status: AppealStatusPending},
	}
	var kinds []CaseEventKind
	for _, e := range c.Timeline(appeals) {
		kinds = append(kinds, e.Kind)
	}
	want := []CaseEventKind{CaseEventKindReported, CaseEventKindExpertConclusion, CaseEventKindCaseOpened,
		CaseEventKindCourtDecision, CaseEventKindAppealFiled, CaseEventKindAppealDecided, CaseEventKindCassationFiled}
	if !slices.Equal(kinds, want) {
		t.Fatalf("timeline = %v, want %v", kinds, want)
	}
}

func TestEveryCodeHasFourLabels(t *testing.T) {
	for _, v := range Vocabularies() {
		for _, term := range v.Terms {
			if missing := term.Labels.Missing(); len(missing) > 0 {
				t.Errorf("%s.%s lacks a label in %v: %+v", v.Name, term.Code, missing, term.Labels)
			}
			// Kyrgyz is written in Cyrillic: a label with Latin letters is a platform's own name.
			if v != PlatformVocabulary && strings.ContainsFunc(term.Labels.KY, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) {
				t.Errorf("%s.%s: the Kyrgyz label %q is not in Cyrillic", v.Name, term.Code, term.Labels.KY)
			}
		}
	}
	for _, lang := range LangVocabulary.Codes() {
		if got := LangVocabulary.Label(lang, LangKY); got == lang {
			t.Errorf("Lang.%s has no Kyrgyz label", lang)
		}
	}
	if got := LangVocabulary.Label(string(LangKY), LangKY); got != "Кыргызча" {
		t.Errorf("Kyrgyz in Kyrgyz = %q, want Кыргызча", got)
	}
	if got := ContentCategoryVocabulary.Label(string(ContentCategoryFalseInformation), LangKY); got != "Жалган маалымат" {
		t.Errorf("FALSE_INFORMATION in Kyrgyz = %q", got)
	}
	if got := DimensionLabel(DimensionDecision, NoValue, LangKY); got != "Жок" {
		t.Errorf("NONE in Kyrgyz = %q", got)
	}
	if _, err := ContentCategoryVocabulary.Parse("false_information"); err != nil {
		t.Error(err)
	}
	if _, err := ContentCategoryVocabulary.Parse("memes"); err == nil {
		t.Error("unknown code accepted")
	}
}
