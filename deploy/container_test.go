package deploy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/cache/cachetest"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestContainerImage builds the image from the Dockerfile with podman and starts two
// containers of it at the same moment on one empty PostgreSQL database, sharing Redis, as
// compose.yaml's instances do. Both become ready, the demo dataset is loaded once, the
// container runs as 65532 and has no shell, and its healthcheck passes.
//
// It needs podman and is off unless CASEWATCH_TEST_CONTAINERS=1. Without registry access,
// CASEWATCH_TEST_GO_IMAGE and CASEWATCH_TEST_RUNTIME_IMAGE name the base images; unset, the
// build stage is an image made here holding only certificates, with this machine's Go
// toolchain and module cache mounted during the build, and the runtime stage is scratch.
// CASEWATCH_TEST_PODMAN_RUNTIME picks podman's OCI runtime (e.g. runc where crun cannot
// set up cgroups).
func TestContainerImage(t *testing.T) {
	if os.Getenv("CASEWATCH_TEST_CONTAINERS") != "1" {
		t.Skip("set CASEWATCH_TEST_CONTAINERS=1 to build and run the image with podman")
	}
	if _, err := exec.LookPath("podman"); err != nil {
		t.Fatal("CASEWATCH_TEST_CONTAINERS=1 but podman is not installed")
	}
	pgURL := storetest.PostgresURL(t)
	redisURL := cachetest.RedisURL(t)
	if pgURL == "" {
		t.Skip("no PostgreSQL")
	}
	prefix := cachetest.Prefix(t, redisURL)
	var global []string
	if rt := os.Getenv("CASEWATCH_TEST_PODMAN_RUNTIME"); rt != "" {
		global = []string{"--runtime", rt}
	}
	// Limits no higher than this process has: a container may not raise them.
	var nofile syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile)
	limits := []string{"--ulimit", fmt.Sprintf("nofile=%d:%d", nofile.Cur, nofile.Cur), "--ulimit", "nproc=4096:4096"}
	podman := func(args ...string) (string, error) {
		cmd := exec.Command("podman", slicesConcat(global, args)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	id := randomID()
	tag := "localhost/casewatch-test:" + id

	build := []string{"build", "--layers=false", "--network", "host", "-t", tag, "-f", "Dockerfile"}
	build = append(build, limits...)
	goImage, runtimeImage := os.Getenv("CASEWATCH_TEST_GO_IMAGE"), os.Getenv("CASEWATCH_TEST_RUNTIME_IMAGE")
	if goImage == "" {
		goImage = localGoImage(t, podman, id)
		gopath := func(v string) string {
			out, err := exec.Command("go", "env", v).Output()
			if err != nil {
				t.Fatal(err)
			}
			return strings.TrimSpace(string(out))
		}
		build = append(build, "-v", gopath("GOROOT")+":/usr/local/go:ro",
			"-v", gopath("GOMODCACHE")+":/go/pkg/mod", "-v", gopath("GOCACHE")+":/root/.cache/go-build")
	}
	if runtimeImage == "" {
		runtimeImage = "scratch"
	}
	build = append(build, "--build-arg", "GO_IMAGE="+goImage, "--build-arg", "RUNTIME_IMAGE="+runtimeImage, ".")
	cmd := exec.Command("podman", slicesConcat(global, build)...)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("podman build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = podman("rmi", "-f", tag) })

	var urls, names []string
	for i := range 2 {
		port := freePort(t)
		name := fmt.Sprintf("casewatch-test-%s-%d", id, i)
		args := []string{"run", "-d", "--name", name, "--network", "host",
			"-e", "ADDR=127.0.0.1:" + port, "-e", "DATABASE_URL=" + pgURL, "-e", "REDIS_URL=" + redisURL,
			"-e", "REDIS_PREFIX=" + prefix, "-e", "CASEWATCH_SECRET=container test", "-e", "DEMO_CASES=1000"}
		args = append(args, limits...)
		if out, err := podman(append(args, tag)...); err != nil {
			t.Fatalf("podman run: %v\n%s", err, out)
		}
		t.Cleanup(func() {
			if t.Failed() {
				out, _ := podman("logs", name)
				t.Logf("%s:\n%s", name, out)
			}
			_, _ = podman("rm", "-f", "-t", "5", name)
		})
		urls, names = append(urls, "http://127.0.0.1:"+port), append(names, name)
	}
	for _, u := range urls {
		deadline := time.Now().Add(3 * time.Minute)
		for {
			resp, err := http.Get(u + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready: %v", u, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	for _, n := range names {
		if out, err := podman("exec", n, "/casewatch", "healthcheck"); err != nil || out != "200 ready\n" {
			t.Errorf("%s: healthcheck: %v %q", n, err, out)
		}
		if out, err := podman("exec", n, "/bin/sh", "-c", "true"); err == nil {
			t.Errorf("%s has a shell: %s", n, out)
		}
		if out, err := podman("top", n, "user"); err != nil || !strings.Contains(out, "65532") {
			t.Errorf("%s runs as %q (%v), want 65532", n, out, err)
		}
	}
	st, err := store.Open(context.Background(), pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if gen, err := st.Generation(context.Background()); err != nil || gen != 1 {
		t.Fatalf("two containers starting together made %d releases (%v), want 1", gen, err)
	}
}

// localGoImage makes a build-stage image without a registry: certificates and the
// variables of a Go image; the toolchain is mounted during the build.
func localGoImage(t *testing.T, podman func(...string) (string, error), id string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(filepath.Join(dir, "tmp"), 0o1777)
	certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ca-certificates.crt"), certs, 0o644); err != nil {
		t.Fatal(err)
	}
	containerfile := `FROM scratch
COPY tmp /tmp
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PATH=/usr/local/go/bin HOME=/root GOCACHE=/root/.cache/go-build GOMODCACHE=/go/pkg/mod GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
`
	if err := os.WriteFile(filepath.Join(dir, "Containerfile"), []byte(containerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := "localhost/casewatch-test-go:" + id
	if out, err := podman("build", "-t", tag, dir); err != nil {
		t.Fatalf("build stage image: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = podman("rmi", "-f", tag) })
	return tag
}

func slicesConcat(a, b []string) []string { return append(append([]string{}, a...), b...) }

func randomID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
