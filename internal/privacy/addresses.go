package privacy

import "strings"

// Addresses. Four shapes are recognised:
//   - a street word before the name: "ул. Абая, д. 15, кв. 7", "проспект Достык 5",
//     "мкр. Самал-2", "ul. Abaya 10";
//   - a house or flat word with a number: "д. 15", "кв. 7", "дом 3", "15-үй", "12-пәтер",
//     "apt. 4";
//   - a street word after the name: "Абай көшесі, 15-үй", "Төле би даңғылы 150",
//     "15 Abay Street", "Токтогул көчөсү 112";
//   - a street name without a street word, recognised by its house number: a letter, "/" or
//     "-" part, or a flat after it ("Киевская 142А кв 7", "Московская 24/1", "Ленина 5-12",
//     "Пушкина 12, кв. 45"). "ЖК «Хайвил», блок 130, подъезд 3" is the first shape.
// The street name, the numbers and the house and flat parts that follow ("..., д. 15, кв. 7")
// all become one [ADDRESS]. A city alone is not an address (the region is published anyway).

// markAddresses marks every address.
func (r *redactor) markAddresses() {
	for i := 0; i < len(r.toks); i++ {
		t := &r.toks[i]
		if t.kind == tokNumber && r.free(i) && r.isChar(i+1, '-') && r.has(i+2, vocabHouseWord) {
			// "15-үй", "12-пәтер": number, hyphen, house word.
			end := r.houseParts(i + 3)
			r.mark(i, end, kindAddress)
			i = end - 1
			continue
		}
		if t.kind != tokWord || !r.free(i) {
			continue
		}
		end := 0
		switch {
		case r.streetNameFollows(i) && r.has(i, vocabStreetWord|vocabStreetAbbreviation):
			if end = r.addressBody(r.skipDot(i + 1)); end > 0 {
				end = r.houseParts(end)
				r.mark(i, end, kindAddress)
			}
		case (r.isNumber(i+1) || r.isChar(i+1, '.')) && r.has(i, vocabHouseWord):
			if end = r.housePart(i); end > 0 {
				end = r.houseParts(end)
				r.mark(i, end, kindAddress)
			}
		case r.isStreetWordAfterName(i):
			if start := r.streetNameBefore(i); start < i {
				end = r.houseParts(r.skipDot(i + 1))
				r.mark(start, end, kindAddress)
			}
		default:
			if end = r.bareStreet(i); end > 0 {
				r.mark(i, end, kindAddress)
			}
		}
		if end > i {
			i = end - 1
		}
	}
}

// streetNameFollows reports whether a street word or abbreviation at i is followed, after
// an optional full stop, by a capitalised word or a number: "мкр Самал", "пр. Абая",
// "улица Ленина"; not "и пр." at the end of a list, nor "на улице" alone.
func (r *redactor) streetNameFollows(i int) bool {
	next := i + 1
	if r.isChar(next, '.') {
		next++
	}
	if r.isPunct(next, "«\"“") {
		next++ // ЖК «Хайвил»
	}
	return r.isWord(next) && r.toks[next].capital || r.isNumber(next)
}

// skipDot skips an optional full stop at i.
func (r *redactor) skipDot(i int) int {
	if r.isChar(i, '.') {
		return i + 1
	}
	return i
}

// addressBody reads a street name and number at i: up to six capitalised words or numbers
// separated by spaces, with "-" or "/" joining parts ("Самал-2", "15/2", "15а"), and "им."
// (named after). It returns the end of the last part, or 0 when there is none.
func (r *redactor) addressBody(i int) int {
	end := 0
	for parts := 0; parts < 6; parts++ {
		j := i
		if parts > 0 && !r.spaced(j) {
			break
		}
		if r.isWord(j) && r.fold(j) == "им" && r.isChar(j+1, '.') {
			j += 2
		}
		if parts == 0 && r.isPunct(j, "«\"“") {
			j++
		}
		switch {
		case r.isNumber(j):
		case r.isWord(j) && r.toks[j].capital && !r.has(j, vocabHouseWord):
		case parts > 0 && r.has(j, vocabStreetParticle): // "Толе би", "Қабанбай батыр"
		default:
			return end
		}
		j = r.joinedParts(j + 1)
		if r.isPunct(j, "»\"”") && r.joined(j) {
			j++
		}
		end, i = j, j
	}
	return end
}

