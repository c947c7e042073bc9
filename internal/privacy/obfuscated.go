package privacy

import (
	"strings"
	"unicode/utf8"
)

// Obfuscated e-mail addresses and defanged links: "ivan at mail dot ru", "ivan(at)mail.ru",
// "ivan собака mail.ru", "ivan @ mail.ru", "t[.]me/…", "t . me / …", "kaznews(.)kz",
// "t dot me/…". Like links they are found in the normalised text before it is cut into
// words. The domain must end in a known top-level domain (or, for a link, be followed by a
// path), so that "at" and "dot" in English prose are left alone.

// atMarkers stand for '@'; dotMarkers for '.'. Compared ignoring case; the surrounding
// spaces are part of the marker.
var (
	atMarkers = fields(`(at) [at] {at} <at> (собака) [собака] {собака} (а)`)
	// Spaced words, written without their spaces here.
	atWords    = fields(`at собака`)
	dotMarkers = fields(`[.] (.) {.} [dot] (dot) {dot} <dot> [точка] (точка) {точка}`)
	dotWords   = fields(`dot точка`)
)

// findObfuscatedSpans appends the obfuscated e-mail addresses and defanged links of s.
func findObfuscatedSpans(spans []span, s string) []span {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ' ' && c != '(' && c != '[' && c != '{' && c != '<' && c != '@' && c != '/' {
			continue
		}
		if n := atMarkerLen(s, i); n > 0 {
			if sp, ok := obfuscatedEmail(s, i, i+n); ok {
				spans = append(spans, sp)
				i = sp.end - 1
				continue
			}
		}
		if c == ' ' && strings.HasPrefix(s[i:], " / ") || c == '/' && i+1 < len(s) && s[i+1] == ' ' {
			if sp, ok := spacedPathLink(s, i); ok {
				spans = append(spans, sp)
				i = sp.end - 1
				continue
			}
		}
		if n := dotMarkerLen(s, i, true); n > 0 {
			sp, ok, scanned := defangedLink(s, i)
			if ok {
				spans = append(spans, sp)
				i = sp.end - 1
			} else if scanned > i+1 {
				i = scanned - 1 // the labels read belong to no other link: linear time
			}
		}
	}
	return spans
}

// hasPrefixFold reports whether s[i:] starts with m, ignoring case.
func hasPrefixFold(s string, i int, m string) bool {
	return len(s)-i >= len(m) && strings.EqualFold(s[i:i+len(m)], m)
}

// markerLen returns the length of a marker at s[i]: a bracketed one (optionally with a
// space before and after), or a spaced word " at ".
func markerLen(s string, i int, bracketed, words []string) int {
	j := i
	if s[j] == ' ' {
		j++
	}
	if j < len(s) && (s[j] == '(' || s[j] == '[' || s[j] == '{' || s[j] == '<') {
		for _, m := range bracketed {
			if hasPrefixFold(s, j, m) {
				end := j + len(m)
				if end < len(s) && s[end] == ' ' {
					end++
				}
				return end - i
			}
		}
	}
	if s[i] != ' ' || i+1 >= len(s) {
		return 0
	}
	// Every spaced word starts with a or d (Latin), or с or т (Cyrillic: С Т are D0 A1 and
	// D0 A2, с т are D1 81 and D1 82).
	if c := s[i+1] | 0x20; c != 'a' && c != 'd' {
		if i+2 >= len(s) || !(s[i+1] == 0xD0 && (s[i+2] == 0xA1 || s[i+2] == 0xA2) || s[i+1] == 0xD1 && (s[i+2] == 0x81 || s[i+2] == 0x82)) {
			return 0
		}
	}
	for _, w := range words {
		if hasPrefixFold(s, i+1, w) && i+1+len(w) < len(s) && s[i+1+len(w)] == ' ' {
			return len(w) + 2
		}
	}
	return 0
}

func atMarkerLen(s string, i int) int {
	if n := markerLen(s, i, atMarkers, atWords); n > 0 {
		return n
	}
	// A spaced '@': "ivan @ mail.ru", "ivan@ mail.ru", "ivan @mail.ru".
	switch {
	case strings.HasPrefix(s[i:], " @ "):
		return 3
	case strings.HasPrefix(s[i:], " @"), strings.HasPrefix(s[i:], "@ ") && i > 0 && s[i-1] != ' ':
		return 2
	}
	return 0
}

