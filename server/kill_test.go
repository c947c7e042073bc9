package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestMain lets the test binary act as the casewatch command, so a test can run it as a
// separate process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("CASEWATCH_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestImportKilledMidwayLeavesTheDatabaseAsItWas: kill -9 during an import, on each backend.
func TestImportKilledMidwayLeavesTheDatabaseAsItWas(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, ingesttest.CSV(t, ingesttest.RawRecords(rand.New(rand.NewPCG(9, 9)), 60_000, &ingesttest.Planted{})), 0o600); err != nil {
		t.Fatal(err)
	}
	small := writeFile(t, "small.csv", importHeader+goodRows)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": b.URL, "CASEWATCH_SECRET": "s3cret"}
			if _, _, err := runCmd(t, env, "import", small); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "import", big)
			cmd.Env = append(os.Environ(), "CASEWATCH_TEST_AS_MAIN=1", "DATABASE_URL="+b.URL, "CASEWATCH_SECRET=s3cret")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitUntilWriting(t, b.URL, cmd.Process.Pid)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err == nil {
				t.Fatal("the import finished before it was killed; make the file larger")
			}

			ctx := context.Background()
			st, err := store.Open(ctx, b.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			gen, err := st.Generation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n, err := st.CountCases(ctx, model.CaseFilter{})
			if err != nil || gen != 1 || n != 3 {
				t.Fatalf("after kill -9: generation %d, %d cases (%v); want 1 and 3", gen, n, err)
			}
			out, _, err := runCmd(t, env, "import", small)
			if err != nil || !strings.HasPrefix(out, "no changes (0 added, 0 updated, 3 unchanged): no release created\n") {
				t.Fatalf("the database is not usable after the kill: %q %v", out, err)
			}
		})
	}
}

// waitUntilWriting returns once the import process is inside its transaction, writing.
func waitUntilWriting(t *testing.T, databaseURL string, pid int) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if strings.HasPrefix(databaseURL, "sqlite:") {
			// SQLite keeps the open transaction in memory; the import reads its input as it
			// writes, inside the transaction, so a few megabytes read means rows written.
			if readBytes(pid) > 3<<20 {
				return
			}
			continue
		}
		db, err := sql.Open("pgx", databaseURL)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		// New cases go in by COPY (query 'copy "cases" …'); updates are INSERTs and UPDATEs.
		err = db.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()
			AND xact_start < now() - interval '200 milliseconds'
			AND (query LIKE 'INSERT INTO cases%' OR query LIKE 'copy "cases"%')`).Scan(&n)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("the import never started writing")
}

// readBytes is how much a process has read so far (Linux /proc), 0 when unknown.
func readBytes(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
