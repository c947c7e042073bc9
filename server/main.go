// Command server runs casewatch: the portal and its GraphQL API (serve, the default), and
// the operator's subcommands (seed, import, token).
//
//	go run ./server            serve the portal on localhost:8080 (SQLite, demo data)
//	go run ./server seed --cases 1000000
//	go run ./server import cases.csv --dry-run
//	go run ./server token create --role editor --name newsroom
//	go run ./server token create --role reader --name researcher
//	go run ./server webhook create --url https://newsroom.example/hook
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT sets another.
// Without one the garbage collector lets the heap grow to twice what is live; with a
// million cases in the statistics table that alone passes the 300 MB of docs/design.md §8.
// Closer to what is live (some 130 MB at a million cases), the collector runs every few
// hundred requests: 160 MiB cost a sixth of a page's CPU. Raise it (GOMEMLIMIT=1GiB) for
// datasets of several million cases.
const defaultMemoryLimit = 200 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errRejected) {
			fmt.Fprintln(os.Stderr, "casewatch:", err)
		}
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// run is the whole program with its inputs passed in, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "seed":
		return seed(ctx, args, getenv, stdout, stderr)
	case "import":
		return importCmd(ctx, args, getenv, stdout, stderr)
	case "token":
		return tokenCmd(ctx, args, getenv, stdout, stderr)
	case "webhook":
		return webhookCmd(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args, getenv, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q\n%s", cmd, usage)}
}

const usage = `usage: casewatch [command] [flags]

commands:
  serve        serve the portal and API (default)
  seed         write the synthetic demo dataset into an empty database (--cases N)
  import       import a CSV or NDJSON file of case records as a release (--dry-run)
  token        create --role editor|reader --name NAME | revoke NAME
  webhook      create --url URL [--filter JSON] | list | pause|resume|delete ID | deliveries ID
  healthcheck  ask a running server's /readyz; exit 0 when it answers 200 (for containers)
  help         show this text

Run "casewatch COMMAND -h" for a command's flags.
`
