package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestOneFilterVocabulary walks every CaseFilter field through the three ways a filter is
// written: GraphQL variables, a portal link and an export URL, all with the field's own name
// and values. The portal must send exactly that filter to the API, and the export must hold
// as many cases as the API counts.
func TestOneFilterVocabulary(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "vocabulary.db"), "DEMO_CASES": "1500"})
	src, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	filter := schema.Types["CaseFilter"]

	// A value of each field that some demo case has.
	var vocab struct {
		Data struct {
			Vocabulary []struct {
				Name  string
				Terms []struct{ Code string }
			}
		}
	}
	_, body := s.graphql(t, `{ vocabulary { name terms { code } } }`)
	if err := json.Unmarshal(body, &vocab); err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	for _, v := range vocab.Data.Vocabulary {
		if len(v.Terms) > 0 {
			first[v.Name] = v.Terms[0].Code
		}
	}
	values := map[string]string{
		"jurisdiction": "KZ", "regions": "KZ-75", "articles": "CAO 456-2", "search": "Telegram",
		"reportedFrom": "2025-01-01", "reportedTo": "2025-06-30", "decidedFrom": "2025-01-01", "decidedTo": "2025-06-30",
		"categories": "FALSE_INFORMATION", "platforms": "TELEGRAM", "defendantKinds": "BLOGGER",
	}
	for _, f := range filter.Fields {
		if _, ok := values[f.Name]; !ok && f.Type.Elem != nil {
			values[f.Name] = first[f.Type.Elem.NamedType]
		}
	}

	ctx, noScriptErrors := browser(t)
	var mu sync.Mutex
	var sent []map[string]any // the filters the portal sent with its case list requests
	err = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasSuffix(e.Request.URL, "/graphql") && len(e.Request.PostDataEntries) > 0 {
			var req struct {
				OperationName string
				Variables     struct{ Filter map[string]any }
			}
			var data []byte
			for _, p := range e.Request.PostDataEntries {
				data = append(data, p.Bytes...)
			}
			if json.Unmarshal(data, &req) == nil && req.OperationName == "Cases" {
				mu.Lock()
				sent = append(sent, req.Variables.Filter)
				mu.Unlock()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, f := range filter.Fields {
		value := values[f.Name]
		if value == "" {
			t.Errorf("no value to try for CaseFilter.%s", f.Name)
			continue
		}
		// GraphQL variables.
		var want any = value
		if f.Type.Elem != nil {
			want = []any{value}
		}
		vars, _ := json.Marshal(map[string]any{"f": map[string]any{f.Name: want}})
		status, body := s.graphqlRaw(t, []byte(fmt.Sprintf(`{"query":"query($f: CaseFilter) { cases(filter: $f) { totalCount } }","variables":%s}`, vars)))
		var a struct {
			Data struct{ Cases struct{ TotalCount int } }
		}
		if err := json.Unmarshal(body, &a); err != nil || status != 200 {
			t.Fatalf("%s: %d %s", f.Name, status, body)
		}
		total := a.Data.Cases.TotalCount

		// A portal link with the same name and value: the page asks for the same filter.
		mu.Lock()
		sent = nil
		mu.Unlock()
		q := url.Values{f.Name: {value}}.Encode()
		for _, act := range []chromedp.Action[chromedp.Void]{
			chromedp.Navigate("about:blank"),
			chromedp.Navigate(s.url + "/#/cases?" + q),
			chromedp.WaitVisible(`#results .result-status, #results table, #results .empty-state`),
		} {
			if _, err := chromedp.Run(ctx, act); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
		mu.Lock()
		got := sent
		mu.Unlock()
		if len(got) == 0 || !reflect.DeepEqual(got[len(got)-1], map[string]any{f.Name: want}) {
			t.Errorf("the link ?%s sent the filters %v, want {%s: %v}", q, got, f.Name, want)
		}
		// An export URL with the same name and value: the same cases.
		csv := get(t, s.url+"/export/cases.csv?"+q)
		if rows := strings.Count(csv, "\n") - 1; rows != total {
			t.Errorf("?%s: the export has %d rows, the API counts %d", q, rows, total)
		}
	}
	noScriptErrors()
}
