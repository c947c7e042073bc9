package deploy

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// nonroot is the runtime image's user (distroless's "nonroot").
const nonroot = 65532

// instruction is one line of the Dockerfile, continuation lines joined.
type instruction struct {
	stage int
	cmd   string // upper case
	args  string
}

func dockerfile(t *testing.T) []instruction {
	t.Helper()
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	stage := -1
	var cur string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if cur == "" && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		cur += line
		cmd, args, _ := strings.Cut(cur, " ")
		cur = ""
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stage++
		}
		out = append(out, instruction{stage, cmd, strings.TrimSpace(args)})
	}
	return out
}

// execForm parses a JSON-array (exec form) argument list; nil when it is not one.
func execForm(args string) []string {
	var v []string
	if json.Unmarshal([]byte(args), &v) != nil {
		return nil
	}
	return v
}

// TestDockerfileRuntimeStage: the image runs the binary alone, as a non-root user, with
// nothing run inside it and no shell needed (exec forms only).
func TestDockerfileRuntimeStage(t *testing.T) {
	ins := dockerfile(t)
	last := ins[len(ins)-1].stage
	if last != 1 {
		t.Fatalf("%d stages, want a build and a runtime stage", last+1)
	}
	var args = map[string]string{}
	got := map[string]string{}
	for _, in := range ins {
		if in.cmd == "ARG" {
			k, v, _ := strings.Cut(in.args, "=")
			args[k] = v
		}
		if in.stage != last {
			continue
		}
		switch in.cmd {
		case "RUN":
			t.Errorf("the runtime stage runs %s: it has no shell or tools", in.args)
		case "ENTRYPOINT", "CMD":
			if execForm(in.args) == nil {
				t.Errorf("%s %s is not in exec form: it would need a shell", in.cmd, in.args)
			}
		case "HEALTHCHECK":
			_, c, _ := strings.Cut(in.args, " CMD ")
			if v := execForm(c); len(v) == 0 || v[0] != "/casewatch" {
				t.Errorf("HEALTHCHECK %s: want the exec form of /casewatch healthcheck", in.args)
			}
		}
		got[in.cmd] = in.args
	}
	if got["FROM"] != "${RUNTIME_IMAGE}" || !strings.Contains(args["RUNTIME_IMAGE"], "distroless/static") ||
		!strings.HasSuffix(args["RUNTIME_IMAGE"], ":nonroot") {
		t.Errorf("runtime base %s (%s), want distroless static nonroot", got["FROM"], args["RUNTIME_IMAGE"])
	}
	if got["USER"] != "65532:65532" {
		t.Errorf("USER %q, want 65532:65532", got["USER"])
	}
	if e := execForm(got["ENTRYPOINT"]); !slices.Equal(e, []string{"/casewatch"}) {
		t.Errorf("ENTRYPOINT %v", e)
	}
	if got["WORKDIR"] != "/data" || !strings.Contains(got["ENV"], "DATABASE_URL=sqlite:/data/") ||
		!strings.Contains(got["ENV"], "ADDR=:8080") {
		t.Errorf("WORKDIR %q, ENV %q: SQLite belongs in the writable /data, and the port is 8080", got["WORKDIR"], got["ENV"])
	}
}

// buildCommand returns the go build of the Dockerfile's build stage and its environment.
func buildCommand(t *testing.T) (argv, env []string) {
	t.Helper()
	for _, in := range dockerfile(t) {
		if in.stage != 0 {
			continue
		}
		if in.cmd == "ENV" {
			env = append(env, strings.Fields(in.args)...)
		}
		if v := execForm(in.args); in.cmd == "RUN" && len(v) > 1 && v[0] == "go" && v[1] == "build" {
			argv = v
		}
	}
	if argv == nil || !slices.Contains(env, "CGO_ENABLED=0") {
		t.Fatalf("no go build with CGO_ENABLED=0 in the build stage (%v, %v)", argv, env)
	}
	return argv, env
}

