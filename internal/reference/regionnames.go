package reference

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/casewatch/casewatch/internal/model"
)

// An import names a region by its ISO code or by any of the spellings people really use:
// the full name in Kazakh, Russian, English or Kyrgyz, with or without its qualifier
// ("Region", "область", "облысы", "облусу", "обл."; "г.", "город", "қаласы", "шаары",
// "city"), and their Latin transliterations ("Almaty oblysy", "Almatinskaya oblast",
// "Zhetysu", "Chuy", "Ysyk-Kol"). The table of spellings is built from regions.csv when
// the reference data loads, and every spelling must lead to exactly one unit.
//
// One clash is settled by rule rather than refused: a bare name shared by a city and a
// region ("Алматы"/"Almaty" for the city KZ-75 and Almaty Region KZ-19, "Ош"/"Osh" for
// KG-GO and KG-O) is the city, as it is in everyday use. The region is then written with
// its qualifier ("Almaty Region", "Алматинская область", "Ош облусу") or its code.

// spellingKey is one folded spelling of one jurisdiction.
type spellingKey struct {
	jurisdiction model.Jurisdiction
	folded       string
}

// regionNames is the table an import reads region names with.
type regionNames struct {
	units map[spellingKey]*model.Region
	// sharedWith holds, for a bare name the city won, the region that has it too.
	sharedWith map[spellingKey]*model.Region
	// near lists each jurisdiction's spellings once, for suggestions after a miss.
	near map[model.Jurisdiction][]nearSpelling
}

type nearSpelling struct {
	folded []rune
	unit   *model.Region
}

// Qualifiers of a region and of a city, in the scripts people write them in. Their
// transliterations ("oblysy", "kalasy", "gorod") are made with the names'.
var (
	regionSuffixes = []string{"Region", "Province", "oblast", "obl.", "область", "обл.", "облысы", "облусу"}
	regionPrefixes = []string{"область", "обл.", "oblast", "Region"}
	citySuffixes   = []string{"city", "қаласы", "қ.", "шаары", "ш."}
	cityPrefixes   = []string{"г.", "город", "city of", "Gorod"}
)

// newRegionNames builds the table of spellings of regions and checks that no spelling
// leads to two units, but for the bare names a city shares with a region.
func newRegionNames(regions []model.Region) (*regionNames, error) {
	t := &regionNames{
		units:      map[spellingKey]*model.Region{},
		sharedWith: map[spellingKey]*model.Region{},
		near:       map[model.Jurisdiction][]nearSpelling{},
	}
	// Two passes: first every spelling that names one unit by itself (a city's names, a
	// region's qualified names), then the regions' bare names, which yield to a city's.
	type bare struct {
		unit      *model.Region
		spellings []string
	}
	var bareNames []bare
	for i := range regions {
		r := &regions[i]
		full, bareSpellings := unitSpellings(r)
		for _, s := range full {
			if err := t.add(r, s); err != nil {
				return nil, err
			}
		}
		bareNames = append(bareNames, bare{r, bareSpellings})
	}
	for _, b := range bareNames {
		for _, s := range b.spellings {
			k := spellingKey{b.unit.Jurisdiction, foldSpelling(s)}
			if other, taken := t.units[k]; taken && other != b.unit && other.Kind == model.RegionKindCity {
				t.sharedWith[k] = b.unit
				continue
			}
			if err := t.add(b.unit, s); err != nil {
				return nil, err
			}
		}
	}
	for k, unit := range t.units {
		t.near[k.jurisdiction] = append(t.near[k.jurisdiction], nearSpelling{[]rune(k.folded), unit})
	}
	return t, nil
}

func (t *regionNames) add(unit *model.Region, spelling string) error {
	k := spellingKey{unit.Jurisdiction, foldSpelling(spelling)}
	if k.folded == "" {
		return fmt.Errorf("%s: the spelling %q folds to nothing", unit.Code, spelling)
	}
	if other, taken := t.units[k]; taken && other != unit {
		return fmt.Errorf("the spelling %q would name both %s and %s", spelling, other.Code, unit.Code)
	}
	t.units[k] = unit
	return nil
}

