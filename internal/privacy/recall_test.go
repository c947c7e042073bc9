package privacy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestRedactionRecall runs Redact over the corpus in testdata/corpus (see its README) and
// prints, per identifier type, how many marked identifiers were removed entirely, and for
// ordinary text how many words were removed although nothing there identifies anyone.
//
// Thresholds: every type must reach minRecall. Over-redaction of ordinary.txt must stay at
// or below maxOverRedaction: the ordinary sentences are the official language every summary
// is made of (courts, regions, articles, amounts, months with years); losing more than one
// word in fifty of it would make summaries unreadable and, through Redact's
// publishability rule, unpublished, while the rules may still err towards removing a
// capitalised word next to a name.
const (
	minRecall        = 0.99
	maxOverRedaction = 0.02
)

// corpusTypes are the identifier types the corpus must cover, and its ordinary text.
var corpusTypes = []string{"addresses", "ages", "birthdates", "emails", "handles", "iins",
	"links", "names", "phones", "plates", "ordinary"}

func TestRedactionRecall(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	// Every identifier type has its file: a file deleted must fail, not drop out.
	have := map[string]bool{}
	for _, f := range files {
		have[strings.TrimSuffix(filepath.Base(f), ".txt")] = true
	}
	for _, typ := range corpusTypes {
		if !have[typ] {
			t.Errorf("the corpus has no %s.txt", typ)
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-12s %6s %6s %8s %14s\n", "type", "found", "missed", "recall", "context lost")
	for _, file := range files {
		typ := strings.TrimSuffix(filepath.Base(file), ".txt")
		lines := corpusLines(t, file)
		if typ == "ordinary" {
			total, removed := 0, 0
			for _, line := range lines {
				out, _ := Redact(line)
				n, r := lostWords(line, out)
				total += n
				removed += r
				if r > 0 {
					t.Logf("ordinary: %d word(s) removed\n in: %s\nout: %s", r, line, out)
				}
			}
			if total == 0 {
				t.Fatalf("ordinary: no words")
			}
			share := float64(removed) / float64(total)
			fmt.Fprintf(&table, "%-12s over-redaction %d of %d words = %.2f%%\n", typ, removed, total, 100*share)
			if share > maxOverRedaction {
				t.Errorf("over-redaction %.2f%% > %.2f%%", 100*share, 100*maxOverRedaction)
			}
			continue
		}
		found, missed, contextWords, contextLost := 0, 0, 0, 0
		for _, line := range lines {
			plain, secrets, outside := parseMarked(line)
			if len(secrets) == 0 {
				t.Errorf("%s: no ⟦…⟧ in %q", typ, line)
				continue
			}
			out, _ := Redact(plain)
			outCount := wordCounts(out)
			outsideCount := wordCounts(outside)
			for _, secret := range secrets {
				leaked := false
				for _, u := range identifyingUnits(secret) {
					if outCount[u] > outsideCount[u] {
						leaked = true
					}
				}
				if leaked {
					missed++
					t.Logf("%s: %q survived\n in: %s\nout: %s", typ, secret, plain, out)
				} else {
					found++
				}
			}
			n, r := lostWords(outside, out)
			contextWords += n
			contextLost += r
		}
		if found+missed < 20 {
			t.Fatalf("%s: %d identifiers, too few to measure recall", typ, found+missed)
		}
		recall := float64(found) / float64(found+missed)
		fmt.Fprintf(&table, "%-12s %6d %6d %7.1f%% %13.1f%%\n", typ, found, missed, 100*recall,
			100*float64(contextLost)/float64(max(contextWords, 1)))
		if recall < minRecall {
			t.Errorf("%s: recall %.1f%% < %.0f%%", typ, 100*recall, 100*minRecall)
		}
	}
	t.Logf("redaction recall (context lost: words outside the marks removed too)\n%s", table.String())
	if testing.Verbose() || t.Failed() {
		fmt.Print(table.String())
	}
}

// corpusLines reads the sentences of a corpus file.
func corpusLines(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// parseMarked returns the line without marks, the marked parts, and the line with the marked
// parts left out.
func parseMarked(line string) (plain string, secrets []string, outside string) {
	var p, o strings.Builder
	for {
		open := strings.Index(line, "⟦")
		if open < 0 {
			break
		}
		end := strings.Index(line[open:], "⟧")
		if end < 0 {
			break
		}
		secret := line[open+len("⟦") : open+end]
		p.WriteString(line[:open])
		p.WriteString(secret)
		o.WriteString(line[:open])
		o.WriteString(" ")
		secrets = append(secrets, secret)
		line = line[open+end+len("⟧"):]
	}
	p.WriteString(line)
	o.WriteString(line)
	return p.String(), secrets, o.String()
}

// corpusWords cuts s into words: runs of letters and marks, runs of digits; the replacement
// tokens are left out. Words are case-folded.
func corpusWords(s string) []string {
	for k := kindIIN; k < kindCount; k++ {
		s = strings.ReplaceAll(s, k.token(), " ")
	}
	var words []string
	var cur []rune
	curDigit := false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		p := propsOf(r)
		switch {
		case p.is(flagDigit):
			if !curDigit {
				flush()
			}
			curDigit = true
			cur = append(cur, r)
		case p.is(flagLetter | flagMark):
			if curDigit {
				flush()
			}
			curDigit = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

func wordCounts(s string) map[string]int {
	m := map[string]int{}
	for _, w := range corpusWords(s) {
		m[w]++
	}
	return m
}

// identifyingUnits are the parts of a marked identifier that must be gone: its digit runs
// and its runs of two letters or more (a lone letter identifies no one).
func identifyingUnits(secret string) []string {
	var units []string
	for _, w := range corpusWords(secret) {
		if len([]rune(w)) >= 2 || propsOf([]rune(w)[0]).is(flagDigit) {
			units = append(units, w)
		}
	}
	slices.Sort(units)
	return slices.Compact(units)
}

// lostWords counts the words of in and how many of them are missing from out.
func lostWords(in, out string) (total, removed int) {
	outCount := wordCounts(out)
	for w, n := range wordCounts(in) {
		total += n
		removed += max(0, n-outCount[w])
	}
	return total, removed
}

// The forms added for the recall corpus keep Redact's time linear on hostile input.
func TestRedactHostileNewForms(t *testing.T) {
	n := MaxRedactBytes
	inputs := map[string]string{
		"defanged dots":  strings.Repeat("a[.]", n/4),
		"spaced dots":    strings.Repeat("a . ", n/4),
		"dot words":      strings.Repeat("a dot ", n/6),
		"at words":       strings.Repeat("a at ", n/5),
		"at brackets":    strings.Repeat("a(at)", n/5),
		"spaced at":      strings.Repeat("a @ ", n/4),
		"spaced slashes": strings.Repeat("a.kz / ", n/7),
		"cue words":      strings.Repeat("ник: ", n/9),
		"bare streets":   strings.Repeat("Киевская 1, ", n/22),
		"plates":         strings.Repeat("123 ABC 02 ", n/11),
		"letter O":       strings.Repeat("1O", n/2),
		"ages":           strings.Repeat("24-летний ", n/18),
		"sky names":      strings.Repeat("Ковальская ", n/21),
	}
	for name, in := range inputs {
		start := time.Now()
		out, _ := Redact(in, "Иванов Иван Иванович")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s: invalid UTF-8 output", name)
		}
	}
}
