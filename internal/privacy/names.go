package privacy

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Names. Five rules, applied in this order to words not yet replaced:
//
//  1. The defendant's own name, given to Redact: each part (surname, given name,
//     patronymic) matches a word whose skeleton (skeleton.go) is the part's stem plus one of
//     the Russian, Kazakh or Kyrgyz case endings, so "Ахметов" also finds Ахметова,
//     Ахметовым, Ахметовтың, Ахметовқа and "Akhmetova", and "Алексей" finds Алексея and
//     Алексеем. A word equal to a part, ignoring case, always matches.
//  2. A patronymic (-ович, -евна, -ична, -ұлы, -қызы, "уулу", "кызы" … and declined forms)
//     with the capitalised words next to it: "Иванов Иван Иванович", "Асанов Бакыт Асанбек
//     уулу", "Нұрлан Серікұлы".
//  3. Initials with a capitalised word: "Иванов И.И.", "И. И. Иванов", "A. Smith".
//  4. A capitalised word shaped like a Russian or Kazakh surname (-ов, -ев, -ова, -ева and
//     declined forms, -енко) with a capitalised word on either side: "Айгерим Ахметова".
//
//  5. A capitalised word shaped like a surname in -ин/-ын or -ский/-цкий next to a
//     capitalised word that may be a given name: "Сергей Путин", "Ольга Вишневская" (see
//     isInSurname).
//
// Rules 2–5 extend over neighbouring capitalised words but stop at known non-names
// (nameStopWords: roles, places, platforms) and at short all-capital words (КоАП, РК).
// Knowingly not caught: other people's names without patronymic, initials or surname
// ending ("журналист Айгерим", "John Smith"), or an -ин/-ский surname without a given name
// next to it ("журналист Ковальская"); names split by punctuation inside a word;
// transliterations the skeleton does not unify.

// nameEndings holds the skeletons of all case endings (vocab.go), and "".
var nameEndings, maxNameEndingLen = makeNameEndings()

func makeNameEndings() (map[string]bool, int) {
	endings := map[string]bool{"": true}
	longest := 0
	for _, e := range nameEndingWords() {
		s := skeleton(e)
		endings[s] = true
		longest = max(longest, len(s))
	}
	return endings, longest
}

// nameWord is one part of the defendant's name.
type nameWord struct {
	fold  string   // case-folded, to compare with a word's folded form
	skel  string   // its skeleton
	class byte     // skeletonClass of its first byte
	stems []string // skeleton stems that take endings; none for parts shorter than 3 letters
	// shortStem is a two-letter stem left by collapsed doubled letters (Анна → "ana" → "an"
	// for Анны, Анне); it takes only the Russian feminine endings, to limit false matches.
	shortStem string
}

// parseNames cuts the names given to Redact into parts: each run of letters, and also its
// pieces where the tokenizer would cut it ("ИвановИван"). It returns false when the names
// are too long or too many to be names, or not valid UTF-8.
func (r *redactor) parseNames(names []string) bool {
	r.names, r.stems = r.names[:0], r.stems[:0]
	total := 0
	for _, n := range names {
		if !utf8.ValidString(n) {
			return false
		}
		total += len(n)
	}
	if total > maxNameBytes {
		return false
	}
	if total == 0 {
		return true
	}
	// The parts of all names, separated by spaces, as one text.
	n := normalizeText(strings.Join(names, " "))
	toks, info := r.tz.tokenize(n)
	// The skeletons of all words in one string (skelOf is free until makeSkeletons).
	buf := r.skelBuf[:0]
	r.skelOf = slices.Grow(r.skelOf[:0], len(toks))[:len(toks)]
	for i, t := range toks {
		start := len(buf)
		if t.kind == tokWord {
			buf = appendSkeleton(buf, n[t.start:t.end], t.mixed)
		}
		r.skelOf[i] = [2]int32{int32(start), int32(len(buf))}
	}
	r.skelBuf = buf
	skels := string(buf)
	for i, t := range toks {
		if t.kind != tokWord {
			continue
		}
		fold := n[t.start:t.end]
		if !t.foldIsText {
			fold = info[t.foldStart:t.foldEnd]
		}
		r.addNameWord(fold, skels[r.skelOf[i][0]:r.skelOf[i][1]], t.runes)
		// A run of letters the tokenizer cut in pieces: add it whole as well.
		if joinedWord(toks, i+1) && !joinedWord(toks, i) {
			end, letters := i+1, t.runes
			for joinedWord(toks, end) {
				letters += toks[end].runes
				end++
			}
			whole := n[t.start:toks[end-1].end]
			r.addNameWord(foldString(whole), skeleton(whole), letters)
		}
	}
	return len(r.names) <= maxNameWords
}

