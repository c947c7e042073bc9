package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/stats"
)

// Statistics exports serve the figures of one `statistics` question as a file:
// /export/statistics.csv and /export/statistics.json take the query's arguments in the
// query string with the API's names (groupBy=REGION,CATEGORY&interval=YEAR&
// suppressionThreshold=10&jurisdiction=KZ&categories=FALSE_INFORMATION) and answer
// exactly what the query answers: the same engine, the same perturbation and the same
// withheld figures. A withheld figure is an empty cell (null in JSON), and the row's
// "withheld" column says which figures are withheld and why, by one of withheldReasons.

// Why a figure is withheld. The portal shows the same reasons.
const (
	// withheldBelowK: the figure's (perturbed) count is below the threshold k.
	withheldBelowK = "below_threshold"
	// withheldTooFewValues: a median, percentile or rate needs more values than the
	// bucket has (a median at least 10, a rate k on each side, repeat defendants a
	// bucket of minRepeatDefendantCases).
	withheldTooFewValues = "too_few_values"
	// withheldNoPopulation: no population is known to divide by.
	withheldNoPopulation = "no_population"
	// withheldNotApplicable: the figure has no meaning for the grouping (a rate per
	// inhabitant of a category).
	withheldNotApplicable = "not_applicable"
)

// statColumn is one figure of a bucket: its column name (the code), its label per
// language, and how it is read from a bucket (nil when withheld).
type statColumn struct {
	code   string
	labels model.Labels
	value  func(b *model.StatBucket) any
	// reason says why a null value is withheld.
	reason func(b *model.StatBucket, groupBy []model.Dimension) string
}

