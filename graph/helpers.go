package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/casewatch/casewatch/graph/gqlmodel"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
)

const (
	defaultPageSize = 20
	maxPageSize     = 100
	maxSearchLength = 200
	// maxSearchWords bounds the words of a search: each is one more substring test of
	// every summary in the scan.
	maxSearchWords = 8
)

// caseCursor is the sealed content of a case list cursor: a model.CaseKey.
type caseCursor struct {
	Period string `json:"p"`
	Rank   uint64 `json:"r"`
	ID     int64  `json:"i"`
}

// caseList names a case list in order o for its cursors. Cursors of the lists ordered by
// day, before lists were ordered within a month by rank, named them "cases/ORDER": they
// no longer open, rather than resume at the wrong place.
func caseList(o model.CaseOrder) string { return "cases-by-period/" + string(o) }

func checkFirst(first *int) (int, error) {
	if first == nil {
		return defaultPageSize, nil
	}
	if *first < 1 || *first > maxPageSize {
		return 0, badInput("first must be between 1 and %d", maxPageSize)
	}
	return *first, nil
}

// checkFilter rejects filters that name things that do not exist, so a typo is an error and
// not an empty answer that looks like "no cases".
func (r *Resolver) checkFilter(ctx context.Context, in *model.CaseFilter) (model.CaseFilter, error) {
	if in == nil {
		return model.CaseFilter{}, nil
	}
	f := *in
	if err := r.checkRegions(f.Regions, f.Jurisdiction); err != nil {
		return f, err
	}
	if len(f.Articles) > 0 {
		all, err := r.allArticles(ctx)
		if err != nil {
			return f, err
		}
		for i, code := range f.Articles {
			if !slices.ContainsFunc(all, func(a model.Article) bool { return a.Code == code }) {
				return f, badInput("filter.articles[%d] is not a known article; write it as CODE NUMBER, e.g. \"CAO 456-2\" (see Query.articles)", i)
			}
		}
	}
	for _, p := range []struct {
		from, to *string
		name     string
	}{{f.ReportedFrom, f.ReportedTo, "reported"}, {f.DecidedFrom, f.DecidedTo, "decided"}} {
		if p.from != nil && p.to != nil && *p.from > *p.to {
			return f, badInput("filter: %sFrom is after %sTo; the range is empty", p.name, p.name)
		}
	}
	// Case-level dates are published by month; a list filtered by day would reveal them.
	f.ReportedFrom, f.ReportedTo = monthStart(f.ReportedFrom), monthEnd(f.ReportedTo)
	f.DecidedFrom, f.DecidedTo = monthStart(f.DecidedFrom), monthEnd(f.DecidedTo)
	if f.Search != nil {
		s := strings.TrimSpace(*f.Search)
		switch {
		case s == "":
			f.Search = nil
		case utf8.RuneCountInString(s) > maxSearchLength:
			return f, badInput("filter.search is longer than %d characters", maxSearchLength)
		case len(store.SearchWords(s)) > maxSearchWords:
			return f, badInput("filter.search has more than %d words", maxSearchWords)
		default:
			f.Search = &s
		}
	}
	return f, nil
}

// maxDimensions bounds how many dimensions one answer is grouped by.
const maxDimensions = 3

func (r *Resolver) checkDetectionFilter(in *model.DetectionFilter, groupBy []model.DetectionDimension) (model.DetectionFilter, error) {
	if len(groupBy) > maxDimensions {
		return model.DetectionFilter{}, badInput("groupBy: at most %d dimensions, got %d", maxDimensions, len(groupBy))
	}
	for i, d := range groupBy {
		if slices.Contains(groupBy[:i], d) {
			return model.DetectionFilter{}, badInput("groupBy: %s is listed twice", d)
		}
	}
	if in == nil {
		return model.DetectionFilter{}, nil
	}
	f := *in
	if err := r.checkRegions(f.Regions, f.Jurisdiction); err != nil {
		return f, err
	}
	if f.DetectedFrom != nil && f.DetectedTo != nil && *f.DetectedFrom > *f.DetectedTo {
		return f, badInput("filter: detectedFrom is after detectedTo; the range is empty")
	}
	return f, nil
}

func (r *Resolver) checkRegions(codes []string, j *model.Jurisdiction) error {
	for i, code := range codes {
		reg := r.ref.Region(code)
		if reg == nil {
			return badInput("filter.regions[%d] is not a region code; use ISO 3166-2 codes such as KZ-75 (see Query.regions)", i)
		}
		if j != nil && reg.Jurisdiction != *j {
			return badInput("filter.regions[%d] (%s) is not in jurisdiction %s", i, reg.Code, *j)
		}
	}
	return nil
}

// noRegionLabel names the group of records without a region.
var noRegionLabel = model.Labels{KK: "Өңірі көрсетілмеген", RU: "Регион не указан", EN: "No region given", KY: "Аймагы көрсөтүлгөн эмес"}

// dimensionLabel labels a grouped value in lang.
func (r *Resolver) dimensionLabel(d model.DetectionDimension, code string, lang model.Lang) string {
	if d == model.DetectionDimensionAction {
		return model.DetectionActionVocabulary.Label(code, lang)
	}
	// The other detection dimensions are case dimensions of the same name.
	return r.statDimensionLabel(model.Dimension(d), code, lang)
}

// unlistedArticleNote is the verification note of an article that only an import names.
var unlistedArticleNote = model.Labels{
	KK: "анықтамалық тізімде жоқ: алғаш рет импортта кездесті",
	RU: "нет в справочном списке: впервые встретилась в импорте",
	EN: "not in the reference list: first seen in an import",
	KY: "маалымдама тизмесинде жок: биринчи жолу импортто кездешти",
}