// joinedWord reports whether toks[i] is a word glued to a word before it.
func joinedWord(toks []token, i int) bool {
	return i > 0 && i < len(toks) && toks[i].kind == tokWord && !toks[i].spaced && toks[i-1].kind == tokWord
}

// addNameWord adds a name part unless it is already there or is a single letter (an
// initial, not a name).
func (r *redactor) addNameWord(fold, skel string, letters int32) {
	if letters < 2 {
		return
	}
	for _, w := range r.names {
		if w.fold == fold {
			return
		}
	}
	nw := nameWord{fold: fold, skel: skel}
	if skel != "" {
		nw.class = skeletonClass(skel[0])
	}
	if letters >= 3 && len(skel) >= 3 {
		start := len(r.stems)
		r.stems = appendNameStems(r.stems, skel)
		nw.stems = r.stems[start:len(r.stems):len(r.stems)]
	}
	if stem, ok := strings.CutSuffix(skel, "a"); ok && letters >= 4 && len(stem) == 2 {
		nw.shortStem = stem
	}
	r.names = append(r.names, nw)
}

// appendNameStems appends the stems of a name's skeleton that case endings attach to: the
// skeleton itself, and without a final vowel or adjective ending (Иванова → ivanov, Мария →
// mari, Ковальская → kovalsk, Алексей → alekse), and without a fleeting vowel in short
// names (Павел → pavl for Павла, Лев → lv for Льва).
func appendNameStems(stems []string, skel string) []string {
	stems = append(stems, skel)
	for _, suffix := range []string{"aia", "oi", "ia", "a", "e", "i", "o", "u"} {
		if stem, ok := strings.CutSuffix(skel, suffix); ok && len(stem) >= 3 {
			stems = append(stems, stem)
		}
	}
	if n := len(skel); n <= 5 && (skel[n-2] == 'e' || skel[n-2] == 'o') && strings.IndexByte("lvk", skel[n-1]) >= 0 {
		stems = append(stems, skel[:n-2]+skel[n-1:])
	}
	return stems
}

// foldString case-folds s as the tokenizer does.
func foldString(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = utf8.AppendRune(b, propsOf(r).fold)
	}
	return string(b)
}

// matches reports whether a word of the text, given case-folded and as a skeleton, is a
// form of nw.
func (nw *nameWord) matches(fold, skel string) bool {
	if fold == nw.fold {
		return true
	}
	if skel == "" || skeletonClass(skel[0]) != nw.class {
		return false // every stem starts with the name's first letter
	}
	if len(nw.stems) == 0 {
		return len(skel) >= 2 && skel == nw.skel
	}
	if rest, ok := strings.CutPrefix(skel, nw.shortStem); ok && nw.shortStem != "" && shortStemEndings[rest] {
		return true
	}
	for _, stem := range nw.stems {
		if !strings.HasPrefix(skel, stem) {
			continue
		}
		// The ending may have merged with the stem's last letter when doubled letters were
		// collapsed (Мари+и → "mari"), so try it with that letter too.
		if endingOK(skel[len(stem):]) || nameEndings[skel[len(stem)-1:]] {
			return true
		}
	}
	return false
}

// shortStemEndings are the endings of Russian feminine names in -а: Анна, Анны, Анне, Анну,
// Анной, Анною.
var shortStemEndings = map[string]bool{"a": true, "i": true, "e": true, "u": true, "oi": true, "oiu": true}

// endingOK reports whether rest can follow a name stem: a case ending, or the feminine "a"
// and a case ending (Ахметова+ға).
func endingOK(rest string) bool {
	if len(rest) > maxNameEndingLen+1 {
		return false
	}
	return nameEndings[rest] || rest != "" && rest[0] == 'a' && nameEndings[rest[1:]]
}

