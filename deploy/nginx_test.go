package deploy

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/store/storetest"
)

// buildBinary builds casewatch as the Dockerfile's build stage does, into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	argv, env := buildCommand(t)
	bin := filepath.Join(dir, "casewatch")
	argv[indexOf(argv, "-o")+1] = bin
	build := exec.Command(argv[0], argv[1:]...)
	build.Dir = ".."
	build.Env = append(os.Environ(), env...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", argv, err, out)
	}
	return bin
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// instance starts the binary with env and returns its address and its log.
func instance(t *testing.T, bin string, env []string) (addr string, logs *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir, cmd.Env = t.TempDir(), env
	stdout, _ := cmd.StdoutPipe()
	logs = &lockedBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("did not start: %v\n%s", err, logs)
	}
	go io.Copy(io.Discard, r)
	_, addr, _ = strings.Cut(strings.TrimSpace(line), "http://")
	return addr, logs
}

// TestNginxInFront runs deploy/nginx.conf (its upstreams and port pointed at this machine)
// in front of two instances: answers pass, both instances serve, the edge's X-Request-Id
// reaches the instance that answered and comes back, and nginx logs no query string. It
// needs nginx on the PATH (the test command installs it) and is skipped without it
// outside the test command.
func TestNginxInFront(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if _, err = os.Stat("/usr/sbin/nginx"); err != nil {
			if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
				t.Fatal("nginx is not installed (.ci/test installs it)")
			}
			t.Skip("nginx is not installed")
		}
		nginx = "/usr/sbin/nginx"
	}
	bin := buildBinary(t, t.TempDir())
	db := storetest.PostgresURL(t)
	if db == "" {
		db = storetest.SQLiteURL(t)
	}
	env := []string{"ADDR=127.0.0.1:0", "DATABASE_URL=" + db, "DUMPS_DIR=" + t.TempDir(), "LOG_FORMAT=json", "DEMO_CASES=300", "TRUSTED_PROXIES=127.0.0.1",
		"CASEWATCH_SECRET=behind nginx"}
	a1, log1 := instance(t, bin, env)
	a2, log2 := instance(t, bin, env)

	dir := t.TempDir()
	conf, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	s := string(conf)
	for _, r := range [][2]string{
		{"server casewatch-1:8080", "server " + a1},
		{"server casewatch-2:8080", "server " + a2},
		{"listen 80;", "listen 127.0.0.1:" + port + ";"},
		{"access_log /dev/stdout casewatch;", "access_log " + dir + "/access.log casewatch;"},
		{"worker_processes auto;", fmt.Sprintf("worker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;", dir, dir)},
		{"http {", fmt.Sprintf("http {\n    client_body_temp_path %s/body;\n    proxy_temp_path %s/proxy;", dir, dir)},
	} {
		if strings.Count(s, r[0]) != 1 {
			t.Fatalf("nginx.conf no longer has %q once", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-g", "daemon off;")
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		_ = cmd.Wait()
	})
	base := "http://127.0.0.1:" + port
	deadline := time.Now().Add(2 * time.Minute)
	// Both instances directly first: a 503 seen through the proxy while one
	// is still starting counts towards max_fails and takes it out of the
	// upstream for fail_timeout, so the requests below would reach one.
	for _, a := range []string{a1, a2} {
		for {
			resp, err := http.Get("http://" + a + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready", a)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	for {
		// Then through the proxy.
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("not ready through nginx: %v\n%s\n%s", err, out, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	const secret = "Zhanibekova"
	q := url.Values{"query": {`query Find($q: String) { cases(filter: {search: $q}) { totalCount } }`},
		"variables": {`{"q":"` + secret + `"}`}}
	ids := map[string]bool{}
	for range 6 {
		resp, err := http.Get(base + "/graphql?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-Id")
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"totalCount"`) ||
			!regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
			t.Fatalf("%d %q %s", resp.StatusCode, id, body)
		}
		ids[id] = true
	}
	time.Sleep(200 * time.Millisecond)
	served := 0
	for _, l := range []*lockedBuffer{log1, log2} {
		n := 0
		for id := range ids {
			if strings.Contains(l.String(), `"request_id":"`+id+`","method":"GET","path":"/graphql"`) {
				n++
			}
		}
		if n > 0 {
			served++
		}
	}
	if served != 2 {
		t.Errorf("%d of 2 instances served the 6 requests, or the edge's ids did not reach them", served)
	}
	access, err := os.ReadFile(filepath.Join(dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(access), " GET /graphql 200 ") || strings.Contains(string(access), "query") ||
		strings.Contains(string(access), secret) {
		t.Errorf("nginx access log:\n%s", access)
	}
}
