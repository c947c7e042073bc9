package webhooks

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
)

func TestSignAndVerify(t *testing.T) {
	body := []byte(`{"id":"evt_1","type":"release.published"}`)
	at := time.Unix(1_800_000_000, 0)
	h := Sign("whsec_x", at, body)
	if !strings.HasPrefix(h, "t=1800000000,v1=") || len(h) != len("t=1800000000,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	if err := Verify("whsec_x", h, body, at.Add(time.Minute), DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		secret, header string
		body           string
		now            time.Time
		want           error
	}{
		"other secret":    {"whsec_y", h, string(body), at, ErrBadSignature},
		"body changed":    {"whsec_x", h, string(body) + " ", at, ErrBadSignature},
		"replayed later":  {"whsec_x", h, string(body), at.Add(6 * time.Minute), ErrTooOld},
		"from the future": {"whsec_x", h, string(body), at.Add(-6 * time.Minute), ErrTooOld},
		"time changed":    {"whsec_x", strings.Replace(h, "t=1800000000", "t=1800000300", 1), string(body), at.Add(5 * time.Minute), ErrBadSignature},
		"no signature":    {"whsec_x", "t=1800000000", string(body), at, ErrNoSignature},
		"empty":           {"whsec_x", "", string(body), at, ErrNoSignature},
		"v0 only":         {"whsec_x", strings.Replace(h, "v1=", "v0=", 1), string(body), at, ErrNoSignature},
	} {
		if err := Verify(c.secret, c.header, []byte(c.body), c.now, DefaultTolerance); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	// A receiver may list several v1 signatures (secret rotation): one match suffices.
	if err := Verify("whsec_x", "t=1800000000,v1=00,"+h[len("t=1800000000,"):], body, at, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
}

func TestBackoffSchedule(t *testing.T) {
	p := DefaultPolicy
	var got []string
	for n := 1; n <= 10; n++ {
		got = append(got, p.Delay(n).String())
	}
	if want := "30s 1m0s 2m0s 4m0s 8m0s 16m0s 32m0s 1h0m0s 1h0m0s 1h0m0s"; strings.Join(got, " ") != want {
		t.Fatalf("delays %s, want %s", strings.Join(got, " "), want)
	}
	// Jitter stays within a fifth either way.
	now := time.Unix(0, 0)
	for n := 1; n < 30; n++ {
		next := p.NextAttempt(now, n, now.Add(48*time.Hour)).Sub(now)
		if d := p.Delay(n); next < d*8/10 || next > d*12/10 {
			t.Fatalf("attempt %d retried after %s, delay %s", n, next, d)
		}
	}
	// Retries stop a day after the event: the last attempt is the one whose retry would
	// fall past it. Without jitter a failing event is tried about 30 times in that day.
	expires := now.Add(p.RetryFor)
	at, n := now, 1
	for ; ; n++ {
		next := p.NextAttempt(at, n, expires)
		if next.IsZero() {
			break
		}
		at = next
	}
	if n < 25 || n > 40 || expires.Sub(at) > 72*time.Minute {
		t.Fatalf("%d attempts, the last %s before the end", n, expires.Sub(at))
	}
	// The pause comes first: 20 failures in a row take about 14 hours.
	total := time.Duration(0)
	for n := 1; n < p.PauseAfter; n++ {
		total += p.Delay(n)
	}
	if total > p.RetryFor || total < 12*time.Hour {
		t.Fatalf("20 attempts span %s", total)
	}
	short := PolicyWithBackoff(10 * time.Millisecond)
	if short.Delay(20) != 1200*time.Millisecond {
		t.Fatalf("short policy's longest wait %s", short.Delay(20))
	}
}

func TestCheckURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://example.org/hook?k=1":                   true,
		"https://example.org:8443/hook":                  true,
		"http://example.org/hook":                        false,
		"ftp://example.org/hook":                         false,
		"https://user:pw@example.org/hook":               false,
		"https://example.org/hook#x":                     false,
		"https:///hook":                                  false,
		"example.org/hook":                               false,
		"https://127.0.0.1/hook":                         false,
		"https://localhost/hook":                         false,
		"https://10.1.2.3/hook":                          false,
		"https://169.254.169.254/latest":                 false,
		"https://[::1]/hook":                             false,
		"https://[fd00::1]/hook":                         false,
		"https://100.64.0.1/hook":                        false,
		"https://0.0.0.0/hook":                           false,
		"https://93.184.215.14/hook":                     true,
		"https://" + strings.Repeat("a", 2000) + ".org/": false,
	} {
		if _, err := CheckURL(raw, false); (err == nil) != ok {
			t.Errorf("%s: %v", raw, err)
		}
	}
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:8080/hook": true,
		"http://localhost:8080/hook": true,
		"http://[::1]:8080/hook":     true,
		"http://example.org/hook":    false,
		"http://10.0.0.1/hook":       false,
	} {
		if _, err := CheckURL(raw, true); (err == nil) != ok {
			t.Errorf("loopback allowed, %s: %v", raw, err)
		}
	}
}

func TestFilterJSON(t *testing.T) {
	kz := model.JurisdictionKZ
	from := "2024-01-01"
	f := model.CaseFilter{Jurisdiction: &kz, Categories: []model.ContentCategory{model.ContentCategoryFalseInformation}, ReportedFrom: &from}
	text := EncodeFilter(f)
	if text != `{"jurisdiction":"KZ","categories":["FALSE_INFORMATION"],"reportedFrom":"2024-01-01"}` {
		t.Fatalf("encoded %s", text)
	}
	back, err := DecodeFilter(text)
	if err != nil || EncodeFilter(back) != text {
		t.Fatalf("decoded %+v %v", back, err)
	}
	if EncodeFilter(model.CaseFilter{}) != "{}" {
		t.Fatal("empty filter")
	}
	for _, bad := range []string{`{"jurisdiction":"KX"}`, `{"categories":["MEMES"]}`, `{"catgories":["OTHER"]}`,
		`{"reportedFrom":"2024-13-01"}`, `[1]`, `{"stages":"COURT"}`} {
		var in *InputError
		if _, err := DecodeFilter(bad); !errors.As(err, &in) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
