package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// syncBuffer is a log sink several goroutines write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestInstancesStartingTogether starts three servers at the same moment on one empty
// PostgreSQL database, as a deployment of several instances does on its first start: all
// three become ready, the migrations run without error, and the demo dataset is loaded
// once, as one release.
func TestInstancesStartingTogether(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		t.Skip("no PostgreSQL")
	}
	const n = 3
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	addrs := make(chan string, n)
	done := make(chan error, n)
	dumpsDir := t.TempDir() // one, as instances of one database share it
	for range n {
		env := map[string]string{"DATABASE_URL": url, "DEMO_CASES": "2000", "CASEWATCH_SECRET": "together",
			"ADDR": "127.0.0.1:0", "LOG_FORMAT": "json", "DUMPS_DIR": dumpsDir}
		r, w := io.Pipe()
		go func() {
			done <- run(ctx, nil, func(k string) string { return env[k] }, w, logs)
			w.Close()
		}()
		go func() {
			line, _ := bufio.NewReader(r).ReadString('\n')
			_, addr, _ := strings.Cut(line, "http://")
			addrs <- "http://" + strings.TrimSpace(addr)
			_, _ = io.Copy(io.Discard, r)
		}()
	}
	defer func() {
		cancel()
		for range n {
			if err := <-done; err != nil {
				t.Errorf("server: %v", err)
			}
		}
	}()
	for range n {
		select {
		case a := <-addrs:
			if a == "http://" {
				t.Fatalf("a server did not start:\n%s", logs.String())
			}
			waitReady(t, a, logs.String)
		case err := <-done:
			t.Fatalf("a server stopped: %v\n%s", err, logs.String())
		case <-time.After(2 * time.Minute):
			t.Fatalf("servers did not start\n%s", logs.String())
		}
	}

	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	gen, err := st.Generation(context.Background())
	if err != nil || gen != 1 {
		t.Fatalf("releases after three starts: %d, %v\n%s", gen, err, logs.String())
	}
	out := logs.String()
	if c := strings.Count(out, `"msg":"demo dataset loaded"`); c != 1 {
		t.Fatalf("the demo dataset was loaded %d times\n%s", c, out)
	}
	if strings.Contains(out, `"level":"ERROR"`) {
		t.Fatalf("errors while starting:\n%s", out)
	}
}
