package ingest

import (
	"slices"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
)

// RegionNameMatch counts the rows of an import that gave their region by a name rather
// than an ISO code, for one spelling and the region it was read as: an editor sees how the
// names were read, before anything is written on a dry run.
type RegionNameMatch struct {
	// Name is the spelling as first met in the file; later rows counted with it may differ
	// in letter case, spaces, punctuation or ё/е.
	Name   string
	Region *model.Region
	// SharedWith is set for a bare name that a region shares with the city it was read as
	// ("Almaty", "Ош"): the region it was not read as.
	SharedWith *model.Region
	Rows       int
}

// regionNameUse is a row's region name and how it was read.
type regionNameUse struct {
	written string
	match   reference.RegionMatch
}

// unknownRegionName is a region value that is no region's, and which of the row's issues
// says so.
type unknownRegionName struct {
	issue        int
	jurisdiction model.Jurisdiction
	value        string
}

// maxRegionNameShown bounds the spelling a RegionNameMatch repeats.
const maxRegionNameShown = 60

// regionNameCounts adds up the rows of each spelling of each region.
type regionNameCounts struct {
	index   map[string]int // region code and folded spelling → position in matches
	matches []RegionNameMatch
}

func (c *regionNameCounts) add(u *regionNameUse) {
	if c.index == nil {
		c.index = map[string]int{}
	}
	key := u.match.Region.Code + "\x00" + u.match.Folded
	if i, ok := c.index[key]; ok {
		c.matches[i].Rows++
		return
	}
	name := strings.Join(strings.Fields(u.written), " ")
	if r := []rune(name); len(r) > maxRegionNameShown {
		name = string(r[:maxRegionNameShown-1]) + "…"
	}
	c.index[key] = len(c.matches)
	c.matches = append(c.matches, RegionNameMatch{Name: name, Region: u.match.Region, SharedWith: u.match.SharedWith, Rows: 1})
}

// list returns the counts by region code, then spelling.
func (c *regionNameCounts) list() []RegionNameMatch {
	out := slices.Clone(c.matches)
	slices.SortFunc(out, func(a, b RegionNameMatch) int {
		return strings.Compare(a.Region.Code+"\x00"+a.Name, b.Region.Code+"\x00"+b.Name)
	})
	if out == nil {
		out = []RegionNameMatch{}
	}
	return out
}
