package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries an event's signature: "t=UNIX,v1=HEX", HEX the HMAC-SHA256,
// under the subscriber's secret, of "UNIX.BODY". The time is in the signed text, so a
// captured event cannot be replayed later than the receiver's tolerance.
const SignatureHeader = "Casewatch-Signature"

// DefaultTolerance is how old a signature Verify accepts by default.
const DefaultTolerance = 5 * time.Minute

// Sign returns the value of SignatureHeader for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("no valid v1 signature")
	ErrBadSignature = errors.New("signature does not match")
	ErrTooOld       = errors.New("signature time is outside the tolerance")
)

// Verify checks header (the value of SignatureHeader) against body: a v1 signature must
// match, and its time must lie within tolerance of now (either side, for clock skew). It
// is what a receiver written in Go runs; the README shows the same in shell.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrNoSignature
	}
	want := mac(secret, ts, body)
	ok := false
	for _, s := range sigs {
		ok = ok || hmac.Equal([]byte(s), []byte(want))
	}
	if !ok {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w (%s)", ErrTooOld, d.Round(time.Second))
	}
	return nil
}