func belowK(*model.StatBucket, []model.Dimension) string       { return withheldBelowK }
func tooFewValues(*model.StatBucket, []model.Dimension) string { return withheldTooFewValues }

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func floatOrNil(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// statColumns are the figures of an exported bucket, in the API's order.
var statColumns = []statColumn{
	{"count", model.Labels{KK: "Істер (хабарлама күні бойынша)", KY: "Иштер (билдирүү күнү боюнча)", RU: "Дела (по дате сообщения)", EN: "Cases (by report date)"},
		func(b *model.StatBucket) any { return intOrNil(b.Count) }, belowK},
	{"liable", model.Labels{KK: "Жауапты деп танылды (шешім күні бойынша)", KY: "Жоопкер деп табылды (чечим күнү боюнча)", RU: "Признаны виновными (по дате решения)", EN: "Found liable (by decision date)"},
		func(b *model.StatBucket) any { return intOrNil(b.Liable) }, belowK},
	{"fined", model.Labels{KK: "Айыппұл салынды (шешім күні бойынша)", KY: "Айып пул салынды (чечим күнү боюнча)", RU: "Оштрафованы (по дате решения)", EN: "Fined (by decision date)"},
		func(b *model.StatBucket) any { return intOrNil(b.Fined) }, belowK},
	{"appealed", model.Labels{KK: "Шағымданылды (шешім күні бойынша)", KY: "Даттанылды (чечим күнү боюнча)", RU: "Обжалованы (по дате решения)", EN: "Appealed (by decision date)"},
		func(b *model.StatBucket) any { return intOrNil(b.Appealed) }, belowK},
	{"appeals_succeeded", model.Labels{KK: "Шағым нәтижелі болды (шешім күні бойынша)", KY: "Даттануу натыйжалуу болду (чечим күнү боюнча)", RU: "Обжалованы успешно (по дате решения)", EN: "Appeals succeeded (by decision date)"},
		func(b *model.StatBucket) any { return intOrNil(b.AppealsSucceeded) }, belowK},
	{"median_days_to_decision", model.Labels{KK: "Шешімге дейінгі күндер медианасы", KY: "Чечимге чейинки күндөрдүн медианасы", RU: "Медиана дней до решения", EN: "Median days to decision"},
		func(b *model.StatBucket) any { return floatOrNil(b.MedianDaysToDecision) }, tooFewValues},
	{"prosecutor_rejection_rate", model.Labels{KK: "Прокурор қабылдамаған үлес", KY: "Прокурор четке каккан үлүш", RU: "Доля отклонённых прокурором", EN: "Share rejected by the prosecutor"},
		func(b *model.StatBucket) any { return floatOrNil(b.ProsecutorRejectionRate) }, tooFewValues},
	{"expert_no_offence_rate", model.Labels{KK: "Сарапшы құқық бұзушылық таппаған үлес", KY: "Эксперт укук бузууну тапкан эмес үлүш", RU: "Доля заключений экспертов без нарушения", EN: "Share of expert findings of no offence"},
		func(b *model.StatBucket) any { return floatOrNil(b.ExpertNoOffenceRate) }, tooFewValues},
	{"repeat_defendants", model.Labels{KK: "Қайталанған жауапкерлер", KY: "Кайталанган жоопкерлер", RU: "Повторные ответчики", EN: "Repeat defendants"},
		func(b *model.StatBucket) any { return intOrNil(b.RepeatDefendants) }, tooFewValues},
	{"count_per_100k", model.Labels{KK: "100 000 тұрғынға шаққандағы істер", KY: "100 000 тургунга эсептегенде иштер", RU: "Дела на 100 000 жителей", EN: "Cases per 100,000 inhabitants"},
		func(b *model.StatBucket) any { return floatOrNil(b.CountPer100k) }, per100kReason},
	{"liable_per_100k", model.Labels{KK: "100 000 тұрғынға шаққанда жауапты деп танылғандар", KY: "100 000 тургунга эсептегенде жоопкер деп табылгандар", RU: "Признаны виновными на 100 000 жителей", EN: "Found liable per 100,000 inhabitants"},
		func(b *model.StatBucket) any { return floatOrNil(b.LiablePer100k) }, liablePer100kReason},
	{"fined_per_100k", model.Labels{KK: "100 000 тұрғынға шаққанда айыппұл салынғандар", KY: "100 000 тургунга эсептегенде айып пул салынгандар", RU: "Оштрафованы на 100 000 жителей", EN: "Fined per 100,000 inhabitants"},
		func(b *model.StatBucket) any { return floatOrNil(b.FinedPer100k) }, finedPer100kReason},
	{"population_year", model.Labels{KK: "Халық саны жылы", KY: "Калктын саны жылы", RU: "Год численности населения", EN: "Population year"},
		func(b *model.StatBucket) any { return intOrNil(b.PopulationYear) }, per100kReason},
}

func per100kReason(b *model.StatBucket, groupBy []model.Dimension) string {
	return rateReason(b.Count, groupBy)
}

func liablePer100kReason(b *model.StatBucket, groupBy []model.Dimension) string {
	return rateReason(b.Liable, groupBy)
}

func finedPer100kReason(b *model.StatBucket, groupBy []model.Dimension) string {
	return rateReason(b.Fined, groupBy)
}

// rateReason says why a figure per 100,000 inhabitants of count is withheld.
func rateReason(count *int, groupBy []model.Dimension) string {
	switch {
	case count == nil:
		return withheldBelowK
	case !hasPopulation(groupBy):
		return withheldNotApplicable
	}
	return withheldNoPopulation
}

// hasPopulation reports whether a grouping has a population to divide by (see
// StatBucket.countPer100k).
func hasPopulation(groupBy []model.Dimension) bool {
	for _, d := range groupBy {
		if d == model.DimensionRegion || d == model.DimensionJurisdiction {
			continue
		}
		return false
	}
	return len(groupBy) > 0
}

// fineColumns are the figures of one currency's fines, named fines_<currency>_<figure>.
var fineColumns = []struct {
	code   string
	labels model.Labels
	value  func(f *model.FineStats) any
	reason string
}{
	{"count", model.Labels{KK: "айыппұлдар саны", KY: "айып пулдардын саны", RU: "число штрафов", EN: "fines"}, func(f *model.FineStats) any { return intOrNil(f.Count) }, withheldBelowK},
	{"total", model.Labels{KK: "жиыны", KY: "жалпы суммасы", RU: "сумма", EN: "total"}, func(f *model.FineStats) any { return intOrNil(f.Total) }, withheldBelowK},
	{"mean", model.Labels{KK: "орташа", KY: "орточо", RU: "среднее", EN: "mean"}, func(f *model.FineStats) any { return floatOrNil(f.Mean) }, withheldBelowK},
	{"median", model.Labels{KK: "медиана", KY: "медиана", RU: "медиана", EN: "median"}, func(f *model.FineStats) any { return floatOrNil(f.Median) }, withheldTooFewValues},
	{"p90", model.Labels{KK: "90-перцентиль", KY: "90-перцентиль", RU: "90-й процентиль", EN: "90th percentile"}, func(f *model.FineStats) any { return floatOrNil(f.P90) }, withheldTooFewValues},
	{"min", model.Labels{KK: "ең кіші жиі сома", KY: "эң аз көп кездешкен сумма", RU: "наименьшая частая сумма", EN: "smallest common amount"}, func(f *model.FineStats) any { return intOrNil(f.Min) }, withheldTooFewValues},
	{"max", model.Labels{KK: "ең үлкен жиі сома", KY: "эң чоң көп кездешкен сумма", RU: "наибольшая частая сумма", EN: "largest common amount"}, func(f *model.FineStats) any { return intOrNil(f.Max) }, withheldTooFewValues},
}

// exportCurrencies are the currencies whose fines have columns, in this order.
var exportCurrencies = []string{"KZT", "KGS"}

var (
	periodLabels   = model.Labels{KK: "Кезең", KY: "Мезгил", RU: "Период", EN: "Period"}
	withheldLabels = model.Labels{KK: "Жарияланбаған көрсеткіштер", KY: "Жарыяланбаган көрсөткүчтөр", RU: "Скрытые показатели", EN: "Withheld figures"}
	labelSuffix    = model.Labels{KK: "атауы", KY: "аталышы", RU: "название", EN: "label"}
)

// statisticsQuery is a statistics question read from a query string.
type statisticsQuery struct {
	request stats.Request
	// labels is the language asked for with lang=, nil without.
	labels *model.Lang
	bom    bool
}

// statisticsExportQuery reads the statistics arguments, lang and bom from a query string,
// checked as the API checks them.
func (r *Resolver) statisticsExportQuery(ctx context.Context, q url.Values) (statisticsQuery, error) {
	var out statisticsQuery
	var threshold *int
	var groupBy []model.Dimension
	var interval *model.Interval
	f, err := parseFilterQuery(q, func(key string, list []string) (bool, error) {
		switch key {
		case "groupBy": // none: the total (per period with an interval), as groupBy: [] asks
			for _, v := range list {
				d, err := model.DimensionVocabulary.Parse(v)
				if err != nil {
					return true, errors.New("groupBy: a value is not a Dimension (see Query.vocabulary)")
				}
				groupBy = append(groupBy, model.Dimension(d))
			}
		case "interval":
			v, err := oneValue(key, list)
			if err != nil {
				return true, err
			}
			iv := model.Interval(strings.ToUpper(v))
			if iv != model.IntervalYear && iv != model.IntervalQuarter && iv != model.IntervalMonth {
				return true, errors.New("interval: use YEAR, QUARTER or MONTH")
			}
			interval = &iv
		case "suppressionThreshold":
			v, err := oneValue(key, list)
			if err != nil {
				return true, err
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return true, errors.New("suppressionThreshold: a whole number")
			}
			threshold = &n
		case "lang", "bom":
			return parseFileOption(key, list, &out.labels, &out.bom)
		default:
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return out, err
	}
	checked, k, err := r.checkStatistics(ctx, &f, groupBy, threshold)
	if err != nil {
		return out, err
	}
	out.request = stats.Request{Filter: checked, GroupBy: groupBy, Interval: interval, K: k, RepeatDefendants: true}
	return out, nil
}

func oneValue(key string, list []string) (string, error) {
	if len(list) != 1 {
		return "", fmt.Errorf("%s takes one value", key)
	}
	return list[0], nil
}

// statisticsExportHandler serves /export/statistics.csv (format "csv") or .json.
func (r *Resolver) statisticsExportHandler(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		sq, err := r.statisticsExportQuery(ctx, req.URL.Query())
		if err != nil {
			http.Error(w, clientMessage(err), http.StatusBadRequest)
			return
		}
		release, err := r.currentRelease(ctx)
		if err != nil {
			r.log.ErrorContext(ctx, "statistics export", "err", err)
			exportUnavailable(w)
			return
		}
		out, err := r.engine.Statistics(ctx, sq.request)
		var tooMany *stats.TooManyBucketsError
		if errors.As(err, &tooMany) {
			http.Error(w, tooMany.Error(), http.StatusBadRequest)
			return
		}
		if err != nil {
			r.log.ErrorContext(ctx, "statistics export", "err", err)
			exportUnavailable(w)
			return
		}
		setExportHeaders(w, "statistics", format, release)
		table := newStatisticsTable(r, sq, out)
		if format == "csv" {
			err = table.writeCSV(w, sq.bom)
		} else {
			err = table.writeJSON(w, release)
		}
		if err != nil {
			r.log.ErrorContext(ctx, "statistics export interrupted", "err", err)
			panic(http.ErrAbortHandler) // see exportHandler: never pass a cut file off as whole
		}
	})
}

// clientMessage is the text of an input error for an HTTP answer: a clientError's message
// (without its GraphQL wrapping), else the error's own.
func clientMessage(err error) string {
	var ce *clientError
	if errors.As(err, &ce) {
		return ce.msg
	}
	return err.Error()
}

// statisticsTable is a statistics answer laid out as rows.
type statisticsTable struct {
	r          *Resolver
	q          statisticsQuery
	stats      *model.Statistics
	currencies []string
}

func newStatisticsTable(r *Resolver, q statisticsQuery, s *model.Statistics) *statisticsTable {
	t := &statisticsTable{r: r, q: q, stats: s}
	seen := map[string]bool{}
	for _, b := range s.Buckets {
		for _, f := range b.Fines {
			seen[f.Currency] = true
		}
	}
	for _, c := range exportCurrencies {
		if seen[c] {
			t.currencies = append(t.currencies, c)
		}
	}
	return t
}

// columns are the table's column codes and their headers: the codes alone by default;
// with lang=, "Label (code)" in that language, so a reader sees words and a program finds
// its column, and a label column after each grouped dimension.
func (t *statisticsTable) columns() (codes, headers []string) {
	lang := model.LangEN
	if t.q.labels != nil {
		lang = *t.q.labels
	}
	add := func(code, label string) {
		codes = append(codes, code)
		if t.q.labels == nil {
			headers = append(headers, code)
		} else {
			headers = append(headers, label+" ("+code+")")
		}
	}
	for _, d := range t.q.request.GroupBy {
		name := strings.ToLower(string(d))
		label := model.DimensionVocabulary.Label(string(d), lang)
		add(name, label)
		if t.q.labels != nil {
			add(name+"_label", label+", "+labelSuffix.In(lang))
		}
	}
	if t.q.request.Interval != nil {
		add("period", periodLabels.In(lang))
	}
	for _, c := range statColumns {
		add(c.code, c.labels.In(lang))
	}
	for _, cur := range t.currencies {
		for _, c := range fineColumns {
			add("fines_"+strings.ToLower(cur)+"_"+c.code, cur+", "+c.labels.In(lang))
		}
	}
	add("withheld", withheldLabels.In(lang))
	return codes, headers
}

// row is one bucket's values by column code (nil for a withheld figure) and the reasons
// of its withheld figures, as "figure:reason" in column order.
func (t *statisticsTable) row(b *model.StatBucket) (map[string]any, []string) {
	vals := map[string]any{}
	var withheld []string
	for _, k := range b.Key {
		name := strings.ToLower(string(k.Dimension))
		vals[name] = k.Code
		if t.q.labels != nil {
			vals[name+"_label"] = t.r.statDimensionLabel(k.Dimension, k.Code, *t.q.labels)
		}
	}
	if b.Period != nil {
		vals["period"] = *b.Period
	}
	for _, c := range statColumns {
		v := c.value(b)
		vals[c.code] = v
		if v == nil {
			withheld = append(withheld, c.code+":"+c.reason(b, t.q.request.GroupBy))
		}
	}
	for _, cur := range t.currencies {
		var fs *model.FineStats
		for _, f := range b.Fines {
			if f.Currency == cur {
				fs = f
			}
		}
		for _, c := range fineColumns {
			code := "fines_" + strings.ToLower(cur) + "_" + c.code
			if fs == nil {
				vals[code] = nil // no fine of this currency in the bucket's jurisdiction
				continue
			}
			v := c.value(fs)
			vals[code] = v
			if v == nil {
				reason := c.reason
				if fs.Count == nil {
					reason = withheldBelowK
				}
				withheld = append(withheld, code+":"+reason)
			}
		}
	}
	return vals, withheld
}

func (t *statisticsTable) writeCSV(w io.Writer, bom bool) error {
	cw := newRecordWriter(w, bom)
	codes, headers := t.columns()
	if err := cw.write(headers); err != nil {
		return err
	}
	rec := make([]string, len(codes))
	for _, b := range t.stats.Buckets {
		vals, withheld := t.row(b)
		vals["withheld"] = strings.Join(withheld, " ")
		for i, c := range codes {
			rec[i] = csvValue(vals[c])
		}
		if err := cw.write(rec); err != nil {
			return err
		}
	}
	return cw.flush()
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// writeJSON writes one document: the release, the question, the columns and a row object
// per bucket (withheld figures null, "withheld" an object of figure → reason).
func (t *statisticsTable) writeJSON(w io.Writer, release *model.Release) error {
	codes, headers := t.columns()
	cols := make([]map[string]string, 0, len(codes)-1)
	for i, c := range codes[:len(codes)-1] {
		cols = append(cols, map[string]string{"code": c, "header": headers[i]})
	}
	rows := make([]map[string]any, 0, len(t.stats.Buckets))
	for _, b := range t.stats.Buckets {
		vals, withheld := t.row(b)
		reasons := map[string]string{}
		for _, x := range withheld {
			fig, why, _ := strings.Cut(x, ":")
			reasons[fig] = why
		}
		vals["withheld"] = reasons
		rows = append(rows, vals)
	}
	doc := map[string]any{
		"release":   exportRelease(release),
		"licence":   DataLicence,
		"citation":  citation(release),
		"groupBy":   t.q.request.GroupBy,
		"interval":  t.q.request.Interval,
		"threshold": t.q.request.K,
		"perturbed": t.stats.Perturbed,
		"columns":   cols,
		"rows":      rows,
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
