package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// InputError is a mistake in what an editor asked for: the GraphQL layer answers it as
// BAD_USER_INPUT, the command line as a usage error.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// maxURLLength bounds a subscriber's URL.
const maxURLLength = 2000

// CheckURL checks a subscriber's URL: https, a host, no user name or password, no
// fragment. Plain http is accepted only to a loopback host, and only when allowLoopback
// (tests, local development). A host written as an address must be a public one (or
// loopback, when allowed); names are checked when they are dialled (see transport).
func CheckURL(raw string, allowLoopback bool) (*url.URL, error) {
	if len(raw) > maxURLLength {
		return nil, inputErr("url is longer than %d characters", maxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return nil, inputErr("url is not an absolute URL such as https://example.org/casewatch-hook")
	}
	if u.User != nil {
		return nil, inputErr("url may not hold a user name or password; authenticate the events by their signature")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, inputErr("url may not have a fragment (#…)")
	}
	host := u.Hostname()
	loopback := isLoopbackHost(host)
	switch u.Scheme {
	case "https":
	case "http":
		if !(allowLoopback && loopback) {
			return nil, inputErr("url must use https")
		}
	default:
		return nil, inputErr("url must use https")
	}
	if loopback && !allowLoopback {
		return nil, inputErr("url may not name this machine (loopback)")
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil && !allowedAddr(a, allowLoopback) {
		return nil, inputErr("url names an address that is not public (%s)", a)
	}
	return u, nil
}

func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.Unmap().IsLoopback()
}

// cgnat is the shared address space of carrier-grade NAT (RFC 6598), not public.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// allowedAddr tells whether events may go to address a: a public unicast address, or a
// loopback one when allowLoopback. Private, link-local (cloud metadata services among
// them), unspecified and multicast addresses never: a subscriber's URL must not reach
// into the network casewatch runs in.
func allowedAddr(a netip.Addr, allowLoopback bool) bool {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return allowLoopback
	case a.IsPrivate(), a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast(),
		a.IsMulticast(), a.IsUnspecified(), !a.IsValid(), cgnat.Contains(a):
		return false
	}
	return a.IsGlobalUnicast()
}

var errAddressNotAllowed = errors.New("the address is not public")

// newClient returns the HTTP client of deliveries: no proxy from the environment, the
// address of every connection checked after the name was resolved (so a name that
// resolves to a private address, at once or later, is refused), no redirect followed,
// and a time limit per attempt.
func newClient(timeout time.Duration, allowLoopback bool) *http.Client {
	dialer := &net.Dialer{
		Timeout: timeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			a, err := netip.ParseAddr(host)
			if err != nil || !allowedAddr(a, allowLoopback) {
				return errAddressNotAllowed
			}
			return nil
		},
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, addr)
			},
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