// TestStaticBinaryRunsAsNonRootWithoutAShell builds the binary as the Dockerfile's build
// stage does, checks it is static (no interpreter, no shared libraries), and runs it as the
// image would: as user 65532 (when the test runs as root), in an otherwise empty
// environment, with a fresh working directory for the SQLite default. It must answer
// /readyz, pass its own healthcheck and stop cleanly on SIGTERM.
func TestStaticBinaryRunsAsNonRootWithoutAShell(t *testing.T) {
	dir, err := os.MkdirTemp("", "casewatch-image-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := buildBinary(t, dir)

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary is dynamically linked (%v)", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v", libs)
	}
	f.Close()

	var cred *syscall.Credential
	if os.Getuid() == 0 {
		cred = &syscall.Credential{Uid: nonroot, Gid: nonroot}
		for _, p := range []string{dir, bin} {
			if err := os.Chown(p, nonroot, nonroot); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		t.Log("not root: running as the current user")
	}
	// The image's environment, and nothing else: no PATH, no HOME, no shell.
	imageEnv := []string{"ADDR=127.0.0.1:0", "DATABASE_URL=sqlite:casewatch.db", "LOG_FORMAT=json", "DEMO_CASES=300"}
	cmd := exec.Command(bin)
	cmd.Dir, cmd.Env = dir, imageEnv
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	stdout, _ := cmd.StdoutPipe()
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("did not start: %v\n%s", err, logs.String())
	}
	go io.Copy(io.Discard, r)
	url := strings.TrimSpace(line[strings.Index(line, "http://"):])
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	hc := exec.Command(bin, "healthcheck", "--url", url+"/readyz")
	hc.Dir, hc.Env = dir, imageEnv
	hc.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := hc.CombinedOutput(); err != nil || string(out) != "200 ready\n" {
		t.Fatalf("healthcheck: %v %q", err, out)
	}
	st, err := os.Stat(filepath.Join(dir, "casewatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	if cred != nil && st.Sys().(*syscall.Stat_t).Uid != nonroot {
		t.Errorf("the database belongs to uid %d", st.Sys().(*syscall.Stat_t).Uid)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("did not stop on SIGTERM")
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("errors:\n%s", logs.String())
	}
}

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       map[string]string `yaml:"build"`
		EnvFile     string            `yaml:"env_file"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
		Ports   []string `yaml:"ports"`
		Volumes []any    `yaml:"volumes"`
	} `yaml:"services"`
}

func envFile(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(l, "#") {
			m[k] = v
		}
	}
	return m
}

// TestComposeFile: compose.yaml parses; PostgreSQL, Redis, two casewatch instances and a
// proxy are there; every service has a healthcheck in exec form; the instances wait for
// the database and Redis, the proxy for healthy instances; the names and ports agree with
// nginx.conf and the example environment files, whose copies git ignores.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range c.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	if want := []string{"casewatch-1", "casewatch-2", "postgres", "proxy", "redis"}; !slices.Equal(names, want) {
		t.Fatalf("services %v, want %v", names, want)
	}
	for n, s := range c.Services {
		if len(s.Healthcheck.Test) < 2 || s.Healthcheck.Test[0] != "CMD" {
			t.Errorf("%s: healthcheck %v, want the exec form [CMD ...]", n, s.Healthcheck.Test)
		}
	}
	nginx, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	upstreams := regexp.MustCompile(`(?m)^\s*server\s+([\w.-]+):(\d+)`).FindAllStringSubmatch(string(nginx), -1)
	if len(upstreams) != 2 {
		t.Fatalf("nginx.conf names %d upstream servers, want the 2 instances", len(upstreams))
	}
	cw := envFile(t, "casewatch.env.example")
	pg := envFile(t, "postgres.env.example")
	for i, n := range []string{"casewatch-1", "casewatch-2"} {
		s := c.Services[n]
		if s.Image != c.Services["casewatch-1"].Image || s.Build["dockerfile"] != "Dockerfile" || s.Build["context"] != ".." {
			t.Errorf("%s: image %q build %v, want the repository's Dockerfile", n, s.Image, s.Build)
		}
		if !slices.Equal(s.Healthcheck.Test, []string{"CMD", "/casewatch", "healthcheck"}) {
			t.Errorf("%s: healthcheck %v", n, s.Healthcheck.Test)
		}
		for _, dep := range []string{"postgres", "redis"} {
			if s.DependsOn[dep].Condition != "service_healthy" {
				t.Errorf("%s: depends on %s %+v, want service_healthy", n, dep, s.DependsOn[dep])
			}
		}
		if upstreams[i][1] != n || ":"+upstreams[i][2] != s.Environment["ADDR"] {
			t.Errorf("nginx upstream %s:%s, but %s listens on %q", upstreams[i][1], upstreams[i][2], n, s.Environment["ADDR"])
		}
		if !strings.HasPrefix(s.Environment["REDIS_URL"], "redis://redis:") {
			t.Errorf("%s: REDIS_URL %q", n, s.Environment["REDIS_URL"])
		}
		if s.EnvFile != "casewatch.env" {
			t.Errorf("%s: env_file %q", n, s.EnvFile)
		}
		if c.Services["proxy"].DependsOn[n].Condition != "service_healthy" {
			t.Errorf("the proxy does not wait for %s to be healthy", n)
		}
	}
	if c.Services["postgres"].EnvFile != "postgres.env" {
		t.Errorf("postgres env_file %q", c.Services["postgres"].EnvFile)
	}
	db := cw["DATABASE_URL"]
	want := "postgres://" + c.Services["postgres"].Environment["POSTGRES_USER"] + ":" + pg["POSTGRES_PASSWORD"] +
		"@postgres:5432/" + c.Services["postgres"].Environment["POSTGRES_DB"]
	if !strings.HasPrefix(db, want) {
		t.Errorf("casewatch.env.example DATABASE_URL %q, want %s… to match the postgres service", db, want)
	}
	if cw["CASEWATCH_SECRET"] == "" {
		t.Error("casewatch.env.example sets no CASEWATCH_SECRET")
	}
	if exec.Command("git", "rev-parse", "--is-inside-work-tree").Run() != nil {
		t.Log("not a git work tree: .gitignore not checked")
		return
	}
	for _, f := range []string{"casewatch.env", "postgres.env"} {
		if out, err := exec.Command("git", "check-ignore", f).CombinedOutput(); err != nil {
			t.Errorf("git does not ignore %s, which holds secrets: %v %s", f, err, out)
		}
	}
}
