package graph

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
)

// What every exported file says about itself: the release it holds and the licence under
// which anyone may reuse it.
const (
	// DataLicence is the SPDX identifier of the licence of the published data.
	DataLicence = "CC-BY-4.0"
	// DataLicenceURL is its text.
	DataLicenceURL = "https://creativecommons.org/licenses/by/4.0/"
)

// citation is how to cite the data of a release.
func citation(rel *model.Release) string {
	if rel == nil {
		return "casewatch, no release published yet"
	}
	return fmt.Sprintf("casewatch, release %d of %s, CC BY 4.0", rel.Version(), releaseDate(rel))
}

func releaseDate(rel *model.Release) string {
	if len(rel.PublishedAt) >= 10 {
		return rel.PublishedAt[:10]
	}
	return rel.PublishedAt
}

// exportRelease is the release as a JSON document names it.
func exportRelease(rel *model.Release) any {
	if rel == nil {
		return nil
	}
	return map[string]any{"version": rel.Version(), "publishedAt": rel.PublishedAt, "synthetic": rel.Synthetic}
}

// currentRelease is the latest release, nil when none has been published.
func (r *Resolver) currentRelease(ctx context.Context) (*model.Release, error) {
	rel, err := r.store.CurrentRelease(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return rel, err
}

// setExportHeaders names an export file (casewatch-<what>-r<version>-<release date>-
// CC-BY-4.0.<format>: a file saved without its page still says which release it holds and
// under which licence) and states release, licence and citation in headers.
func setExportHeaders(w http.ResponseWriter, what, format string, rel *model.Release) {
	types := map[string]string{
		"csv":    "text/csv; charset=utf-8; header=present",
		"ndjson": "application/x-ndjson; charset=utf-8",
		"json":   "application/json; charset=utf-8",
	}
	w.Header().Set("Content-Type", types[format])
	version, date := 0, "none"
	if rel != nil {
		version, date = rel.Version(), releaseDate(rel)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="casewatch-%s-r%d-%s-%s.%s"`, what, version, date, DataLicence, format))
	w.Header().Set("X-Casewatch-Citation", citation(rel))
	w.Header().Set("X-Casewatch-Release", strconv.Itoa(version))
	w.Header().Set("X-Casewatch-Licence", DataLicence)
	w.Header().Add("Link", "<"+DataLicenceURL+`>; rel="license"`)
}

// recordWriter writes RFC 4180 records (CRLF line ends, quotes where needed) in UTF-8,
// after a byte-order mark when asked: spreadsheet programs read a CSV without one in the
// machine's legacy code page, which turns Kazakh and Russian into mojibake.
type recordWriter struct {
	w       *csv.Writer
	out     io.Writer
	bom     bool
	started bool
}

func newRecordWriter(w io.Writer, bom bool) *recordWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &recordWriter{w: cw, out: w, bom: bom}
}

func (c *recordWriter) write(rec []string) error {
	if !c.started {
		c.started = true
		if c.bom {
			if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
				return err
			}
		}
	}
	return c.w.Write(rec)
}

func (c *recordWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

// caseColumnLabels are the headers of the case export's columns with lang=.
var caseColumnLabels = map[string]model.Labels{
	"reference":               {KK: "Сілтеме", KY: "Шилтеме", RU: "Номер", EN: "Reference"},
	"jurisdiction":            {KK: "Ел", KY: "Өлкө", RU: "Страна", EN: "Country"},
	"region":                  {KK: "Өңір", KY: "Аймак", RU: "Регион", EN: "Region"},
	"category":                {KK: "Санат", KY: "Категория", RU: "Категория", EN: "Category"},
	"concern":                 {KK: "Мәселе түрі", KY: "Маселенин түрү", RU: "Тип нарушения", EN: "Concern"},
	"platform":                {KK: "Платформа", KY: "Платформа", RU: "Платформа", EN: "Platform"},
	"article":                 {KK: "Бап", KY: "Берене", RU: "Статья", EN: "Article"},
	"liability":               {KK: "Жауапкершілік", KY: "Жоопкерчилик", RU: "Ответственность", EN: "Liability"},
	"stage":                   {KK: "Кезең", KY: "Баскыч", RU: "Стадия", EN: "Stage"},
	"reported_month":          {KK: "Хабарланған кезең", KY: "Билдирилген мезгил", RU: "Период сообщения", EN: "Reported (period)"},
	"expert_conclusion":       {KK: "Сарапшы қорытындысы", KY: "Эксперттин корутундусу", RU: "Заключение эксперта", EN: "Expert conclusion"},
	"prosecutor_decision":     {KK: "Прокурор шешімі", KY: "Прокурордун чечими", RU: "Решение прокурора", EN: "Prosecutor's decision"},
	"defendant_kind":          {KK: "Жауапкер түрі", KY: "Жоопкердин түрү", RU: "Тип ответчика", EN: "Defendant kind"},
	"court_decision":          {KK: "Сот шешімі", KY: "Соттун чечими", RU: "Решение суда", EN: "Court decision"},
	"decided_month":           {KK: "Шешім кезеңі", KY: "Чечимдин мезгили", RU: "Период решения", EN: "Decided (period)"},
	"sanction":                {KK: "Жаза", KY: "Жаза", RU: "Наказание", EN: "Sanction"},
	"fine_band":               {KK: "Айыппұл аралығы", KY: "Айып пулдун аралыгы", RU: "Диапазон штрафа", EN: "Fine band"},
	"appeal_status":           {KK: "Апелляция", KY: "Апелляция", RU: "Апелляция", EN: "Appeal"},
	"appeal_decided_month":    {KK: "Апелляция шешімінің кезеңі", KY: "Апелляциялык чечимдин мезгили", RU: "Период решения апелляции", EN: "Appeal decided (period)"},
	"appeal_fine_band":        {KK: "Апелляциядан кейінгі айыппұл аралығы", KY: "Апелляциядан кийинки айып пулдун аралыгы", RU: "Диапазон штрафа после апелляции", EN: "Fine band after appeal"},
	"cassation_status":        {KK: "Кассация", KY: "Кассация", RU: "Кассация", EN: "Cassation"},
	"cassation_decided_month": {KK: "Кассация шешімінің кезеңі", KY: "Кассациялык чечимдин мезгили", RU: "Период решения кассации", EN: "Cassation decided (period)"},
	"cassation_fine_band":     {KK: "Кассациядан кейінгі айыппұл аралығы", KY: "Кассациядан кийинки айып пулдун аралыгы", RU: "Диапазон штрафа после кассации", EN: "Fine band after cassation"},
	"summary":                 {KK: "Қысқаша мазмұны", KY: "Кыскача мазмуну", RU: "Краткое содержание", EN: "Summary"},
	"generalized":             {KK: "Жалпыланған өрістер", KY: "Жалпыланган талаалар", RU: "Обобщённые поля", EN: "Generalised fields"},
	"first_release":           {KK: "Алғашқы шығарылым", KY: "Биринчи чыгарылыш", RU: "Первый выпуск", EN: "First release"},
	"synthetic":               {KK: "Синтетикалық деректер", KY: "Синтетикалык маалыматтар", RU: "Синтетические данные", EN: "Synthetic data"},
}
