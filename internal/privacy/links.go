package privacy

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Links, e-mail addresses and handles never contain a space, so they are found chunk by
// chunk (text between spaces) before the text is cut into words. Each chunk is scanned a
// fixed number of times and every backward or forward walk stops at the next '@', so the
// work is linear in the length of the text.

// span is a byte range of the text to replace with a token.
type span struct {
	start, end int
	kind       kind
}

// findLinkSpans appends the links, e-mail addresses and handles of s (normalised text) to
// spans. Only the chunks with a hint of one (linkHint) are examined.
func findLinkSpans(spans []span, s string) []span {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '@' && c != '.' && c != ':' && c != '_' || !linkHint(s, i) {
			continue
		}
		cs := strings.LastIndexByte(s[:i], ' ') + 1
		ce := strings.IndexByte(s[i:], ' ')
		if ce < 0 {
			ce = len(s)
		} else {
			ce += i
		}
		spans = linkSpansInChunk(spans, s, cs, ce)
		i = ce // the next chunk
	}
	return spans
}

// linkHint reports whether s[i] suggests a link, address or handle around it: an '@', a '.'
// followed by a letter (a domain: not a sentence end, "ст." or a date), "://", or an '_'
// (user names).
func linkHint(s string, i int) bool {
	switch s[i] {
	case '@', '_':
		return true
	default:
		return false
	case '.':
		if i+1 < len(s) {
			r, _ := decodeRune(s, i+1)
			return propsOf(r).is(flagLetter)
		}
	case ':':
		return strings.HasPrefix(s[i+1:], "//")
	}
	return false
}

func linkSpansInChunk(spans []span, s string, cs, ce int) []span {
	chunk := s[cs:ce]
	end := cs + trimmedLen(chunk) // a link stops before closing punctuation

	// scheme://… runs to the end of the chunk.
	if i := strings.Index(chunk, "://"); i >= 0 {
		start := i
		for start > 0 && isSchemeChar(chunk[start-1]) {
			start--
		}
		if cs+start < end {
			spans = append(spans, span{cs + start, end, kindLink})
		}
	}
	// www.… likewise, when "www" starts a word.
	if i := indexASCIIFold(chunk, "www."); i >= 0 && (i == 0 || !isHostRune(lastRune(chunk[:i]))) && cs+i < end {
		spans = append(spans, span{cs + i, end, kindLink})
	}

	// user@domain is an e-mail address; @name alone is a handle.
	for i := 0; i < len(chunk); i++ {
		if chunk[i] != '@' {
			continue
		}
		local := i
		for local > 0 {
			r, size := utf8.DecodeLastRuneInString(chunk[:local])
			if !isEmailLocalRune(r) {
				break
			}
			local -= size
		}
		if local < i {
			domainEnd := i + 1
			for domainEnd < len(chunk) {
				r, size := utf8.DecodeRuneInString(chunk[domainEnd:])
				if !isHostRune(r) || r == '_' {
					break
				}
				domainEnd += size
			}
			domainEnd = i + 1 + len(strings.TrimRight(chunk[i+1:domainEnd], ".-"))
			spans = append(spans, span{cs + local, cs + domainEnd, kindEmail})
			continue
		}
		handleEnd := i + 1
		for handleEnd < len(chunk) {
			r, size := utf8.DecodeRuneInString(chunk[handleEnd:])
			if !isLetterOrDigit(r) && r != '_' && r != '.' {
				break
			}
			handleEnd += size
		}
		handleEnd = i + 1 + len(strings.TrimRight(chunk[i+1:handleEnd], "."))
		if handleEnd > i+1 {
			spans = append(spans, span{cs + i, cs + handleEnd, kindHandle})
		}
	}

	// User names without an '@': a run of letters, digits, '_' and '.' with an underscore
	// inside ("ник aigerim_a", "instagram: ivan_ivanov_kz"). Prose has no underscores.
	for i := 0; i < len(chunk); {
		r, size := utf8.DecodeRuneInString(chunk[i:])
		if !isUserNameRune(r) {
			i += size
			continue
		}
		runEnd := i
		for runEnd < len(chunk) {
			r, size := utf8.DecodeRuneInString(chunk[runEnd:])
			if !isUserNameRune(r) {
				break
			}
			runEnd += size
		}
		name := strings.TrimRight(chunk[i:runEnd], "._")
		if under := strings.IndexByte(name, '_'); under > 0 && under < len(name)-1 {
			spans = append(spans, span{cs + i, cs + i + len(name), kindHandle})
		}
		i = runEnd
	}

	// Bare domains: "t.me/…", "instagram.com/…", "news.kz", "something.tld/path".
	for i := 0; i < len(chunk); {
		r, size := utf8.DecodeRuneInString(chunk[i:])
		if !isHostRune(r) {
			i += size
			continue
		}
		runEnd := i
		for runEnd < len(chunk) {
			r, size := utf8.DecodeRuneInString(chunk[runEnd:])
			if !isHostRune(r) {
				break
			}
			runEnd += size
		}
		if sp, ok := domainSpan(chunk, i, runEnd, end-cs); ok {
			spans = append(spans, span{cs + sp.start, cs + sp.end, kindLink})
		}
		i = runEnd
	}
	return spans
}

