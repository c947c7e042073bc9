package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph/graphtest"
)

// maxHostileBytes is the request size the limits are promised for: any request under it
// is answered or refused within 50 ms of CPU on the demo dataset.
const maxHostileBytes = 16 << 10

// BenchmarkRequestCost sends every hostile shape (graph/graphtest), at the largest size
// under 16 KB and at a few smaller ones, and the most expensive ordinary questions, to a
// real server process on the 50,000-case demo dataset with its answer cache off, and
// reports per shape the server's CPU time per request (from /proc, summed over repeats)
// and the wall time, worst size first. The README's table comes from its log.
//
//	go test ./server -run '^$' -bench RequestCost -benchtime 1x -v
func BenchmarkRequestCost(b *testing.B) {
	path := demoDatabase(b)
	for b.Loop() {
		s := startProcess(b, map[string]string{"DATABASE_URL": "sqlite:" + path, "DEMO": "false", "CACHE_BYTES": "0"})
		type row struct {
			shape      string
			bytes      int
			cpu, wall  time.Duration
			status     int
			firstError string
		}
		var rows []row
		// measureEach sends body(i) for i = 0…repeats after one warm-up: a body that differs
		// each time defeats what the server keeps between requests (the answer cache).
		measureEach := func(shape string, body func(i int) []byte) row {
			const repeats = 10
			postCost(b, s.url, body(repeats)) // warm: the first answer may build what later ones reuse
			cpu0 := processCPU(b, s.pid)
			start := time.Now()
			var status int
			var errText string
			for i := range repeats {
				status, errText = postCost(b, s.url, body(i))
			}
			return row{shape: shape, bytes: len(body(0)), status: status, firstError: errText,
				cpu: (processCPU(b, s.pid) - cpu0) / repeats, wall: time.Since(start) / repeats}
		}
		measure := func(shape string, body []byte) row {
			return measureEach(shape, func(int) []byte { return body })
		}
		rng := rand.New(rand.NewPCG(9, 9))
		for _, shape := range graphtest.HostileShapes {
			worst := row{shape: shape.Name}
			// The same n writes the same document, so that sizing and sending agree.
			write := func(n int) []byte { return requestBody(shape.Write(rand.New(rand.NewPCG(uint64(n), 1)), n)) }
			for _, n := range sizesUnder(func(n int) int { return len(write(n)) }) {
				r := measure(shape.Name, write(n))
				if r.cpu >= worst.cpu {
					worst = r
				}
			}
			rows = append(rows, worst)
		}
		random := row{shape: "random documents (worst of 20)"}
		for i := range 20 {
			if body := requestBody(graphtest.RandomDocument(rng, 1+i*3), nil); len(body) < maxHostileBytes {
				if r := measure(random.shape, body); r.cpu >= random.cpu {
					random = r
				}
			}
		}
		rows = append(rows, random)
		for _, q := range expensiveOrdinaryQuestions {
			rows = append(rows, measure(q.name, requestBody(q.query, nil)))
		}
		searches := []string{"паводок", "аким", "блогер", "митинг", "выборы", "сборы", "мошенник", "акция", "пост", "видео", "суд"}
		rows = append(rows, measureEach("admitted: a search not asked before", func(i int) []byte {
			return requestBody(`{ cases(first: 100, filter: {search: "`+searches[i%len(searches)]+`"}) { totalCount edges { node { reference } } } }`, nil)
		}))
		rows = append(rows, measureEach("two searches not asked before", func(i int) []byte {
			return requestBody(`{ a: cases(filter: {search: "`+searches[i%len(searches)]+` а"}) { totalCount } b: cases(filter: {search: "`+searches[i%len(searches)]+` о"}) { totalCount } }`, nil)
		}))

		sort.SliceStable(rows, func(i, j int) bool { return rows[i].cpu > rows[j].cpu })
		var table strings.Builder
		fmt.Fprintf(&table, "\n| shape | bytes | CPU per request | wall | answer |\n|---|---:|---:|---:|---|\n")
		for _, r := range rows {
			answer := "answered"
			if r.firstError != "" {
				answer = "refused: " + r.firstError
			}
			fmt.Fprintf(&table, "| %s | %d | %.1f ms | %.1f ms | %d %s |\n", r.shape, r.bytes,
				ms(r.cpu), ms(r.wall), r.status, answer)
		}
		b.Log(table.String())
		b.ReportMetric(ms(rows[0].cpu), "ms-CPU-worst")
		if err := s.stop(); err != nil {
			b.Fatal(err)
		}
	}
}

