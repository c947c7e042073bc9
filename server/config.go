package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/redis/go-redis/v9"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/cache"
	"github.com/casewatch/casewatch/internal/dumps"
	"github.com/casewatch/casewatch/internal/ratelimit"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/webhooks"
)

// demoSecret keys pseudonyms and cursors when CASEWATCH_SECRET is not set. It is public, so
// it is fit only for the synthetic demo; serve logs a warning when it is in use.
const demoSecret = "casewatch-demo-secret-not-for-real-data"

// config is what every command reads: flags, each with an environment fallback.
type config struct {
	addr        string
	databaseURL string
	redisURL    string
	redisPrefix string
	cacheBytes  int
	secret      string
	threshold   int
	demo        bool
	demoCases   int
	logFormat   string
	shutdown    time.Duration
	// rateLimit and rateLimitReader are cost points per minute, for clients without and
	// with an API key; 0 is no limit, and rateLimitReader -1 is ten times rateLimit.
	rateLimit       int
	rateLimitReader int
	trustedProxies  string
	publicURL       string
	dumpsDir        string
	factsFile       string
	dumpsS3         dumps.S3Options
	// webhookAllowLoopback accepts http:// webhook URLs to this machine (tests, local
	// development); webhookBackoff is the first retry's wait, webhookPauseAfter the failures
	// in a row that pause a webhook.
	webhookAllowLoopback bool
	webhookBackoff       time.Duration
	webhookPauseAfter    int
	// proxies is trustedProxies parsed.
	proxies []netip.Prefix
	// envErrs holds environment values that could not be read; parse reports them.
	envErrs []error
}