// allArticles is the reference list plus the articles imports brought that it lacks.
func (r *Resolver) allArticles(ctx context.Context) ([]model.Article, error) {
	extra, err := loadersFrom(ctx).unlistedArticles()
	if err != nil {
		return nil, err
	}
	all := slices.Clone(r.ref.Articles)
	for _, a := range extra {
		a.Verification = unlistedArticleNote
		all = append(all, a)
	}
	return all, nil
}

func (r *Resolver) article(ctx context.Context, j model.Jurisdiction, code string) (*model.Article, error) {
	if a := r.ref.Article(j, code); a != nil {
		return a, nil
	}
	all, err := r.allArticles(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Jurisdiction == j && all[i].Code == code {
			return &all[i], nil
		}
	}
	return nil, nil
}

// money expresses an amount in the jurisdiction's currency and in index units of the year
// of date (the year the amount was set).
func (r *Resolver) money(j model.Jurisdiction, amount *int64, date *string) *gqlmodel.Money {
	if amount == nil {
		return nil
	}
	m := &gqlmodel.Money{Amount: int(*amount), Currency: j.Currency(), IndexUnit: j.IndexUnit()}
	if date != nil {
		fmt.Sscanf(*date, "%d", &m.IndexYear)
	}
	if units, ok := r.ref.InIndexUnits(j, m.IndexYear, *amount); ok {
		m.IndexUnits = &units
	}
	return m
}

// monthStart moves a YYYY-MM-DD date to the first day of its month.
func monthStart(date *string) *string {
	if date == nil {
		return nil
	}
	d := model.Month(*date) + "-01"
	return &d
}

// monthEnd moves a YYYY-MM-DD date (already checked) to the last day of its month.
func monthEnd(date *string) *string {
	if date == nil {
		return nil
	}
	t, err := time.Parse(time.DateOnly, model.Month(*date)+"-01")
	if err != nil {
		return date // unreachable for a checked date; the filter refuses it later
	}
	d := t.AddDate(0, 1, -1).Format(time.DateOnly)
	return &d
}

func monthOf(date *string) *string {
	if date == nil {
		return nil
	}
	m := model.Month(*date)
	return &m
}

func firstDate(dates ...*string) *string {
	for _, d := range dates {
		if d != nil {
			return d
		}
	}
	return nil
}

func langOr(lang *model.Lang) model.Lang {
	if lang == nil {
		return model.LangEN
	}
	return *lang
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// checkStatistics checks the arguments of statistics and funnel and returns the filter to
// use and the suppression threshold: the server's, or a higher one the query asks for.
func (r *Resolver) checkStatistics(ctx context.Context, filter *model.CaseFilter, groupBy []model.Dimension, threshold *int) (model.CaseFilter, int, error) {
	if len(groupBy) > maxDimensions {
		return model.CaseFilter{}, 0, badInput("groupBy: at most %d dimensions, got %d", maxDimensions, len(groupBy))
	}
	for i, d := range groupBy {
		if slices.Contains(groupBy[:i], d) {
			return model.CaseFilter{}, 0, badInput("groupBy: %s is listed twice", d)
		}
	}
	k := r.threshold
	if threshold != nil {
		if *threshold < r.threshold {
			return model.CaseFilter{}, 0, badInput("suppressionThreshold is below this server's threshold of %d; ask for %d or more", r.threshold, r.threshold)
		}
		if *threshold > maxThreshold {
			return model.CaseFilter{}, 0, badInput("suppressionThreshold is above the largest allowed, %d", maxThreshold)
		}
		k = *threshold
	}
	f, err := r.checkFilter(ctx, filter)
	return f, k, err
}

// maxThreshold bounds a threshold a query may ask for; past it nearly everything is withheld.
const maxThreshold = 1000

// selectsRepeatDefendants reports whether a statistics query asks for repeatDefendants in
// its buckets or total, the one figure that costs a sort of every pseudonym.
func selectsRepeatDefendants(ctx context.Context) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name != "buckets" && f.Name != "total" {
			continue
		}
		for _, g := range graphql.CollectFields(graphql.GetOperationContext(ctx), f.Selections, nil) {
			if g.Name == "repeatDefendants" {
				return true
			}
		}
	}
	return false
}

// statDimensionLabel labels a value of a statistics dimension in lang.
func (r *Resolver) statDimensionLabel(d model.Dimension, code string, lang model.Lang) string {
	switch {
	case d == model.DimensionRegion && code == model.NoValue:
		return noRegionLabel.In(lang)
	case d == model.DimensionRegion:
		if reg := r.ref.Region(code); reg != nil {
			return reg.Names.In(lang)
		}
		return code
	case d == model.DimensionArticle && code != model.NoValue:
		// The code as lang writes it (КоАП 456-2); the grouping has no jurisdiction, so the
		// first code of law of its prefix (the prefixes' abbreviations agree across countries).
		return r.ref.ArticleLabel(r.articleJurisdiction(code), code, lang)
	}
	return model.DimensionLabel(d, code, lang)
}

// articleJurisdiction is the jurisdiction of the reference article of a code, empty when
// the reference list has none (then ArticleLabel takes any code of law of its prefix).
func (r *Resolver) articleJurisdiction(code string) model.Jurisdiction {
	for i := range r.ref.Articles {
		if r.ref.Articles[i].Code == code {
			return r.ref.Articles[i].Jurisdiction
		}
	}
	return ""
}