// expensiveOrdinaryQuestions are the costliest questions the limits admit.
var expensiveOrdinaryQuestions = []struct{ name, query string }{
	{"admitted: 3 full pages of 100 cases", `{` + strings.Repeat(` cases(first: 100) { totalCount edges { node { reference timeline { kind month label } appeals { status } region { code name } article { code } outcome { decision fine { amount } } } } }`, 1) +
		` b: cases(first: 100, filter: {jurisdiction: KZ}) { totalCount edges { node { reference timeline { kind month label } appeals { status } region { code name } article { code } outcome { decision fine { amount } } } } }` +
		` c: cases(first: 100, filter: {jurisdiction: KG}) { totalCount edges { node { reference timeline { kind month label } appeals { status } region { code name } article { code } outcome { decision fine { amount } } } } } }`},
	{"admitted: every statistic by region and year", `{ statistics(groupBy: [REGION], interval: YEAR) { total { count } buckets { key { dimension code label(lang: KK) } period count suppressed liable fined appealed appealsSucceeded fines { currency count total mean median p90 min max indexUnits { unit total mean median p90 min max } } medianDaysToDecision prosecutorRejectionRate expertNoOffenceRate repeatDefendants countPer100k } } }`},
	{"admitted: 5 statistics and the funnel", `{ funnel { steps { step count } }` + func() string {
		var b strings.Builder
		for i, g := range []string{"REGION", "CATEGORY", "CONCERN", "PLATFORM", "DECISION"} {
			fmt.Fprintf(&b, " s%d: statistics(groupBy: [%s], interval: QUARTER) { buckets { key { code } period count fined } }", i, g)
		}
		return b.String()
	}() + ` }`},
	{"refused once its buckets are known: every statistic by region, category and year", `{ statistics(groupBy: [REGION, CATEGORY], interval: YEAR) { buckets { key { code label } period count suppressed liable fined appealed appealsSucceeded fines { currency count total mean median p90 min max } medianDaysToDecision } } }`},
}

// sizesUnder picks sizes n whose request (of length size(n)) stays under 16 KB: the
// largest such n and a few below it.
func sizesUnder(size func(n int) int) []int {
	lo, hi := 1, 1
	for hi < 1<<16 && size(hi) < maxHostileBytes {
		lo, hi = hi, hi*2
	}
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if size(mid) < maxHostileBytes {
			lo = mid
		} else {
			hi = mid
		}
	}
	if size(lo) >= maxHostileBytes {
		return nil
	}
	return []int{max(1, lo/8), max(1, lo/2), lo}
}

func requestBody(query string, vars map[string]any) []byte {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return body
}

// postCost sends one request and returns its status and the code of its first error.
func postCost(b *testing.B, url string, body []byte) (int, string) {
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	var out struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	_ = json.Unmarshal(answer, &out)
	if resp.StatusCode >= 500 {
		b.Fatalf("status %d: %.300s", resp.StatusCode, answer)
	}
	if len(out.Errors) > 0 {
		return resp.StatusCode, out.Errors[0].Extensions.Code
	}
	return resp.StatusCode, ""
}

// processCPU is the user and system CPU time a process has used, from /proc/PID/stat.
func processCPU(b testing.TB, pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command name, which is in parentheses and may hold spaces.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// demoDatabase is the 50,000-case demo dataset in a SQLite file, seeded once per
// CASEWATCH_BENCH_DIR.
func demoDatabase(b *testing.B) string {
	dir := os.Getenv("CASEWATCH_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, "casewatch-demo-bench.db")
	if _, err := os.Stat(path); err != nil {
		cmd := exec.Command(os.Args[0], "seed")
		cmd.Env = append(os.Environ(), "CASEWATCH_TEST_AS_MAIN=1", "DATABASE_URL=sqlite:"+path+".partial")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("seed: %v\n%s", err, out)
		}
		if err := os.Rename(path+".partial", path); err != nil {
			b.Fatal(err)
		}
	}
	return path
}