// newFlagSet declares the shared flags of a command on fs; values not given on the command
// line come from the environment, then from the defaults.
func newFlagSet(name string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *config) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.addr, "addr", env("ADDR", "localhost:8080"), "listen address (env ADDR)")
	fs.StringVar(&c.databaseURL, "database-url", env("DATABASE_URL", "sqlite:casewatch.db"), "sqlite:PATH or postgres://… (env DATABASE_URL)")
	fs.StringVar(&c.redisURL, "redis-url", env("REDIS_URL", ""), "Redis for caching; none when empty (env REDIS_URL)")
	fs.StringVar(&c.redisPrefix, "redis-prefix", env("REDIS_PREFIX", cache.DefaultPrefix), "start of every Redis key and channel, for sharing a Redis (env REDIS_PREFIX)")
	fs.IntVar(&c.cacheBytes, "cache-bytes", c.envInt(getenv, "CACHE_BYTES", 32<<20), "bytes of answers cached in process; 0 for none (env CACHE_BYTES)")
	fs.StringVar(&c.secret, "secret", env("CASEWATCH_SECRET", ""), "HMAC key for pseudonyms, public ids and cursors (env CASEWATCH_SECRET)")
	fs.IntVar(&c.threshold, "suppression-threshold", c.envInt(getenv, "SUPPRESSION_THRESHOLD", 5), "k: smallest group size published (env SUPPRESSION_THRESHOLD)")
	fs.BoolVar(&c.demo, "demo", c.envBool(getenv, "DEMO", true), "load the demo dataset into an empty database (env DEMO)")
	fs.IntVar(&c.demoCases, "demo-cases", c.envInt(getenv, "DEMO_CASES", 50000), "cases in the demo dataset (env DEMO_CASES)")
	fs.StringVar(&c.logFormat, "log-format", env("LOG_FORMAT", "text"), "text or json (env LOG_FORMAT)")
	fs.IntVar(&c.rateLimit, "rate-limit", c.envInt(getenv, "RATE_LIMIT", defaultRateLimit), "cost points per minute for a client without an API key; 0 for no limit (env RATE_LIMIT)")
	fs.IntVar(&c.rateLimitReader, "rate-limit-reader", c.envInt(getenv, "RATE_LIMIT_READER", -1), "cost points per minute for an API key; -1 for ten times --rate-limit, 0 for no limit (env RATE_LIMIT_READER)")
	fs.StringVar(&c.publicURL, "public-url", env("PUBLIC_URL", ""), "scheme and host the portal is reached at, for the feed's absolute links; empty: the request's host (env PUBLIC_URL)")
	fs.StringVar(&c.factsFile, "facts-file", env("FACTS_FILE", "auto"), "where the in-memory fact table is kept between starts; auto: next to a SQLite database (PATH.facts), none for PostgreSQL; empty for none (env FACTS_FILE)")
	fs.StringVar(&c.dumpsDir, "dumps-dir", env("DUMPS_DIR", "casewatch-dumps"), "directory of the release dumps (/dumps/); empty for none (env DUMPS_DIR)")
	fs.StringVar(&c.dumpsS3.Bucket, "dumps-s3-bucket", env("DUMPS_S3_BUCKET", ""), "keep the dumps in this bucket of an S3-compatible store instead of DUMPS_DIR (env DUMPS_S3_BUCKET; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.dumpsS3.Endpoint, "dumps-s3-endpoint", env("DUMPS_S3_ENDPOINT", "s3.amazonaws.com"), "host[:port] of the S3-compatible store (env DUMPS_S3_ENDPOINT)")
	fs.StringVar(&c.dumpsS3.Prefix, "dumps-s3-prefix", env("DUMPS_S3_PREFIX", ""), "start of the dumps' keys in the bucket (env DUMPS_S3_PREFIX)")
	fs.StringVar(&c.dumpsS3.Region, "dumps-s3-region", env("DUMPS_S3_REGION", ""), "region of the bucket (env DUMPS_S3_REGION)")
	fs.BoolVar(&c.dumpsS3.Insecure, "dumps-s3-insecure", c.envBool(getenv, "DUMPS_S3_INSECURE", false), "plain HTTP to the store, for one on the same host (env DUMPS_S3_INSECURE)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "addresses or CIDR ranges, comma-separated, of proxies whose X-Forwarded-For is believed (env TRUSTED_PROXIES)")
	fs.BoolVar(&c.webhookAllowLoopback, "webhook-allow-loopback", c.envBool(getenv, "WEBHOOK_ALLOW_LOOPBACK", false), "accept http:// webhook URLs to this machine; for tests and local development only (env WEBHOOK_ALLOW_LOOPBACK)")
	fs.DurationVar(&c.webhookBackoff, "webhook-backoff", c.envDuration(getenv, "WEBHOOK_BACKOFF", webhooks.DefaultPolicy.Backoff), "wait before a failed webhook delivery's first retry; later ones double, up to 120 times it or an hour (env WEBHOOK_BACKOFF)")
	fs.IntVar(&c.webhookPauseAfter, "webhook-pause-after", c.envInt(getenv, "WEBHOOK_PAUSE_AFTER", webhooks.DefaultPolicy.PauseAfter), "failed webhook attempts in a row that pause it (env WEBHOOK_PAUSE_AFTER)")
	fs.DurationVar(&c.shutdown, "shutdown-timeout", 10*time.Second, "how long requests may finish after SIGTERM")
	// The S3 store's credentials, read like the AWS tools read them (but through getenv, so
	// that run stays testable).
	if id := getenv("AWS_ACCESS_KEY_ID"); id != "" {
		c.dumpsS3.Creds = credentials.NewStaticV4(id, getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN"))
	}
	return fs, c
}

// parse parses args and checks the values; errors are usage errors.
func (c *config) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if err := errors.Join(c.envErrs...); err != nil {
		return usageError{err}
	}
	if c.threshold < 3 {
		return usageError{fmt.Errorf("SUPPRESSION_THRESHOLD is %d; it may not be below 3", c.threshold)}
	}
	if c.demoCases < 1 || c.demoCases > 10_000_000 {
		return usageError{fmt.Errorf("DEMO_CASES is %d; use 1 to 10000000", c.demoCases)}
	}
	if c.cacheBytes < 0 {
		return usageError{fmt.Errorf("CACHE_BYTES is %d; use 0 or more", c.cacheBytes)}
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return usageError{fmt.Errorf("LOG_FORMAT is %q; use text or json", c.logFormat)}
	}
	if c.publicURL != "" {
		u, err := url.Parse(c.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
			return usageError{fmt.Errorf("PUBLIC_URL is %q; use a scheme and host, e.g. https://casewatch.example", c.publicURL)}
		}
	}
	if c.rateLimit < 0 || c.rateLimitReader < -1 {
		return usageError{fmt.Errorf("RATE_LIMIT is %d and RATE_LIMIT_READER %d; use 0 (no limit) or more", c.rateLimit, c.rateLimitReader)}
	}
	if c.webhookBackoff <= 0 || c.webhookPauseAfter < 1 {
		return usageError{fmt.Errorf("WEBHOOK_BACKOFF is %s and WEBHOOK_PAUSE_AFTER %d; use a positive duration and 1 or more", c.webhookBackoff, c.webhookPauseAfter)}
	}
	proxies, err := parseProxies(c.trustedProxies)
	if err != nil {
		return usageError{err}
	}
	c.proxies = proxies
	return nil
}

// defaultRateLimit is the budget of a client without an API key, in points of about 0.1 ms
// of CPU (graph.CostUnitsPerPoint): about 2 s of CPU a minute, some sixty of the most
// complex operations allowed, or hundreds of the portal's pages.
const defaultRateLimit = 20000

// budgets are the rate-limit budgets of clients without and with an API key.
func (c *config) budgets() (anonymous, key ratelimit.Budget) {
	reader := c.rateLimitReader
	if reader < 0 {
		reader = 10 * c.rateLimit
	}
	return ratelimit.Budget{PerMinute: c.rateLimit}, ratelimit.Budget{PerMinute: reader}
}

// parseProxies reads TRUSTED_PROXIES: addresses or CIDR ranges separated by commas or
// spaces.
func parseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is neither an address nor a CIDR range", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// snapshotFile is where the engine keeps its tables between starts (stats.Engine.SnapshotFile),
// "" for nowhere. By default a SQLite database has it beside; a PostgreSQL database, which
// several instances on several machines may share, only where FACTS_FILE says.
func (c *config) snapshotFile() string {
	if c.factsFile != "auto" {
		return c.factsFile
	}
	if path, ok := store.SQLitePath(c.databaseURL); ok {
		if path, _, _ = strings.Cut(path, "?"); path != "" && !strings.Contains(path, ":memory:") {
			return path + ".facts"
		}
	}
	return ""
}

// secretKey returns the configured secret, or the public demo key with demo=true.
func (c *config) secretKey() (key []byte, demo bool) {
	if c.secret == "" {
		return []byte(demoSecret), true
	}
	return []byte(c.secret), false
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func (c *config) envInt(getenv func(string) string, key string, def int) int {
	v := getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q is not a whole number", key, v))
	}
	return n
}

func (c *config) envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	v := getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q is not a duration (e.g. 30s)", key, v))
		return def
	}
	return d
}

