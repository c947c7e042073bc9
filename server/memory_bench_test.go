package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// BenchmarkMemoryUnderLoad reports the server's peak resident memory (VmHWM) under a mixed
// load, against the 300 MB of docs/design.md §8. The server runs as a process of its own on the demo
// dataset (CASEWATCH_BENCH_CASES cases, default 1,000,000, seeded once with `seed` into a
// SQLite file in $CASEWATCH_BENCH_DIR, default the system temp dir). Sixteen clients send
// memoryBenchQueries (statistics, the funnel, case pages with totalCount, in both orders),
// every one different, so each is computed and then kept by the answer cache; then the same
// again, now answered from the cache.
//
//	go test ./server -run '^$' -bench MemoryUnderLoad -benchtime 1x
func BenchmarkMemoryUnderLoad(b *testing.B) {
	cases := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("CASEWATCH_BENCH_CASES")); err == nil && n > 0 {
		cases = n
	}
	dir := os.Getenv("CASEWATCH_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("casewatch-memory-bench-%d.db", cases))
	if _, err := os.Stat(path); err != nil {
		b.Logf("seeding %d cases into %s (once)", cases, path)
		cmd := exec.Command(os.Args[0], "seed", "--cases", strconv.Itoa(cases))
		cmd.Env = append(os.Environ(), "CASEWATCH_TEST_AS_MAIN=1", "DATABASE_URL=sqlite:"+path+".partial")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("seed: %v\n%s", err, out)
		}
		if err := os.Rename(path+".partial", path); err != nil {
			b.Fatal(err)
		}
	}
	queries := memoryBenchQueries()
	for b.Loop() {
		s := startProcess(b, map[string]string{"DATABASE_URL": "sqlite:" + path, "LOG_FORMAT": "json"})
		settled := residentMB(b, s.pid, "VmRSS")
		for range 2 { // computed, then from the cache
			send(b, s.url+"/graphql", queries, 16)
		}
		b.ReportMetric(residentMB(b, s.pid, "VmHWM"), "MB-peak-RSS")
		b.ReportMetric(settled, "MB-RSS-when-ready")
		if err := s.stop(); err != nil {
			b.Fatal(err)
		}
	}
}

// memoryBenchQueries are 360 different questions of the kinds the portal and dashboards ask.
func memoryBenchQueries() []string {
	figures := `total { count liable fined fines { currency count median p90 } medianDaysToDecision }
		buckets { key { code } period count suppressed liable fined fines { currency count total median p90 } medianDaysToDecision }`
	groupings := []string{"[REGION]", "[CATEGORY, PLATFORM]", "[CONCERN, DEFENDANT_KIND, DECISION]", "[ARTICLE]", "[STAGE, SANCTION]", "[JURISDICTION, APPEAL_STATUS]"}
	intervals := []string{"YEAR", "QUARTER", "MONTH"}
	var out []string
	for i := range 360 {
		from := fmt.Sprintf("%d-%02d-01", 2023+i%3, 1+i%12)
		switch i % 4 {
		case 0:
			repeat := ""
			if i%8 == 0 {
				repeat = " total { repeatDefendants }"
			}
			grouping, interval := groupings[i/4%len(groupings)], intervals[i/4%len(intervals)]
			if strings.Contains(grouping, ",") {
				// By quarter or month, two dimensions or more with all these figures cost
				// more than a request may (graph.DefaultLimits): asked by year, as the portal does.
				interval = "YEAR"
			}
			out = append(out, fmt.Sprintf(`{ statistics(groupBy: %s, interval: %s, filter: {reportedFrom: %q}) { %s%s } }`,
				grouping, interval, from, figures, repeat))
		case 1:
			out = append(out, fmt.Sprintf(`{ funnel(filter: {reportedFrom: %q}) { steps { step count suppressed } } }`, from))
		case 2:
			out = append(out, fmt.Sprintf(`{ cases(first: 50, filter: {reportedFrom: %q, platforms: [TELEGRAM]}) { totalCount edges { node { reference category stage summary appeals { status } } } } }`, from))
		default:
			out = append(out, fmt.Sprintf(`{ cases(first: 20, orderBy: DECIDED_DESC, filter: {decidedFrom: %q}) { totalCount edges { node { reference outcome { decision decidedMonth } } } } }`, from))
		}
	}
	return out
}

// send posts every query once, from clients goroutines at a time, and fails on any error.
func send(b *testing.B, url string, queries []string, clients int) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for q := range work {
				body, _ := json.Marshal(map[string]string{"query": q})
				resp, err := http.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					continue
				}
				answer, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || bytes.Contains(answer, []byte(`"errors"`)) {
					b.Errorf("%s: status %d: %.300s", q, resp.StatusCode, answer)
				}
			}
		})
	}
	for _, q := range queries {
		work <- q
	}
	close(work)
	wg.Wait()
}

// residentMB reads one memory figure of a process from /proc, in megabytes.
func residentMB(b testing.TB, pid int, field string) float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1000
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