// markNames applies the four name rules.
func (r *redactor) markNames() {
	r.makeSkeletons()
	if len(r.names) > 0 {
		r.markOwnNames()
	}
	for i := range r.toks {
		if !r.freeWord(i) {
			continue
		}
		t := &r.toks[i]
		switch {
		case t.capital && isPatronymic(r.skel(i)) && !isAdjectiveNy(r.fold(i)):
			r.mark(i, i+1, kindName)
			r.extendName(i, 2, 1)
		case isPatronymicWord(r.skel(i)) && r.spaced(i) && r.nameCandidate(i-1, false):
			r.mark(i-1, i+1, kindName)
			r.extendName(i-1, 2, 1)
		case isInitial(r, i):
			r.markInitials(i)
		case t.capital && t.runes >= 5 && isSurnameShaped(r.fold(i), r.skel(i)) && !r.has(i, vocabStopWord):
			r.mark(i, i+1, kindName)
			r.extendName(i, 1, 1)
		case t.capital && t.runes >= 4 && r.givenNameNext(i) && !r.has(i, vocabStopWord) &&
			(isInSurname(r.skel(i)) && !isPossessiveGenitive(r.fold(i)) || isSkySurname(r.fold(i))) &&
			!r.beforePlaceNoun(i):
			r.mark(i, i+1, kindName)
			r.extendName(i, 1, 1)
		}
	}
}

// makeSkeletons makes the skeletons of the words the name rules look at: capitalised words,
// words that may start like one of the defendant's names, short words that may be "уулу" or
// "кызы", and words whose start is unknown. Other words get an empty skeleton, which no
// rule matches.
func (r *redactor) makeSkeletons() {
	buf := r.skelBuf[:0]
	r.skelOf = slices.Grow(r.skelOf[:0], len(r.toks))[:len(r.toks)]
	for i := range r.toks {
		start := len(buf)
		if t := &r.toks[i]; t.kind == tokWord && r.needsSkeleton(t) {
			buf = appendSkeleton(buf, r.text[t.start:t.end], t.mixed)
		}
		r.skelOf[i] = [2]int32{int32(start), int32(len(buf))}
	}
	r.skelBuf = buf
	r.skels = string(buf)
}

func (r *redactor) needsSkeleton(t *token) bool {
	if t.runes < 2 {
		return false // no rule needs the skeleton of a single letter
	}
	class := skeletonClass(t.first)
	return t.capital || t.runes <= 12 && (class == 'u' || class == 'k') || r.startsLikeName(t.first)
}

// markOwnNames marks the forms of the defendant's name parts. Where the tokenizer cut a run
// of letters in pieces ("ИвановИван", but also "ИваН"), the whole run is tried as well.
func (r *redactor) markOwnNames() {
	for i := 0; i < len(r.toks); {
		if !r.isWord(i) {
			i++
			continue
		}
		end := i + 1
		for r.isWord(end) && r.joined(end) {
			end++
		}
		for j := i; j < end; j++ {
			if r.free(j) && r.isOwnName(r.fold(j), r.skel(j)) {
				r.mark(j, j+1, kindName)
			}
		}
		if end-i > 1 && r.startsLikeName(r.toks[i].first) {
			var fold strings.Builder
			for j := i; j < end; j++ {
				fold.WriteString(r.fold(j))
			}
			whole := r.text[r.toks[i].start:r.toks[end-1].end]
			if r.isOwnName(fold.String(), skeleton(whole)) {
				r.mark(i, end, kindName)
			}
		}
		i = end
	}
}

// startsLikeName reports whether a word whose transliteration starts with first may be a
// form of one of the defendant's name parts: its skeleton starts like one of theirs, or its
// start is unknown (first is 0).
func (r *redactor) startsLikeName(first byte) bool {
	if first == 0 {
		return true
	}
	for k := range r.names {
		if r.names[k].class == skeletonClass(first) {
			return true
		}
	}
	return false
}

// isOwnName reports whether a word, given case-folded and as a skeleton, is a form of one
// of the defendant's name parts.
func (r *redactor) isOwnName(fold, skel string) bool {
	for k := range r.names {
		if r.names[k].matches(fold, skel) {
			return true
		}
	}
	return false
}

// nameCandidate reports whether word i may be part of a full name next to a name already
// found: a capitalised word of two letters or more that is not a stop word. Short
// all-capital words are abbreviations (РК, КоАП) unless the name itself is in capitals.
func (r *redactor) nameCandidate(i int, capsName bool) bool {
	if !r.isWord(i) {
		return false
	}
	if r.marks[i] == kindName {
		return true
	}
	t := &r.toks[i]
	if !r.free(i) || !t.capital || t.runes < 2 || r.has(i, vocabStopWord) {
		return false
	}
	return !t.allCaps || t.runes > 4 || capsName
}

