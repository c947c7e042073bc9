package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// tableDownloadJS reads every table in #main: the download link next to it (in the
// .table-download right after its .table-wrap), the table's rows as a reader sees them (a
// cell's data-value where it has one, else its text without what only screen readers
// get, a withheld or empty mark an empty cell) and, after a click on the link (its
// navigation cancelled), the file the link offers, read through its blob: address.
const tableDownloadJS = `(async () => {
	const seen = (cell) => {
		if (cell.dataset.value !== undefined && cell.dataset.value !== '') return cell.dataset.value;
		const c = cell.cloneNode(true);
		c.querySelectorAll('.visually-hidden').forEach((e) => e.remove());
		c.querySelectorAll('.withheld, .empty').forEach((e) => e.replaceChildren());
		return c.textContent.replace(/[ \t\n\r\f]+/g, ' ').trim();
	};
	const out = [];
	for (const table of document.querySelectorAll('#main table')) {
		const wrap = table.closest('.table-wrap');
		const box = wrap && wrap.nextElementSibling;
		const a = box && box.matches('.table-download') ? box.querySelector('a.table-download-link') : null;
		const row = {
			caption: (table.caption ? table.caption.textContent : '') || table.className,
			rows: Array.from(table.querySelectorAll('thead tr, tbody tr, tfoot tr')).map((tr) => Array.from(tr.cells).map(seen)),
			link: !!a,
		};
		if (a) {
			const r = a.getBoundingClientRect();
			row.right = Math.round(r.right);
			row.focusable = a.tabIndex >= 0 && a.hasAttribute('href');
			row.name = a.getAttribute('download');
			row.label = a.textContent.trim();
			document.addEventListener('click', (e) => e.preventDefault(), { once: true });
			a.click();
			row.href = a.href;
			const res = await fetch(a.href);
			row.type = res.headers.get('content-type') || '';
			const bytes = new Uint8Array(await res.arrayBuffer());
			row.text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
		}
		out.push(row);
	}
	return out;
})()`

type shownTable struct {
	Caption   string     `json:"caption"`
	Rows      [][]string `json:"rows"`
	Link      bool       `json:"link"`
	Right     int        `json:"right"`
	Focusable bool       `json:"focusable"`
	Name      string     `json:"name"`
	Label     string     `json:"label"`
	Href      string     `json:"href"`
	Type      string     `json:"type"`
	Text      string     `json:"text"`
}

// TestTablesDownloadAsShown: in Kazakh on a phone, every table of the releases, the sources
// and a case page has a link next to it that downloads the table as an RFC 4180 CSV (a
// byte-order mark, CRLF line ends) whose rows and cells are the ones the table shows.
func TestTablesDownloadAsShown(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "tables.db"), "DEMO_CASES": "3000"})

	// A case with appeals: its page has a table (few cases publish theirs; 600 may have none).
	_, body := s.graphql(t, `{ cases(first: 100, filter: {appealStatuses: [PENDING, UPHELD, OVERTURNED, MODIFIED, REMANDED, WITHDRAWN]}) { edges { node { reference appeals { status } } } } }`)
	var found struct {
		Data struct {
			Cases struct {
				Edges []struct {
					Node struct {
						Reference string            `json:"reference"`
						Appeals   []json.RawMessage `json:"appeals"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"cases"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &found); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	ref := ""
	for _, e := range found.Data.Cases.Edges {
		if len(e.Node.Appeals) > 0 {
			ref = e.Node.Reference
			break
		}
	}
	if ref == "" {
		t.Fatalf("no case with appeals: %s", body)
	}

	ctx, noScriptErrors := browser(t)
	do := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	// The test reads the blob: file with fetch, which the portal's policy (connect-src
	// 'self') does not allow the page itself; the portal never does.
	do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	}))

	name := regexp.MustCompile(`^casewatch-[A-Za-z0-9_-]+-kk\.csv$`)
	for _, v := range []struct {
		view   string
		tables int
	}{{"releases", 1}, {"sources", 5}, {"case/" + ref, 1}} {
		do(chromedp.Navigate(s.url + "/#/" + v.view))
		do(chromedp.WaitVisible(`#main table`)) // the portal has started (and saved its language)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`localStorage.setItem('casewatch.lang', 'KK')`)); err != nil {
			t.Fatal(err)
		}
		do(chromedp.Reload())
		do(chromedp.WaitVisible(`html[lang="kk"] #main table`))
		do(chromedp.WaitVisible(`#main .table-download a`))
		do(chromedp.Sleep(500 * time.Millisecond))
		tables, err := chromedp.Run(ctx, chromedp.Evaluate[[]shownTable](tableDownloadJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) < v.tables {
			t.Errorf("#/%s: %d tables, want at least %d", v.view, len(tables), v.tables)
		}
		for _, tb := range tables {
			where := "#/" + v.view + " " + tb.Caption
			if !tb.Link {
				t.Errorf("%s: no download link next to the table", where)
				continue
			}
			if !tb.Focusable || tb.Right > 390 || tb.Label != "⤓ Осы кестенің CSV файлы" {
				t.Errorf("%s: the link is not a focusable link within 390 px labelled in Kazakh: focusable %v, right %d, label %q", where, tb.Focusable, tb.Right, tb.Label)
			}
			if !name.MatchString(tb.Name) || !strings.HasPrefix(tb.Href, "blob:") || !strings.HasPrefix(tb.Type, "text/csv") {
				t.Errorf("%s: the link offers %q at %q (%s), want casewatch-…-kk.csv at a blob: address, text/csv", where, tb.Name, tb.Href, tb.Type)
			}
			if !strings.HasPrefix(tb.Text, "\uFEFF") {
				t.Errorf("%s: the file does not start with a byte-order mark: %.40q", where, tb.Text)
			}
			text := strings.TrimPrefix(tb.Text, "\uFEFF")
			if !strings.HasSuffix(text, "\r\n") || strings.Count(text, "\n") != strings.Count(text, "\r\n") {
				t.Errorf("%s: the lines of the file do not all end in CRLF: %.200q", where, text)
			}
			r := csv.NewReader(strings.NewReader(text))
			r.FieldsPerRecord = -1
			records, err := r.ReadAll()
			if err != nil {
				t.Errorf("%s: the file is no CSV: %v", where, err)
				continue
			}
			if len(records) < len(tb.Rows) {
				t.Errorf("%s: %d rows in the file, the table shows %d", where, len(records), len(tb.Rows))
				continue
			}
			for i, row := range tb.Rows {
				if strings.Join(records[i], "\x00") != strings.Join(row, "\x00") {
					t.Errorf("%s: row %d of the file is %q, the table shows %q", where, i+1, records[i], row)
				}
			}
			// After the rows only the reasons of withheld marks, after an empty line.
			if rest := records[len(tb.Rows):]; len(rest) > 0 && (len(rest) < 2 || len(rest[0]) != 1 || rest[0][0] != "") {
				t.Errorf("%s: the file goes on after the table's rows: %q", where, rest)
			}
		}
	}
	noScriptErrors()
}