// unitSpellings returns the spellings that name a unit by themselves, and (for a region)
// its bare names, which a city of the same name takes precedence over.
func unitSpellings(r *model.Region) (full, bare []string) {
	var names []string // each language's bare name
	var adjectives []string
	for _, n := range []string{r.Names.EN, r.Names.RU, r.Names.KK, r.Names.KY} {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if r.Kind == model.RegionKindCity {
			names = append(names, n)
			continue
		}
		full = append(full, n)
		switch {
		case strings.HasSuffix(n, " Region"):
			names = append(names, strings.TrimSuffix(n, " Region"))
		case strings.HasSuffix(n, " облысы"):
			names = append(names, strings.TrimSuffix(n, " облысы"))
		case strings.HasSuffix(n, " облусу"):
			names = append(names, strings.TrimSuffix(n, " облусу"))
		case strings.HasPrefix(n, "область "): // "область Абай": the new regions' Russian names
			names = append(names, strings.TrimPrefix(n, "область "))
		case strings.HasSuffix(n, " область"): // "Алматинская область": an adjective, the region's own
			adjectives = append(adjectives, strings.TrimSuffix(n, " область"))
		}
	}
	// Russian speakers write Kazakh і as ы ("Жетысу") or и ("Жетису"; folded like і).
	for _, n := range names {
		if strings.Contains(n, "і") {
			names = append(names, strings.ReplaceAll(n, "і", "ы"))
		}
	}
	if r.Kind == model.RegionKindCity {
		full = append(full, names...)
		for _, n := range names {
			for _, q := range citySuffixes {
				full = append(full, n+" "+q)
			}
			for _, q := range cityPrefixes {
				full = append(full, q+" "+n)
			}
		}
	} else {
		bare = names
		for _, n := range names {
			for _, q := range regionSuffixes {
				full = append(full, n+" "+q)
			}
			for _, q := range regionPrefixes {
				full = append(full, q+" "+n)
			}
		}
		for _, a := range adjectives {
			full = append(full, a, a+" обл.")
			// "Западно-Казахстанская область" is everywhere "ЗКО".
			if parts := strings.Split(a, "-"); len(parts) == 2 {
				initials := []rune{[]rune(parts[0])[0], []rune(parts[1])[0], 'О'}
				full = append(full, strings.ToUpper(string(initials)))
			}
		}
	}
	return withTransliterations(full), withTransliterations(bare)
}

// withTransliterations adds the Latin spellings of every Cyrillic one.
func withTransliterations(spellings []string) []string {
	out := spellings
	for _, s := range spellings {
		out = append(out, transliterations(s)...)
	}
	return out
}

// latinLetters transliterates the Cyrillic letters of Kazakh, Russian and Kyrgyz, the
// usual way first and then the other ways in common use: "Zhambyl" and "Jambyl",
// "Zhetisu" and "Zhetysu", "Karagandy" and "Qaragandy", "Chuy" and "Chui", and
// "Kazakhstan" for "Қазақстан".
var latinLetters = map[rune][]string{
	'а': {"a"}, 'ә': {"a"}, 'б': {"b"}, 'в': {"v"}, 'г': {"g"}, 'ғ': {"g", "gh"}, 'д': {"d"},
	'е': {"e"}, 'ё': {"yo", "e"}, 'ж': {"zh", "j"}, 'з': {"z"}, 'и': {"i"}, 'й': {"y", "i"},
	'і': {"i", "y"}, 'к': {"k"}, 'қ': {"k", "q", "kh"}, 'л': {"l"}, 'м': {"m"}, 'н': {"n"}, 'ң': {"n"},
	'о': {"o"}, 'ө': {"o"}, 'п': {"p"}, 'р': {"r"}, 'с': {"s"}, 'т': {"t"}, 'у': {"u"},
	'ұ': {"u"}, 'ү': {"u"}, 'ф': {"f"}, 'х': {"kh", "h"}, 'һ': {"h"}, 'ц': {"ts"}, 'ч': {"ch"},
	'ш': {"sh"}, 'щ': {"shch"}, 'ъ': {""}, 'ы': {"y"}, 'ь': {""}, 'э': {"e"}, 'ю': {"yu", "iu"},
	'я': {"ya", "ia"},
}

// maxTransliterations bounds the spellings made of one name; the first ways of writing
// each letter come first, so a long name keeps the usual ones.
const maxTransliterations = 64

// transliterations returns the Latin spellings of s, none when s has no Cyrillic letter.
func transliterations(s string) []string {
	out := []string{""}
	cyrillic := false
	for _, c := range strings.ToLower(s) {
		ways, ok := latinLetters[c]
		if !ok {
			ways = []string{string(c)}
		} else {
			cyrillic = true
		}
		if len(out)*len(ways) > maxTransliterations {
			ways = ways[:1]
		}
		next := make([]string, 0, len(out)*len(ways))
		for _, w := range ways {
			for _, o := range out {
				next = append(next, o+w)
			}
		}
		out = next
	}
	if !cyrillic {
		return nil
	}
	return out
}