// extendName marks up to back capitalised words before word i and up to forward after it,
// joined to it by spaces or hyphens.
func (r *redactor) extendName(i, back, forward int) {
	caps := r.toks[i].allCaps
	j := i
	for n := 0; n < back; n++ {
		prev := r.neighbour(j, -1)
		if prev < 0 || !r.nameCandidate(prev, caps) {
			break
		}
		r.mark(prev, j, kindName)
		j = prev
	}
	j = i
	for n := 0; n < forward; n++ {
		next := r.neighbour(j, +1)
		if next < 0 || !r.nameCandidate(next, caps) {
			break
		}
		r.mark(j+1, next+1, kindName)
		j = next
	}
}

// neighbour returns the word before (dir -1) or after (dir +1) word i when only a space or
// a hyphen separates them, or -1.
func (r *redactor) neighbour(i, dir int) int {
	j := i + dir
	if dir > 0 {
		if r.isWord(j) && r.spaced(j) {
			return j
		}
		if r.isChar(j, '-') && r.joined(j) && r.isWord(j+1) && r.joined(j+1) {
			return j + 1
		}
		return -1
	}
	if r.isWord(j) && r.spaced(i) {
		return j
	}
	if r.isChar(j, '-') && r.joined(i) && r.joined(j) && r.isWord(j-1) {
		return j - 1
	}
	return -1
}

// isInitial reports whether token i is an initial: one capital letter and a full stop.
func isInitial(r *redactor, i int) bool {
	return r.isWord(i) && r.toks[i].runes == 1 && r.toks[i].capital && r.isChar(i+1, '.') && r.joined(i+1)
}

// markInitials marks initials starting at i ("И.И.", "И. И.") together with the capitalised
// word after them ("И.И. Иванов", "И.Иванов") or, failing that, before them ("Иванов И.И.").
func (r *redactor) markInitials(i int) {
	end := i
	for n := 0; n < 3 && isInitial(r, end); n++ {
		end += 2
	}
	switch {
	case r.nameCandidate(end, false):
		r.mark(i, end+1, kindName)
	case r.spaced(i) && r.nameCandidate(i-1, false):
		r.mark(i-1, end, kindName)
	}
}

// adjectiveEndings end adjectives in -ов-/-ев- but never a surname (whose forms are -ова,
// -овы, -ову, -овым, -овой…).
var adjectiveEndings = fields(`овный овная овное овные овного овной овном овному овную овных овый евый овое евое овая евая овые евые ового евого овому евому овую евую`)

// Name shapes, on skeletons.

// isPatronymic: Иванович, Ивановича, Ивановна, Ильинична, Serikuly, Нұрланұлы, Асанқызы…
func isPatronymic(skel string) bool {
	if !strings.ContainsAny(skel, "vhuz") {
		return false // every suffix below has one of these letters
	}
	for _, suffix := range []string{"ovich", "evich"} {
		if i := strings.LastIndex(skel, suffix); i >= 2 && endingOK(skel[i+len(suffix):]) {
			return true
		}
	}
	for _, suffix := range []string{"ovn", "evn", "ichn"} {
		// Only the feminine endings (Ивановна, -ны, -не, -ну, -ной): not the adjectives in
		// -овный/-овное (Верховный).
		if i := strings.LastIndex(skel, suffix); i >= 2 && skel[i+len(suffix):] != "" && shortStemEndings[skel[i+len(suffix):]] {
			return true
		}
	}
	// The stem may be two letters only because doubled letters collapsed (Бекқызы →
	// "bekizi").
	for _, suffix := range []string{"uli", "kizi", "ulu"} {
		if i := strings.LastIndex(skel, suffix); i >= 2 && endingOK(skel[i+len(suffix):]) {
			return true
		}
	}
	return false
}

// isPatronymicWord: the separate Kyrgyz and Kazakh words "уулу", "кызы", "ұлы", "қызы"
// (son, daughter of) and their case forms, which follow the father's name.
func isPatronymicWord(skel string) bool {
	for _, w := range []string{"uli", "kizi", "ulu"} {
		if rest, ok := strings.CutPrefix(skel, w); ok && endingOK(rest) {
			return true
		}
	}
	return false
}

