package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// cacheBenchQuery is what BenchmarkCache asks: case figures per region and year, the kind
// of question dashboards embed and newsrooms ask in bursts (docs/design.md §8).
const cacheBenchQuery = `{ statistics(groupBy: [REGION], interval: YEAR) { suppressionThreshold
	total { count liable fined appealed appealsSucceeded fines { currency count median p90 } medianDaysToDecision }
	buckets { key { code label } period count suppressed liable fined appealed appealsSucceeded
		fines { currency count total median p90 } medianDaysToDecision prosecutorRejectionRate countPer100k } } }`

// BenchmarkCache measures, with one load generator over loopback in one run, the
// throughput of a bare net/http handler writing the bytes of cacheBenchQuery's answer, of
// the answer served from the cache through the whole server, and of the same answer
// computed each time (the server with its cache off). docs/design.md §8 wants the cached answer at
// 50% of the bare handler or more.
//
//	go test ./server -run '^$' -bench Cache -benchtime 5s
//
// The demo dataset (CASEWATCH_BENCH_CASES cases, default 50,000; detections follow the
// official yearly totals at any size) is seeded once into a SQLite file in
// $CASEWATCH_BENCH_DIR (default the system temp dir) and kept. With
// CASEWATCH_TEST_REDIS_URL set, the cached server has its Redis tier too.
func BenchmarkCache(b *testing.B) {
	cases := 50_000
	if n, err := strconv.Atoi(os.Getenv("CASEWATCH_BENCH_CASES")); err == nil && n > 0 {
		cases = n
	}
	dir := os.Getenv("CASEWATCH_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	env := func() map[string]string {
		return map[string]string{
			"DATABASE_URL": "sqlite:" + filepath.Join(dir, fmt.Sprintf("casewatch-server-bench-%d.db", cases)),
			"DEMO_CASES":   strconv.Itoa(cases),
			"LOG_FORMAT":   "json",
		}
	}
	cachedEnv := env()
	if u := os.Getenv("CASEWATCH_TEST_REDIS_URL"); u != "" {
		cachedEnv["REDIS_URL"], cachedEnv["REDIS_PREFIX"] = u, fmt.Sprintf("casewatch-bench-%d:", os.Getpid())
	}
	cached := start(b, cachedEnv)
	uncachedEnv := env()
	uncachedEnv["CACHE_BYTES"] = "0"
	uncached := start(b, uncachedEnv)

	body, _ := json.Marshal(map[string]string{"query": cacheBenchQuery})
	answer, xcache := post(b, cached.url+"/graphql", body)
	if _, x := post(b, cached.url+"/graphql", body); x != "HIT" || bytes.Contains(answer, []byte(`"errors"`)) {
		b.Fatalf("the cached server does not answer from its cache: %s %s", x, answer)
	}
	if _, x := post(b, uncached.url+"/graphql", body); x != "BYPASS" {
		b.Fatalf("the uncached server says X-Cache: %s", x)
	}
	_ = xcache
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer bare.Close()

	rates := map[string]float64{}
	for _, target := range []struct{ name, url string }{
		{"bare", bare.URL + "/graphql"},
		{"cached", cached.url + "/graphql"},
		{"uncached", uncached.url + "/graphql"},
	} {
		b.Run(target.name, func(b *testing.B) {
			rates[target.name] = load(b, target.url, body, len(answer))
		})
	}
	if rates["bare"] > 0 {
		b.Logf("answer %d bytes; cached %.0f%% of the bare handler's throughput, uncached %.1f%%; cached/uncached %.0fx",
			len(answer), 100*rates["cached"]/rates["bare"], 100*rates["uncached"]/rates["bare"], rates["cached"]/rates["uncached"])
	}
}

// load posts body to url from many goroutines over kept-alive connections and returns
// requests per second.
func load(b *testing.B, url string, body []byte, size int) float64 {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	defer client.CloseIdleConnections()
	b.SetParallelism(8)
	b.SetBytes(int64(size))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || int(n) != size {
				b.Errorf("status %d, %d bytes", resp.StatusCode, n)
				return
			}
		}
	})
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "req/s")
	return rate
}

func post(b *testing.B, url string, body []byte) ([]byte, string) {
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	return out, resp.Header.Get("X-Cache")
}
