package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheck asks a running server's /readyz and succeeds when it answers 200 (ready or
// degraded). It is for container healthchecks: the image has no shell and no curl.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := newFlagSet("healthcheck", getenv, stderr)
	target := fs.String("url", "", "URL to ask (default: /readyz at ADDR, on 127.0.0.1 when ADDR names no host)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := cfg.parse(fs, args); err != nil {
		return err
	}
	u := *target
	if u == "" {
		host, port, err := net.SplitHostPort(cfg.addr)
		if err != nil {
			return usageError{fmt.Errorf("ADDR %q: %w", cfg.addr, err)}
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		u = "http://" + net.JoinHostPort(host, port) + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return usageError{err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	fmt.Fprintf(stdout, "%d %s\n", resp.StatusCode, strings.TrimSpace(string(body)))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d", u, resp.StatusCode)
	}
	return nil
}
