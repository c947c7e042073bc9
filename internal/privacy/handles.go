package privacy

// Handles written without '@' after a word that announces one: "Мой телеграм: aigerim88",
// "инста: qazaq.girl", "ник nurik1990", "под ником «Қасқыр»", "Telegram-канал Ortalyq24",
// "аккаунт timur.osh", "username: kz_patriot", "Her handle is madina2001".
//
// Two kinds of cue: a nickname word (ник, никнейм, логин, псевдоним, лақап, nickname,
// username, handle…) takes the next word whatever it is, unless it is an ordinary lower-case
// word; a platform or account word (телеграм, инста, тикток, аккаунт, канал, Instagram,
// account…) takes a Latin-letter user name after a colon or dash, or one with a digit, a dot
// or an underscore, or a lower-case Latin one in Cyrillic text.

var (
	nickCuePrefixes = fields(`никнейм псевдоним лақап логин`)
	nickCueWords    = set(fields(`ник ника нику ником нике nick nickname username handle login alias`))
	platformCues    = fields(`телеграм инстаграм инста тикток ютуб фейсбук вконтакте аккаунт канал
		арна парақша профил`)
	platformCueWords = set(fields(`telegram instagram insta tiktok youtube facebook vk вк tg тг
		twitter threads account channel profile`))
	// Words between the cue and the handle: "Лақап аты: …", "her handle is …".
	cueFillers = set(fields(`аты is это`))
	// English words that never are the handle after a platform word.
	handleStopWords = set(fields(`and or the a an of in on at to for with was were is by from
		that which who has had account channel page profile post posts video user users`))
)

// cueStarts holds the first two bytes of every cue word and prefix, so that most words are
// dismissed with one lookup.
var cueStarts = func() map[uint16]bool {
	m := map[uint16]bool{}
	for _, list := range [][]string{nickCuePrefixes, platformCues} {
		for _, w := range list {
			m[uint16(w[0])<<8|uint16(w[1])] = true
		}
	}
	for _, words := range []map[string]bool{nickCueWords, platformCueWords} {
		for w := range words {
			m[uint16(w[0])<<8|uint16(w[1])] = true
		}
	}
	return m
}()

// cueKind returns 1 for a nickname cue and 2 for a platform cue in the case-folded word w,
// else 0.
func cueKind(w string) int {
	if len(w) < 2 || !cueStarts[uint16(w[0])<<8|uint16(w[1])] {
		return 0
	}
	switch {
	case nickCueWords[w] || hasAnyPrefix(w, nickCuePrefixes):
		return 1
	case platformCueWords[w] || hasAnyPrefix(w, platformCues):
		return 2
	}
	return 0
}

// markCueHandles marks the handles after cue words.
func (r *redactor) markCueHandles() {
	for i := 0; i < len(r.toks); i++ {
		if r.toks[i].kind != tokWord || r.toks[i].runes < 2 {
			continue
		}
		w, j := r.fold(i), i+1
		if r.isWord(j) && r.joined(j) { // "TikTok", "YouTube": cut by the tokenizer
			w, j = w+r.fold(j), j+1
		}
		cue := cueKind(w)
		if cue == 0 {
			continue
		}
		cyrillicCue := !r.toks[i].mixed && !isASCIILetters(r.str(i))
		// "Телеграм-канал", "Ютуб-канал": the compound's second word.
		if r.isChar(j, '-') && r.joined(j) && r.isWord(j+1) && r.joined(j+1) {
			j += 2
		}
		if r.isWord(j) && cueFillers[r.fold(j)] {
			j++
		}
		separated := false
		if r.isPunct(j, ":-—–") {
			separated = true
			j++
		}
		quoted := false
		if r.isPunct(j, "«\"“'") {
			quoted = true
			j++
		}
		end, hasDigit, hasDot, ascii := r.handleRun(j)
		if !r.anyWord(j, end) {
			// A bare number is not a handle; the number rules decide what it is.
			continue
		}
		first := &r.toks[j]
		ok := false
		switch {
		case !first.capital && !hasDigit && !hasDot && r.isWord(j) && handleStopWords[r.fold(j)]:
		case cue == 1:
			ok = quoted || separated || hasDigit || hasDot || ascii || first.capital
		case !ascii:
		default:
			ok = separated || quoted || hasDigit || hasDot || cyrillicCue && !first.capital
		}
		if ok {
			r.mark(j, end, kindHandle)
			i = end - 1
		}
	}
}

// handleRun reads a user name at i: words and numbers glued together, with '.', '_' or '-'
// inside. It returns its end, whether it has a digit or an inner dot, and whether it is
// all ASCII.
func (r *redactor) handleRun(i int) (end int, hasDigit, hasDot, ascii bool) {
	if !r.isWord(i) && !r.isNumber(i) || !r.free(i) {
		return i, false, false, false
	}
	ascii = true
	end = i
	for end < len(r.toks) && r.free(end) && (end == i || r.joined(end)) {
		switch {
		case r.isNumber(end):
			hasDigit = true
		case r.isWord(end):
			if !isASCIILetters(r.str(end)) {
				ascii = false
			}
		case r.isPunct(end, "._-") && r.joined(end+1) && (r.isWord(end+1) || r.isNumber(end+1)):
			hasDot = hasDot || r.isChar(end, '.')
		default:
			return end, hasDigit, hasDot, ascii
		}
		end++
	}
	return end, hasDigit, hasDot, ascii
}

// anyWord reports whether one of the tokens [i, end) is a word.
func (r *redactor) anyWord(i, end int) bool {
	for ; i < end; i++ {
		if r.isWord(i) {
			return true
		}
	}
	return false
}