// isSurnameShaped: a stem of three letters or more, then -ов/-ев (Latin -ov/-ev), then
// nothing, the feminine -а, or a case ending; or -енко. Not surnames although shaped like
// them: village names in -овка/-евка (Ивановка; the Kazakh dative of a surname is -овқа),
// adjectives in -овый/-овая/-ового… (Торговый) and participles in -ованный
// (Специализированный).
func isSurnameShaped(fold, skel string) bool {
	if strings.HasSuffix(fold, "вка") || strings.HasSuffix(fold, "vka") ||
		strings.Contains(fold, "ованн") || strings.Contains(fold, "еванн") {
		return false
	}
	for _, adjective := range adjectiveEndings {
		if strings.HasSuffix(fold, adjective) {
			return false
		}
	}
	if strings.HasSuffix(skel, "enko") && len(skel) >= 7 {
		return true
	}
	for i := max(3, len(skel)-3-maxNameEndingLen); i+2 <= len(skel); i++ {
		if (skel[i] == 'o' || skel[i] == 'e') && skel[i+1] == 'v' && endingOK(skel[i+2:]) {
			return true
		}
	}
	return false
}

// isAdjectiveNy reports whether a case-folded word ends like an adjective in -ный
// ("Верховный", "Верховного"), whose skeleton may look like a patronymic in -овна.
func isAdjectiveNy(fold string) bool {
	for _, e := range []string{"ный", "ная", "ное", "ные", "ного", "ному", "ным", "ных", "ную", "ном"} {
		if strings.HasSuffix(fold, e) {
			return true
		}
	}
	return false
}

// Surnames in -ин/-ын (Путин, Ильина, Қасымынға) and -ский/-цкий (Ковальская, Высоцкий,
// Zhukovsky) are also place names and adjectives (Берлин, Алматинский, Костанайской), so
// they count as names only next to a capitalised word that may be a given name (rule 5):
// "Сергей Путин", "Ковальская Анна", and never before a place noun ("Карагандинской
// области").

// isInSurname: a stem of two letters or more, then -ин/-ын (skeleton "in"), then nothing,
// the feminine -а or a case ending.
func isInSurname(skel string) bool {
	for i := max(2, len(skel)-3-maxNameEndingLen); i+2 <= len(skel); i++ {
		if skel[i] == 'i' && skel[i+1] == 'n' && endingOK(skel[i+2:]) {
			return true
		}
	}
	return false
}

var skySuffixes = fields(`ский ская ского скому ским ском ской скую цкий цкая цкого цкому цким цком
	цкой цкую sky skiy skii skaya skaia skogo skoi`)

// isSkySurname: a case-folded word in -ский/-цкий (or its Latin spellings) and its forms.
func isSkySurname(fold string) bool {
	for _, suffix := range skySuffixes {
		if strings.HasSuffix(fold, suffix) && len(fold) > len(suffix)+2 {
			return true
		}
	}
	return false
}

// placeNouns follow adjectives made from places and institutions: "Карагандинской
// области", "Алматинский городской суд".
var placeNouns = set(fields(`области облысы облысының район района районе районный районного
	районном районная районной городской городского городском городе город края крае
	республики суд суда суде прокуратура прокуратуры полиции полиция университет университета`))

// beforePlaceNoun reports whether a place noun follows word i.
func (r *redactor) beforePlaceNoun(i int) bool {
	return r.isWord(i+1) && r.spaced(i+1) && placeNouns[r.fold(i+1)]
}

// givenNameNext reports whether a capitalised word that may be a given name stands right
// before or after word i: not a stop word, nor itself shaped like an adjective in -ский.
func (r *redactor) givenNameNext(i int) bool {
	for _, dir := range []int{-1, +1} {
		j := r.neighbour(i, dir)
		if j >= 0 && r.nameCandidate(j, false) && !isSkySurname(r.fold(j)) && r.toks[j].runes >= 3 {
			return true
		}
	}
	return false
}

// isPossessiveGenitive: a Kazakh or Kyrgyz word with the possessive and genitive endings
// ("Республикасынын", "облысының"), whose skeleton ends like -ин plus a case ending.
func isPossessiveGenitive(fold string) bool {
	return hasAnySuffix(fold, "сынын", "сының", "сінің", "синин", "сунун", "сүнүн")
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