// dotMarkerLen returns the length of a dot marker at s[i]; with obfuscatedOnly, a plain "."
// does not count, a spaced " . " does.
func dotMarkerLen(s string, i int, obfuscatedOnly bool) int {
	if n := markerLen(s, i, dotMarkers, dotWords); n > 0 {
		return n
	}
	if strings.HasPrefix(s[i:], " . ") {
		return 3
	}
	if !obfuscatedOnly && i < len(s) && s[i] == '.' {
		return 1
	}
	return 0
}

// hostLabelEnd returns the end of the host label (letters, digits, '-') at s[i].
func hostLabelEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isLetterOrDigit(r) && r != '-' {
			break
		}
		i += size
	}
	return i
}

// parseHost reads labels joined by dot markers from s[i]: it returns the end of the last
// label, how many labels, and the last label.
func parseHost(s string, i int) (end, labels int, last string) {
	end = hostLabelEnd(s, i)
	if end == i {
		return i, 0, ""
	}
	labels, last = 1, s[i:end]
	for end < len(s) {
		n := dotMarkerLen(s, end, false)
		if n == 0 {
			break
		}
		next := hostLabelEnd(s, end+n)
		if next == end+n {
			break
		}
		labels, last = labels+1, s[end+n:next]
		end = next
	}
	return end, labels, last
}

// obfuscatedEmail checks for "user AT domain DOT tld" around the at marker s[ms:me].
func obfuscatedEmail(s string, ms, me int) (span, bool) {
	us := ms
	for us > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:us])
		if !isEmailLocalRune(r) {
			break
		}
		us -= size
	}
	if us == ms || !strings.ContainsFunc(s[us:ms], isLetterOrDigit) {
		return span{}, false
	}
	end, labels, tld := parseHost(s, me)
	if labels < 2 || !knownTLDs[strings.ToLower(tld)] {
		return span{}, false
	}
	return span{us, end, kindEmail}, true
}

// defangedLink checks for a host with an obfuscated dot at s[i] ("t[.]me", "t . me") and
// takes its path along ("/…", also written " / …").
// It also returns how far it read, so that the caller does not read the same labels again.
func defangedLink(s string, i int) (sp span, ok bool, scanned int) {
	start := i
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:start])
		if !isHostRune(r) {
			break
		}
		start -= size
	}
	if start == i {
		return span{}, false, i
	}
	end, labels, tld := parseHost(s, start)
	if end <= i || labels < 2 {
		return span{}, false, i
	}
	pathEnd := linkPathEnd(s, end)
	if !knownTLDs[strings.ToLower(tld)] && pathEnd == end {
		return span{}, false, end
	}
	return span{start, pathEnd, kindLink}, true, pathEnd
}

// linkPathEnd returns the end of a path after a host ending at s[i]: "/…", " / …", "/ …"
// up to the next space, without closing punctuation; i when there is none.
func linkPathEnd(s string, i int) int {
	j := i
	if strings.HasPrefix(s[j:], " /") {
		j++
	}
	if j >= len(s) || s[j] != '/' {
		return i
	}
	j++
	if j < len(s) && s[j] == ' ' {
		j++
	}
	e := strings.IndexByte(s[j:], ' ')
	if e < 0 {
		e = len(s) - j
	}
	if n := trimmedLen(s[j : j+e]); n > 0 {
		return j + n
	}
	return i
}

// spacedPathLink checks for a domain with a known top-level domain right before s[i] and a
// path written with spaces around its slash: "instagram.com / aigerim88".
func spacedPathLink(s string, i int) (span, bool) {
	start := i
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:start])
		if !isHostRune(r) {
			break
		}
		start -= size
	}
	end, labels, tld := parseHost(s, start)
	if end != i || labels < 2 || !knownTLDs[strings.ToLower(tld)] {
		return span{}, false
	}
	if pathEnd := linkPathEnd(s, end); pathEnd > end {
		return span{start, pathEnd, kindLink}, true
	}
	return span{}, false
}
