// Package cachetest gives tests a real Redis: the shared one the test command runs
// (CASEWATCH_TEST_REDIS_URL), used under a key prefix of the test's own and never flushed,
// or a private redis-server the test starts, stops and restarts. Under
// CASEWATCH_TEST_REQUIRE_SERVICES=1 a missing Redis fails the test instead of skipping it.
package cachetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
		t.Fatal(what + "; run the tests through .ci/test")
	}
	t.Skip(what + " (use .ci/test)")
}

// RedisURL returns the shared test Redis, or skips the test without one.
func RedisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CASEWATCH_TEST_REDIS_URL")
	if u == "" {
		missing(t, "CASEWATCH_TEST_REDIS_URL is not set")
	}
	return u
}

// Prefix returns a Redis key prefix no other test uses; its keys are deleted when the
// test ends.
func Prefix(t testing.TB, redisURL string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	p := "casewatch-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		opt, err := redis.ParseURL(redisURL)
		if err != nil {
			return
		}
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, p+"*", 500).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	return p
}

// Server is a private redis-server on a spare port.
type Server struct {
	URL  string
	port int
	dir  string
	bin  string
	t    testing.TB
	cmd  *exec.Cmd
}

// StartRedis starts a private redis-server (CASEWATCH_TEST_REDIS_SERVER, or redis-server
// on PATH, or /usr/bin/redis-server), stopped when the test ends.
func StartRedis(t testing.TB) *Server {
	t.Helper()
	bin := os.Getenv("CASEWATCH_TEST_REDIS_SERVER")
	if bin == "" {
		bin, _ = exec.LookPath("redis-server")
	}
	if bin == "" {
		if _, err := os.Stat("/usr/bin/redis-server"); err == nil {
			bin = "/usr/bin/redis-server"
		}
	}
	if bin == "" {
		missing(t, "redis-server not found")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{URL: fmt.Sprintf("redis://127.0.0.1:%d/0", port), port: port, dir: t.TempDir(), bin: bin, t: t}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start starts the server (again) on its port and waits until it answers.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		return
	}
	s.cmd = exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir,
		"--logfile", filepath.Join(s.dir, "redis.log"))
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	opt, _ := redis.ParseURL(s.URL)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			s.t.Fatalf("redis-server does not answer: %v\n%s", err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server at once, as a crash would.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}