// foldSpelling reduces a spelling to what tells names apart: lower-case letters and
// digits, without spaces, hyphens or punctuation ("Jalal-Abad" = "Jalalabad", "обл." =
// "обл"), ё as е, the Kazakh and Kyrgyz letters as their nearest Russian ones ("Ақтөбе" =
// "Актобе"), Latin letters without diacritics ("Chüy" = "Chuy"), and Latin letters typed
// inside a Cyrillic word as the Cyrillic ones they look like ("Жетiсу" with a Latin i).
func foldSpelling(s string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(s, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
		cyrillic := strings.IndexFunc(word, func(c rune) bool { return unicode.Is(unicode.Cyrillic, c) }) >= 0
		for _, c := range word {
			if cyrillic {
				if look, ok := cyrillicLookalikes[c]; ok {
					c = look
				}
			}
			c = unicode.ToLower(c)
			if f, ok := letterFolds[c]; ok {
				b.WriteString(f)
				continue
			}
			b.WriteRune(c)
		}
	}
	return b.String()
}

var letterFolds = map[rune]string{
	'ё': "е", 'ә': "а", 'ғ': "г", 'қ': "к", 'ң': "н", 'ө': "о", 'ұ': "у", 'ү': "у", 'һ': "х", 'і': "и",
	'ü': "u", 'ö': "o", 'ä': "a", 'ı': "i", 'ğ': "g", 'ş': "sh", 'ç': "ch", 'ñ': "n", 'ū': "u", 'é': "e",
}

// cyrillicLookalikes are the Latin letters that keyboards and OCR put in Cyrillic words.
var cyrillicLookalikes = map[rune]rune{
	'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'K': 'К', 'M': 'М', 'O': 'О', 'P': 'Р', 'T': 'Т', 'X': 'Х',
	'a': 'а', 'c': 'с', 'e': 'е', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у', 'i': 'і', 'I': 'І',
}

// RegionMatch is how a value of an import's region column was read.
type RegionMatch struct {
	Region *model.Region
	// ByName is false when the value was the ISO code.
	ByName bool
	// Folded is the name as compared: the same for every way of writing one spelling
	// (letter case, spaces, punctuation, ё or е).
	Folded string
	// SharedWith is set when the value was a bare name that a region shares with the city
	// it was read as: the region it did not mean.
	SharedWith *model.Region
}

// LookupRegion reads a region of j given by its ISO code or by a spelling of its name.
// ok is false when the value is neither; NearRegions then suggests what was meant.
func (d *Data) LookupRegion(j model.Jurisdiction, value string) (m RegionMatch, ok bool) {
	value = strings.TrimSpace(value)
	if r := d.regionByCode[strings.ToUpper(value)]; r != nil {
		if r.Jurisdiction != j {
			return RegionMatch{}, false
		}
		return RegionMatch{Region: r, Folded: r.Code}, true
	}
	k := spellingKey{j, foldSpelling(value)}
	r := d.regionNames.units[k]
	if r == nil {
		return RegionMatch{}, false
	}
	return RegionMatch{Region: r, ByName: true, Folded: k.folded, SharedWith: d.regionNames.sharedWith[k]}, true
}

// FindRegion finds a region of j by its ISO code or a spelling of its name (see
// LookupRegion); nil when there is none.
func (d *Data) FindRegion(j model.Jurisdiction, name string) *model.Region {
	if m, ok := d.LookupRegion(j, name); ok {
		return m.Region
	}
	return nil
}

// maxSuggestions bounds the regions a miss suggests: more are no help to an editor.
const maxSuggestions = 3

// NearRegions returns the regions of j whose spellings are nearest to a value that is not
// one, by edit distance: none when nothing is close (a typing slip changes a name by a
// letter or two, a shifted column gives something else entirely).
func (d *Data) NearRegions(j model.Jurisdiction, value string) []*model.Region {
	folded := []rune(foldSpelling(value))
	if len(folded) < 3 || len(folded) > 60 {
		return nil
	}
	limit := 1 + len(folded)/5
	best, found := limit+1, []*model.Region(nil)
	for _, s := range d.regionNames.near[j] {
		if diff := len(s.folded) - len(folded); diff > best || -diff > best {
			continue
		}
		dist := editDistance(folded, s.folded, best)
		switch {
		case dist < best:
			best, found = dist, []*model.Region{s.unit}
		case dist == best && !containsRegion(found, s.unit):
			found = append(found, s.unit)
		}
	}
	// In the order of the data, so the same miss always reads the same.
	var ordered []*model.Region
	for i := range d.Regions {
		if r := &d.Regions[i]; containsRegion(found, r) && len(ordered) < maxSuggestions {
			ordered = append(ordered, r)
		}
	}
	return ordered
}

func containsRegion(list []*model.Region, r *model.Region) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

// editDistance is the Levenshtein distance of a and b, or a number above limit as soon
// as it is known to exceed it.
func editDistance(a, b []rune, limit int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