// domainSpan decides whether chunk[start:end], a run of host characters, is a domain name,
// and returns the span to replace (with its path, when one follows). limit is where the
// chunk's closing punctuation begins.
func domainSpan(chunk string, start, end, limit int) (span, bool) {
	run := chunk[start:end]
	host := strings.Trim(run, ".-_")
	if host == "" {
		return span{}, false
	}
	start += len(run) - len(strings.TrimLeft(run, ".-_"))
	end = start + len(host)
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 {
		return span{}, false
	}
	name, tld := host[:dot], host[dot+1:]
	if !strings.ContainsFunc(name, isLetterOrDigit) || !isAllLetters(tld) {
		return span{}, false
	}
	followed := end < len(chunk) && strings.IndexByte("/:?#", chunk[end]) >= 0
	known := knownTLDs[strings.ToLower(tld)]
	pathTLD := followed && chunk[end] == '/' && isASCIILetters(tld) && len(tld) >= 2 && len(tld) <= 24
	if !known && !pathTLD {
		return span{}, false
	}
	if followed && limit > end {
		end = limit
	}
	return span{start, end, kindLink}, true
}

// trimmedLen is the length of chunk without trailing punctuation that usually closes a
// sentence or a bracket rather than belonging to a link.
func trimmedLen(chunk string) int {
	n := len(chunk)
	for n > 0 {
		r, size := utf8.DecodeLastRuneInString(chunk[:n])
		if !strings.ContainsRune(".,;:!?)]}>»\"'…“”’«(", r) {
			break
		}
		n -= size
	}
	return n
}

func isSchemeChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '+' || b == '.' || b == '-'
}

func isLetterOrDigit(r rune) bool { return propsOf(r).is(flagLetter | flagDigit) }

// isHostRune: characters of a host name (any script: "президент.рф").
func isHostRune(r rune) bool { return isLetterOrDigit(r) || r == '-' || r == '_' || r == '.' }

func isUserNameRune(r rune) bool { return isLetterOrDigit(r) || r == '_' || r == '.' }

func isEmailLocalRune(r rune) bool {
	return isLetterOrDigit(r) || strings.ContainsRune("._%+-", r)
}

func isAllLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !propsOf(r).is(flagLetter) {
			return false
		}
	}
	return true
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return s != ""
}

// indexASCIIFold is strings.Index ignoring the case of ASCII letters; sub is lower case.
func indexASCIIFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && lowerASCII(s[i+j]) == sub[j] {
			j++
		}
		if j == len(sub) {
			return i
		}
	}
	return -1
}

func lowerASCII(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// replaceSpans returns s with every span replaced by its token. Overlapping spans are
// merged into the first one, so nothing inside any of them survives.
func replaceSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end // the longer first
	})
	var b strings.Builder
	b.Grow(len(s))
	pos := 0
	for i := 0; i < len(spans); {
		cur := spans[i]
		i++
		for i < len(spans) && spans[i].start < cur.end {
			cur.end = max(cur.end, spans[i].end)
			i++
		}
		b.WriteString(s[pos:cur.start])
		b.WriteString(cur.kind.token())
		pos = cur.end
	}
	b.WriteString(s[pos:])
	return b.String()
}