// webhookPolicy is the webhooks' retry policy as configured.
func (c *config) webhookPolicy() webhooks.Policy {
	p := webhooks.PolicyWithBackoff(c.webhookBackoff)
	p.PauseAfter = c.webhookPauseAfter
	return p
}

func (c *config) envBool(getenv func(string) string, key string, def bool) bool {
	switch v := strings.ToLower(getenv(key)); v {
	case "":
		return def
	case "0", "false", "no", "off":
		return false
	case "1", "true", "yes", "on":
		return true
	default:
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q: use true or false", key, v))
		return def
	}
}

// redis returns a client for REDIS_URL, nil when it is empty. It does not connect yet.
func (c *config) redis() (redis.UniversalClient, error) {
	if c.redisURL == "" {
		return nil, nil
	}
	rdb, err := cache.Open(c.redisURL)
	if err != nil {
		return nil, usageError{err}
	}
	return rdb, nil
}

// open connects to the configured database, migrates it and loads the reference data.
// openDumps opens where the release dumps are kept: the S3 bucket when one is named, else
// DUMPS_DIR; nil when neither is (no dumps).
func (c *config) openDumps(ctx context.Context) (graph.DumpStore, error) {
	switch {
	case c.dumpsS3.Bucket != "":
		s3, err := dumps.NewS3(ctx, c.dumpsS3)
		if err != nil {
			return nil, fmt.Errorf("DUMPS_S3_BUCKET: %w", err)
		}
		return s3, nil
	case c.dumpsDir != "":
		dir, err := dumps.NewDir(c.dumpsDir)
		if err != nil {
			return nil, fmt.Errorf("DUMPS_DIR: %w", err)
		}
		return dir, nil
	}
	return nil, nil
}

func (c *config) open(ctx context.Context) (*store.Store, *reference.Data, error) {
	ref, err := reference.Read()
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, c.databaseURL)
	if err != nil {
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, ref, nil
}

// answersVersion numbers the ways the same data has been published: raise it whenever a
// change makes the same release give other answers (2: statistics perturbed by the cell
// key method; 3: per-capita figures divide by the population of the bucket's year), so that
// no answer cached by an older server is served.
const answersVersion = 3

// cachePrefix starts the answer cache's keys and channels (and the import's announcement
// of a release): REDIS_PREFIX, the schema version and answersVersion, so that answers
// cached before a migration (00007 removed summaries) or before a change of what is
// published are never read after it.
func (c *config) cachePrefix() string {
	return c.redisPrefix + "s" + strconv.Itoa(store.SchemaVersion()) + "a" + strconv.Itoa(answersVersion) + ":"
}
