package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// PostgresServer is a private PostgreSQL cluster in the test's temporary directory, on a
// spare loopback port, that a test may stop, start and restart: the shared server of the
// test command is never touched.
type PostgresServer struct {
	// URL is the cluster's "casewatch" database, for DATABASE_URL.
	URL string
	// AdminURL is its "postgres" database.
	AdminURL string
	bin      string
	data     string
	log      string
	port     int
	t        testing.TB
}

// StartPostgres initialises and starts a throwaway cluster (the binaries of
// CASEWATCH_TEST_PG_BIN, which the test command exports, else the newest of
// /usr/lib/postgresql/*/bin), stopped and removed when the test ends. initdb refuses to
// run as root, so as root the cluster belongs to the postgres OS user.
func StartPostgres(t testing.TB) *PostgresServer {
	t.Helper()
	bin := os.Getenv("CASEWATCH_TEST_PG_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				bin = d
				break
			}
		}
	}
	if bin == "" {
		if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("no PostgreSQL server binaries (CASEWATCH_TEST_PG_BIN); run the tests through .ci/test")
		}
		t.Skip("no PostgreSQL server binaries: set CASEWATCH_TEST_PG_BIN (use .ci/test)")
	}
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// The postgres user must reach the cluster's directory through the test's own.
		for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := &PostgresServer{bin: bin, data: filepath.Join(dir, "data"), log: filepath.Join(dir, "postgres.log"), t: t}
	if err := os.Mkdir(s.data, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("chown", "-R", "postgres:", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v\n%s", dir, err, out)
		}
	}
	s.run("initdb", "-D", s.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s.AdminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/casewatch?sslmode=disable", s.port)
	s.Start()
	t.Cleanup(s.Stop)
	db, err := sql.Open("pgx", s.AdminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE casewatch"); err != nil {
		t.Fatal(err)
	}
	return s
}

// Start starts the cluster and waits until it accepts connections.
func (s *PostgresServer) Start() {
	s.t.Helper()
	// Throwaway data: durability off for speed; no Unix socket, loopback only.
	s.run("pg_ctl", "-D", s.data, "-l", s.log, "-w", "-t", "60", "-o",
		"-c listen_addresses=127.0.0.1 -p "+strconv.Itoa(s.port)+
			" -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start")
}

// Restart stops the cluster at once (fast shutdown: sessions are ended, transactions
// rolled back) and starts it again, as a failover or an upgrade would.
func (s *PostgresServer) Restart() {
	s.t.Helper()
	s.run("pg_ctl", "-D", s.data, "-l", s.log, "-m", "fast", "-w", "-t", "60", "restart")
}

// Stop stops the cluster (fast shutdown); nothing happens when it is not running.
func (s *PostgresServer) Stop() {
	if _, err := os.Stat(filepath.Join(s.data, "postmaster.pid")); err != nil {
		return
	}
	s.run("pg_ctl", "-D", s.data, "-m", "fast", "-w", "-t", "60", "stop")
}

// run runs one of the cluster's programs, as the postgres OS user when the test runs as
// root, and fails the test with its output and the server's log when it fails.
func (s *PostgresServer) run(program string, args ...string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	path := filepath.Join(s.bin, program)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(s.log)
		s.t.Fatalf("%s: %v\n%s\n%s", program, err, out.String(), log)
	}
}
