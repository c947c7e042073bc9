package graph

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/graph/scalar"
	"github.com/casewatch/casewatch/internal/model"
)

// Exports stream every case that a filter selects, in the case view (model.PublishedView:
// the same generalisation, periods and fine bands as the API; a case the view leaves out
// is not exported), as CSV or NDJSON. The filter is given
// in the query string with the API's names: ?jurisdiction=KZ&categories=FALSE_INFORMATION,
// INSULT_OR_LIBEL&reportedFrom=2024-01-01; lists are comma-separated or repeated.

// exportColumns are the columns of the CSV export, also the keys of the NDJSON one.
var exportColumns = []string{
	"reference", "jurisdiction", "region", "category", "concern", "platform", "article",
	"liability", "stage", "reported_month", "expert_conclusion", "prosecutor_decision",
	"defendant_kind", "court_decision", "decided_month", "sanction", "fine_band",
	"appeal_status", "appeal_decided_month", "appeal_fine_band",
	"cassation_status", "cassation_decided_month", "cassation_fine_band",
	"summary", "generalized", "first_release", "synthetic",
}

const exportPage = 1000

// exportHandler serves /export/cases.csv (format "csv") or /export/cases.ndjson.
func (r *Resolver) exportHandler(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := withLoaders(req.Context(), r.store)
		f, order, err := r.exportQuery(ctx, req.URL.Query())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		releases, err := r.releaseFlags(ctx)
		if err != nil {
			r.log.ErrorContext(ctx, "export", "err", err)
			exportUnavailable(w)
			return
		}
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="casewatch-cases.%s"`, format))
		sw := &startedWriter{w: w}
		var out rowWriter
		if format == "csv" {
			out = newCSVWriter(sw)
		} else {
			out = &ndjsonWriter{enc: json.NewEncoder(sw)}
		}
		if err := r.export(ctx, f, order, releases, out); err != nil {
			r.log.ErrorContext(ctx, "export interrupted", "err", err)
			if !sw.started {
				w.Header().Del("Content-Disposition")
				exportUnavailable(w)
				return
			}
			// The answer has begun: ending it normally would pass a truncated file off
			// as whole. Breaking the connection off tells the client it is not.
			panic(http.ErrAbortHandler)
		}
	})
}

// exportUnavailable answers an export the database could not serve (it is restarting or
// does not answer): 503, to be tried again.
func exportUnavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	http.Error(w, "the cases cannot be read just now; try again shortly", http.StatusServiceUnavailable)
}

// startedWriter notes whether anything of the answer has been written.
type startedWriter struct {
	w       io.Writer
	started bool
}

func (s *startedWriter) Write(p []byte) (int, error) {
	s.started = true
	return s.w.Write(p)
}

func (r *Resolver) export(ctx context.Context, f model.CaseFilter, order model.CaseOrder, releases map[int64]bool, out rowWriter) error {
	var after *model.CaseKey
	for {
		cases, _, next, more, err := r.listCases(ctx, f, order, exportPage, after)
		if err != nil {
			return err
		}
		ids := make([]int64, len(cases))
		for i := range cases {
			ids[i] = cases[i].ID
		}
		appeals, err := r.store.AppealsByCase(ctx, ids)
		if err != nil {
			return err
		}
		for i := range cases {
			if err := out.write(r.exportRow(&cases[i], appeals[cases[i].ID], releases)); err != nil {
				return err
			}
		}
		if err := out.flush(); err != nil {
			return err
		}
		if !more {
			return nil
		}
		after = next // the list's own last key, even if its case went from the store meanwhile
	}
}

// exportRow is one case in the case view, by column.
func (r *Resolver) exportRow(raw *model.Case, appeals []model.Appeal, synthetic map[int64]bool) map[string]string {
	v := raw.PublishedView(appeals, r.ref.FineBand)
	c := &v.Case
	row := map[string]string{
		"reference": c.Reference, "jurisdiction": string(c.Jurisdiction), "region": str(c.RegionCode),
		"category": string(c.Category), "concern": string(c.Concern), "platform": string(c.Platform),
		"article": str(c.ArticleCode), "liability": string(c.Liability), "stage": string(c.Stage),
		"reported_month": c.ReportedOn, "expert_conclusion": str(c.ExpertConclusion),
		"prosecutor_decision": str(c.ProsecutorDecision), "defendant_kind": str(c.DefendantKind),
		"court_decision": str(c.CourtDecision), "decided_month": str(c.CourtOn),
		"sanction": str(c.Sanction), "fine_band": bandLabel(c.FineBand), "summary": str(c.Summary),
		"generalized": c.Generalized, "first_release": strconv.FormatInt(c.FirstReleaseID, 10),
		"synthetic": strconv.FormatBool(synthetic[c.FirstReleaseID]),
	}
	for _, a := range v.Appeals {
		p := strings.ToLower(string(a.Level)) + "_"
		row[p+"status"] = string(a.Status)
		row[p+"decided_month"] = str(a.DecidedOn)
		row[p+"fine_band"] = bandLabel(a.FineBand)
	}
	return row
}

func bandLabel(b *model.FineBand) string {
	if b == nil {
		return ""
	}
	return b.Label()
}

func (r *Resolver) releaseFlags(ctx context.Context) (map[int64]bool, error) {
	out := map[int64]bool{}
	var before int64
	for {
		rels, more, err := r.store.ListReleases(ctx, maxPageSize, before)
		if err != nil {
			return nil, err
		}
		for _, rel := range rels {
			out[rel.ID] = rel.Synthetic
			before = rel.ID
		}
		if !more {
			return out, nil
		}
	}
}

// exportQuery reads a filter and order from a query string, checked as the API checks them.
func (r *Resolver) exportQuery(ctx context.Context, q url.Values) (model.CaseFilter, model.CaseOrder, error) {
	var f model.CaseFilter
	order := model.CaseOrderReportedDesc
	fv := reflect.ValueOf(&f).Elem()
	for key, values := range q {
		var list []string
		for _, v := range values {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					list = append(list, part)
				}
			}
		}
		if key == "orderBy" {
			order = model.CaseOrder(strings.ToUpper(strings.Join(list, "")))
			if !order.Valid() {
				return f, order, errors.New("orderBy: use REPORTED_DESC, REPORTED_ASC, DECIDED_DESC or DECIDED_ASC")
			}
			continue
		}
		field := fv.FieldByNameFunc(func(name string) bool { return strings.EqualFold(name, key) })
		if !field.IsValid() {
			// Not named: an answer never repeats what the request held.
			return f, order, errors.New("an unknown parameter; use the fields of CaseFilter (jurisdiction, regions, categories, …) or orderBy")
		}
		if err := setFilterField(key, field, list); err != nil {
			return f, order, err
		}
	}
	checked, err := r.checkFilter(ctx, &f)
	return checked, order, err
}

// vocabularyOf maps the filter's enumeration types to their vocabularies.
var vocabularyOf = map[reflect.Type]*model.Vocabulary{
	reflect.TypeFor[model.Jurisdiction]():    model.JurisdictionVocabulary,
	reflect.TypeFor[model.ContentCategory](): model.ContentCategoryVocabulary,
	reflect.TypeFor[model.Concern]():         model.ConcernVocabulary,
	reflect.TypeFor[model.Platform]():        model.PlatformVocabulary,
	reflect.TypeFor[model.Liability]():       model.LiabilityVocabulary,
	reflect.TypeFor[model.DefendantKind]():   model.DefendantKindVocabulary,
	reflect.TypeFor[model.CaseStage]():       model.CaseStageVocabulary,
	reflect.TypeFor[model.Decision]():        model.DecisionVocabulary,
	reflect.TypeFor[model.Sanction]():        model.SanctionVocabulary,
	reflect.TypeFor[model.AppealStatus]():    model.AppealStatusVocabulary,
}

func setFilterField(key string, field reflect.Value, values []string) error {
	elem := field.Type()
	isList := elem.Kind() == reflect.Slice
	if isList || elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	if !isList && len(values) != 1 {
		return fmt.Errorf("%s takes one value", key)
	}
	parsed := reflect.MakeSlice(reflect.SliceOf(elem), 0, len(values))
	for _, v := range values {
		if vocab := vocabularyOf[elem]; vocab != nil {
			code, err := vocab.Parse(v)
			if err != nil {
				return fmt.Errorf("%s: a value is not one of its codes (see Query.vocabulary)", key)
			}
			v = code
		} else if strings.HasSuffix(key, "From") || strings.HasSuffix(key, "To") {
			if _, err := scalar.UnmarshalDate(v); err != nil {
				return fmt.Errorf("%s: write a date as YYYY-MM-DD", key)
			}
		}
		parsed = reflect.Append(parsed, reflect.ValueOf(v).Convert(elem))
	}
	if isList {
		field.Set(parsed)
	} else {
		p := reflect.New(elem)
		p.Elem().Set(parsed.Index(0))
		field.Set(p)
	}
	return nil
}

type rowWriter interface {
	write(map[string]string) error
	flush() error
}

type csvWriter struct {
	w      *csv.Writer
	header bool
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: csv.NewWriter(w)} }

func (c *csvWriter) write(row map[string]string) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(exportColumns); err != nil {
			return err
		}
	}
	rec := make([]string, len(exportColumns))
	for i, col := range exportColumns {
		rec[i] = row[col]
	}
	return c.w.Write(rec)
}

func (c *csvWriter) flush() error {
	if !c.header { // an empty export still has its header
		c.header = true
		if err := c.w.Write(exportColumns); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

type ndjsonWriter struct{ enc *json.Encoder }

func (n *ndjsonWriter) write(row map[string]string) error {
	obj := make(map[string]any, len(row))
	for k, v := range row {
		if v != "" {
			obj[k] = v
		}
	}
	return n.enc.Encode(obj)
}

func (n *ndjsonWriter) flush() error { return nil }

func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
