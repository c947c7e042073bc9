package graph

import (
	"context"
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
		x, err := r.exportQuery(ctx, req.URL.Query())
		if err != nil {
			http.Error(w, clientMessage(err), http.StatusBadRequest)
			return
		}
		releases, err := r.releaseFlags(ctx)
		if err == nil {
			x.release, err = r.currentRelease(ctx)
		}
		if err != nil {
			r.log.ErrorContext(ctx, "export", "err", err)
			exportUnavailable(w)
			return
		}
		setExportHeaders(w, "cases", format, x.release)
		sw := &startedWriter{w: w}
		var out rowWriter
		if format == "csv" {
			out = &csvWriter{w: newRecordWriter(sw, x.bom), columns: x.columns()}
		} else {
			out = &ndjsonWriter{enc: json.NewEncoder(sw)}
		}
		if err := r.export(ctx, x, releases, out); err != nil {
			r.log.ErrorContext(ctx, "export interrupted", "err", err)
			if !sw.started {
				for _, h := range []string{"Content-Disposition", "Link", "X-Casewatch-Release", "X-Casewatch-Licence"} {
					w.Header().Del(h)
				}
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

func (r *Resolver) export(ctx context.Context, x caseExport, releases map[int64]bool, out rowWriter) error {
	var after *model.CaseKey
	for {
		cases, _, next, more, err := r.listCases(ctx, x.filter, x.order, exportPage, after)
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
			if err := out.write(r.exportRow(&cases[i], appeals[cases[i].ID], releases, x.labels)); err != nil {
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

// exportRow is one case in the case view, by column; with labels, each coded column's
// label in that language too.
func (r *Resolver) exportRow(raw *model.Case, appeals []model.Appeal, synthetic map[int64]bool, labels *model.Lang) map[string]string {
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
	if labels != nil {
		for col, vocab := range labelledColumns {
			if code := row[col]; code != "" {
				row[col+"_label"] = r.columnLabel(col, vocab, code, *labels)
			}
		}
		// Codes of law and index units as the language abbreviates them.
		if c.ArticleCode != nil {
			row["article_label"] = r.ref.ArticleLabel(c.Jurisdiction, *c.ArticleCode, *labels)
		}
		if c.FineBand != nil {
			row["fine_band_label"] = c.FineBand.LabelIn(*labels)
		}
	}
	return row
}

// labelledColumns are the case export's coded columns and their vocabularies (nil for
// regions, named from the reference data): with lang=, each gets a <column>_label column
// after it.
var labelledColumns = map[string]*model.Vocabulary{
	"jurisdiction": model.JurisdictionVocabulary, "region": nil, "category": model.ContentCategoryVocabulary,
	"concern": model.ConcernVocabulary, "platform": model.PlatformVocabulary, "liability": model.LiabilityVocabulary,
	"stage": model.CaseStageVocabulary, "expert_conclusion": model.ExpertConclusionVocabulary,
	"prosecutor_decision": model.ProsecutorDecisionVocabulary, "defendant_kind": model.DefendantKindVocabulary,
	"court_decision": model.DecisionVocabulary, "sanction": model.SanctionVocabulary,
	"appeal_status": model.AppealStatusVocabulary, "cassation_status": model.AppealStatusVocabulary,
}

func (r *Resolver) columnLabel(col string, vocab *model.Vocabulary, code string, lang model.Lang) string {
	if vocab == nil {
		return r.statDimensionLabel(model.DimensionRegion, code, lang)
	}
	return vocab.Label(code, lang)
}

// columns are the CSV's column codes and header texts: the codes alone by default, the
// same as the NDJSON keys; with lang=, "Label (code)" and a label column after each coded
// column.
func (x caseExport) columns() []exportColumn {
	out := make([]exportColumn, 0, 2*len(exportColumns))
	for _, c := range exportColumns {
		if x.labels == nil {
			out = append(out, exportColumn{c, c})
			continue
		}
		lang := *x.labels
		out = append(out, exportColumn{c, caseColumnLabels[c].In(lang) + " (" + c + ")"})
		if _, ok := labelledColumns[c]; ok || c == "article" || c == "fine_band" {
			out = append(out, exportColumn{c + "_label", caseColumnLabels[c].In(lang) + ", " + labelSuffix.In(lang) + " (" + c + "_label)"})
		}
	}
	return out
}

// exportColumn is a CSV column: the key of its value and its header text.
type exportColumn struct{ key, header string }

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

// exportQuery reads a case export's filter, order, lang and bom from a query string,
// checked as the API checks them.
func (r *Resolver) exportQuery(ctx context.Context, q url.Values) (caseExport, error) {
	x := caseExport{order: model.CaseOrderReportedDesc}
	f, err := parseFilterQuery(q, func(key string, list []string) (bool, error) {
		switch key {
		case "orderBy":
			x.order = model.CaseOrder(strings.ToUpper(strings.Join(list, "")))
			if !x.order.Valid() {
				return true, errors.New("orderBy: use REPORTED_DESC, REPORTED_ASC, DECIDED_DESC or DECIDED_ASC")
			}
		case "lang", "bom":
			return parseFileOption(key, list, &x.labels, &x.bom)
		default:
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return x, err
	}
	x.filter, err = r.checkFilter(ctx, &f)
	return x, err
}

// caseExport is a case export's question.
type caseExport struct {
	filter model.CaseFilter
	order  model.CaseOrder
	// labels is the language asked for with lang=, nil without.
	labels  *model.Lang
	bom     bool
	release *model.Release
}

// parseFileOption reads lang= (KK, KY, RU or EN: headers and label columns in that
// language) or bom= (1 to start a CSV with a byte-order mark, which spreadsheet programs
// need to read UTF-8 as such) into lang or bom.
func parseFileOption(key string, list []string, lang **model.Lang, bom *bool) (bool, error) {
	v, err := oneValue(key, list)
	if err != nil {
		return true, err
	}
	switch key {
	case "lang":
		code, err := model.LangVocabulary.Parse(v)
		if err != nil {
			return true, errors.New("lang: use KK, KY, RU or EN")
		}
		l := model.Lang(code)
		*lang = &l
	case "bom":
		if v != "0" && v != "1" {
			return true, errors.New("bom: 1 or 0")
		}
		*bom = v == "1"
	}
	return true, nil
}

// parseFilterQuery reads a CaseFilter from a query string with the API's field names;
// lists are comma-separated or repeated. other is asked first about every key and says
// whether it took it.
func parseFilterQuery(q url.Values, other func(key string, list []string) (bool, error)) (model.CaseFilter, error) {
	var f model.CaseFilter
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
		if took, err := other(key, list); took || err != nil {
			if err != nil {
				return f, err
			}
			continue
		}
		field := fv.FieldByNameFunc(func(name string) bool { return strings.EqualFold(name, key) })
		if !field.IsValid() {
			// Not named: an answer never repeats what the request held.
			return f, errors.New("an unknown parameter; use the arguments of the query and the fields of CaseFilter (jurisdiction, regions, categories, …)")
		}
		if field.Kind() != reflect.Slice {
			// One value, as written: a search may hold commas.
			list = nil
			for _, v := range values {
				if v = strings.TrimSpace(v); v != "" {
					list = append(list, v)
				}
			}
		}
		if err := setFilterField(key, field, list); err != nil {
			return f, err
		}
	}
	return f, nil
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

// csvWriter writes rows under a header of columns.
type csvWriter struct {
	w       *recordWriter
	columns []exportColumn
	header  bool
}

func (c *csvWriter) writeHeader() error {
	c.header = true
	h := make([]string, len(c.columns))
	for i, col := range c.columns {
		h[i] = col.header
	}
	return c.w.write(h)
}

func (c *csvWriter) write(row map[string]string) error {
	if !c.header {
		if err := c.writeHeader(); err != nil {
			return err
		}
	}
	rec := make([]string, len(c.columns))
	for i, col := range c.columns {
		rec[i] = row[col.key]
	}
	return c.w.write(rec)
}

func (c *csvWriter) flush() error {
	if !c.header { // an empty export still has its header
		if err := c.writeHeader(); err != nil {
			return err
		}
	}
	return c.w.flush()
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