// joinedParts continues a word or number at i-1 over "-x", "/x" and a directly attached
// short word ("15а"); it returns the end.
func (r *redactor) joinedParts(i int) int {
	for n := 0; n < 4; n++ {
		switch {
		case r.isPunct(i, "-/") && r.joined(i) && r.joined(i+1) && (r.isNumber(i+1) || r.isWord(i+1)):
			i += 2
		case r.isNumber(i-1) && r.isWord(i) && r.joined(i) && r.toks[i].runes <= 2:
			i++
		default:
			return i
		}
	}
	return i
}

// housePart reads "д. 15", "кв 7", "дом 3", "apt. 4" at i and returns its end, or 0. Not
// the "д." of "т.д." (glued to a full stop before it), nor "2 кв. 2024" (a quarter: a year
// is not a house number).
func (r *redactor) housePart(i int) int {
	if !r.has(i, vocabHouseWord) || r.isChar(i-1, '.') && r.joined(i) {
		return 0
	}
	j := r.skipDot(i + 1)
	if !r.isNumber(j) || isYear(r.str(j)) {
		return 0
	}
	return r.joinedParts(j + 1)
}

// houseParts continues an address at i over ", д. 15", " кв. 7", ", 15", ", 15-үй".
func (r *redactor) houseParts(i int) int {
	for n := 0; n < 4; n++ {
		j := i
		if r.isChar(j, ',') {
			j++
		}
		switch {
		case r.housePart(j) > 0:
			i = r.housePart(j)
		case r.isNumber(j) && r.spaced(j):
			end := r.joinedParts(j + 1)
			if r.isChar(end, '-') && r.has(end+1, vocabHouseWord) {
				end += 2 // 15-үй
			}
			i = end
		default:
			return i
		}
	}
	return i
}

// isStreetWordAfterName reports whether the word at i names a street written after its
// name: Kazakh "көшесі", "даңғылы" (any case ending), English "Street", "Ave.".
func (r *redactor) isStreetWordAfterName(i int) bool {
	// "on the street" is not an address: English needs a capitalised name before the word.
	if r.spaced(i) && r.isWord(i-1) && r.toks[i-1].capital && r.has(i, vocabEnglishStreetWord) {
		return true
	}
	if r.toks[i].runes < 5 {
		return false
	}
	w := r.fold(i)
	if hasAnyPrefix(w, kyrgyzStreetWords) {
		return true
	}
	for _, p := range kazakhStreetPrefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// streetNameBefore returns where the street name before the street word at i starts: the
// word or number right before it in any case ("Төле би көшесі"), then up to two more
// capitalised words or numbers before that.
func (r *redactor) streetNameBefore(i int) int {
	start := i
	for n := 0; n < 3; n++ {
		j := start - 1
		if !r.spaced(start) || !r.free(j) || !(r.isWord(j) || r.isNumber(j)) {
			break
		}
		if n > 0 && r.isWord(j) && !r.toks[j].capital {
			break
		}
		start = j
	}
	return start
}

// bareStreet reads a street name without a street word at i, recognised by the house
// number after it: one or two capitalised words, then a number that is not a year with a
// letter, "/" or "-" part ("Киевская 142А", "Московская 24/1", "Ленина 5-12") or followed by a
// house or flat part ("Пушкина 12, кв. 45", "Тәуелсіздік 34, 5-үй"). It returns the end, or 0.
func (r *redactor) bareStreet(i int) int {
	if !r.bareStreetWord(i) {
		return 0
	}
	n := i + 1
	if r.spaced(n) && r.bareStreetWord(n) {
		n++ // Жибек Жолы
	}
	if !r.spaced(n) || !r.isNumber(n) || !r.free(n) || len(r.str(n)) > 4 || isYear(r.str(n)) {
		return 0
	}
	if _, numbers := r.digitGroup(n); numbers > 2 {
		return 0 // a phone, card or identity number written in groups
	}
	afterNumber := r.joinedParts(n + 1)
	if end := r.houseParts(afterNumber); end > afterNumber && (r.isChar(afterNumber, ',') || r.has(afterNumber, vocabHouseWord)) {
		return end
	}
	if afterNumber > n+1 {
		return afterNumber
	}
	return 0
}

// bareStreetWord reports whether word i may be (part of) a street name: capitalised, not
// an abbreviation, of three letters or more, not a stop word or month.
func (r *redactor) bareStreetWord(i int) bool {
	if !r.freeWord(i) {
		return false
	}
	t := &r.toks[i]
	return t.capital && !t.allCaps && t.runes >= 3 && !r.has(i, vocabStopWord|vocabRussianMonth|vocabEnglishMonth|vocabHouseWord|vocabStreetWord)
}
