package main

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestNoIdentifierReachesAnyAnswer plants names, IINs, phones, e-mails, handles, links,
// addresses, birth dates and source ids in raw records, imports them, and looks for every
// one of them in every GraphQL answer and in both exports.
func TestNoIdentifierReachesAnyAnswer(t *testing.T) {
	planted := &ingesttest.Planted{}
	rows := ingesttest.RawRecords(rand.New(rand.NewPCG(11, 12)), 150, planted)
	file := writeFile(t, "raw.csv", string(ingesttest.CSV(t, rows)))
	env := map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "CASEWATCH_SECRET": "s3cret", "DEMO": "false"}
	if out, stderr, err := runCmd(t, env, "import", file); err != nil {
		t.Fatalf("import: %v %s %s", err, out, stderr)
	}
	s := start(t, env)

	var answers []string
	query := `query($after: String) { cases(first: 100, after: $after) { totalCount
	  edges { node { id reference jurisdiction region { code name } category concern platform
	    article { code title } liability stage reportedMonth expertConclusion prosecutorDecision
	    defendant { kind ageBand gender } outcome { decision decidedMonth sanction fine { amount currency indexUnits } }
	    appeals { level filedBy filedMonth status decidedMonth fine { amount } }
	    timeline { kind month result label } summary generalized firstRelease { note checksum }
	    corrections { fields } } }
	  pageInfo { hasNextPage endCursor } }
	  releases { edges { node { note checksum } } } articles { code } }`
	vars := map[string]any{}
	for {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		status, body := s.graphqlRaw(t, b)
		if status != 200 || strings.Contains(string(body), `"errors"`) {
			t.Fatalf("%d %s", status, body)
		}
		answers = append(answers, string(body))
		var page struct {
			Data struct {
				Cases struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
		}
		_ = json.Unmarshal(body, &page)
		if !page.Data.Cases.PageInfo.HasNextPage {
			break
		}
		vars["after"] = page.Data.Cases.PageInfo.EndCursor
	}
	answers = append(answers, get(t, s.url+"/export/cases.csv"), get(t, s.url+"/export/cases.ndjson"))
	all := strings.Join(answers, "\n")
	if !strings.Contains(all, `"totalCount":150`) || strings.Count(answers[len(answers)-2], "\n") != 151 {
		t.Fatal("not every case was published")
	}
	for _, v := range planted.Values {
		if strings.Contains(all, v) {
			t.Errorf("an answer holds %q", v)
		}
		for _, part := range strings.Fields(v) {
			part = strings.Trim(part, ",.")
			if len([]rune(part)) >= 5 && strings.Contains(all, part) && part != "Алматы" {
				t.Errorf("an answer holds %q (of %q)", part, v)
			}
		}
	}
}
