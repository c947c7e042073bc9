package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/webhooks"
)

const webhookUsage = "usage: webhook create --url URL [--filter JSON] | webhook list | webhook pause|resume|delete ID | webhook deliveries ID [--first N]"

// webhookCmd registers and manages webhooks from the command line, as the GraphQL
// mutations do for an editor's token; each change is in the audit log as "command line".
func webhookCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New(webhookUsage)}
	}
	sub, args := args[0], args[1:]
	fs, cfg := newFlagSet("webhook "+sub, getenv, stderr)
	var rawURL, filter *string
	var first *int
	switch sub {
	case "create":
		rawURL = fs.String("url", "", "where events are POSTed: https://…")
		filter = fs.String("filter", "", `a case filter as JSON with the names of CaseFilter, e.g. {"jurisdiction":"KZ","categories":["FALSE_INFORMATION"]}`)
	case "deliveries":
		first = fs.Int("first", 20, "how many of the latest deliveries (1 to 100)")
	case "list", "pause", "resume", "delete":
	default:
		return usageError{fmt.Errorf("unknown webhook command %q\n%s", sub, webhookUsage)}
	}
	if err := cfg.parse(fs, args); err != nil {
		return err
	}
	wantArgs := map[string]int{"create": 0, "list": 0, "pause": 1, "resume": 1, "delete": 1, "deliveries": 1}[sub]
	if fs.NArg() != wantArgs || (sub == "create" && *rawURL == "") || (first != nil && (*first < 1 || *first > 100)) {
		return usageError{errors.New(webhookUsage)}
	}
	var f model.CaseFilter
	if filter != nil && *filter != "" {
		var err error
		if f, err = webhooks.DecodeFilter(*filter); err != nil {
			return usageError{err}
		}
	}

	st, ref, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := webhooks.New(webhooks.Options{Store: st, Policy: cfg.webhookPolicy(), AllowLoopback: cfg.webhookAllowLoopback})
	audit := func(action, id string) error {
		return st.Audit(ctx, store.AuditEntry{TokenName: "command line", Action: action, Detail: "webhook " + id})
	}
	notFound := func(err error) error {
		if errors.Is(err, store.ErrNotFound) {
			return usageError{fmt.Errorf("there is no webhook %q (see webhook list)", fs.Arg(0))}
		}
		return err
	}
	switch sub {
	case "create":
		if err := checkFilterCodes(ctx, st, ref, f); err != nil {
			return usageError{err}
		}
		w, secret, err := svc.Create(ctx, *rawURL, f, "command line")
		var in *webhooks.InputError
		if errors.As(err, &in) {
			return usageError{err}
		}
		if err != nil {
			return err
		}
		if err := audit("createWebhook", w.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook %s\nsecret %s\n", w.ID, secret)
		fmt.Fprintln(stderr, "The secret signs every event (Casewatch-Signature); it is shown this once.")
		return nil
	case "list":
		list, err := svc.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATE\tFAILURES\tCREATED\tBY\tURL\tFILTER")
		for _, w := range list {
			state := "active"
			if w.PausedAt != nil {
				state = "paused (" + deref(w.PausedReason) + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", w.ID, state, w.ConsecutiveFailures, stamp(w.CreatedAt), w.CreatedBy, w.URL, w.Filter)
		}
		return tw.Flush()
	case "pause", "resume", "delete":
		do := map[string]func(context.Context, string) error{"pause": svc.Pause, "resume": svc.Resume, "delete": svc.Delete}[sub]
		if err := do(ctx, fs.Arg(0)); err != nil {
			return notFound(err)
		}
		if err := audit(sub+"Webhook", fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "webhook %s: %s\n", fs.Arg(0), map[string]string{"pause": "paused", "resume": "resumed", "delete": "deleted"}[sub])
		return nil
	}
	// deliveries
	list, err := svc.Deliveries(ctx, fs.Arg(0), *first)
	if err != nil {
		return notFound(err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EVENT\tRELEASE\tSTATUS\tATTEMPT\tAT\tHTTP\tMS\tERROR")
	for _, d := range list {
		if len(d.Log) == 0 {
			fmt.Fprintf(tw, "%s\t%d\t%s\t-\t%s\t\t\t\n", d.ID, d.ReleaseID, d.Status, stamp(d.CreatedAt))
		}
		for _, a := range d.Log {
			code := ""
			if a.StatusCode != nil {
				code = strconv.Itoa(*a.StatusCode)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%s\t%d\t%s\n", d.ID, d.ReleaseID, d.Status, a.Attempt, stamp(a.At), code, a.DurationMS, deref(a.Error))
		}
	}
	return tw.Flush()
}

// checkFilterCodes checks the regions and articles of a filter given on the command line
// against the reference data and the articles imports brought, as the GraphQL layer does.
func checkFilterCodes(ctx context.Context, st *store.Store, ref *reference.Data, f model.CaseFilter) error {
	for i, code := range f.Regions {
		r := ref.Region(code)
		if r == nil || (f.Jurisdiction != nil && r.Jurisdiction != *f.Jurisdiction) {
			return fmt.Errorf("filter.regions[%d] is not a region code of the jurisdiction; use ISO 3166-2 codes such as KZ-75", i)
		}
	}
	if len(f.Articles) == 0 {
		return nil
	}
	extra, err := st.UnlistedArticles(ctx)
	if err != nil {
		return err
	}
	all := append(slices.Clone(ref.Articles), extra...)
	for i, code := range f.Articles {
		if !slices.ContainsFunc(all, func(a model.Article) bool { return a.Code == code }) {
			return fmt.Errorf("filter.articles[%d] is not a known article; write it as CODE NUMBER, e.g. \"CAO 456-2\"", i)
		}
	}
	return nil
}

func stamp(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
