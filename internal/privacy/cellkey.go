package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"slices"
)

// The cell key method (docs/design.md §6) perturbs the flexible statistics and the funnel,
// as official flexible table builders do (the Australian Bureau of Statistics' TableBuilder,
// the ONS's custom datasets of the 2021 census). Exact answers to arbitrary filters cannot
// be protected by withholding small cells alone: the difference of two large exact counts
// (a total and its complement, two overlapping date ranges) is a small one.
//
// Every case has a record key, a secret pseudo-random 16-bit number fixed by its reference
// (RecordKeys). A cell — any figure counting a set of cases — sums the keys of its cases:
// its low 8 bits are the cell key of counts, its high 8 bits the cell key of magnitudes and
// ranks. A count n is published as n plus the perturbation the published table
// (PerturbationTable) gives for n and the cell key. So:
//   - the same set of cases always gets the same answer, however it is asked: repeating a
//     question, or asking it in another form, does not average the noise away;
//   - a set that differs by one case has an unrelated cell key (the case's key is secret and
//     uniform), so the difference of two answers is the difference of two independent
//     perturbations, not the hidden count;
//   - an empty cell has no keys and stays 0.
//
// Counts whose perturbed value is below k are then withheld (the second line, Small), and a
// reader cannot tell none from a few.

// Parameters of the perturbation, published on the methodology page and by the API.
const (
	// CellKeys is the number of cell keys of counts (and of magnitudes): 0 … 255.
	CellKeys = 256
	// MaxPerturbation bounds the perturbation of a count: |p| ≤ MaxPerturbation.
	MaxPerturbation = 4
	// PerturbationVariance is the variance of the perturbation of counts of MaxPerturbation
	// or more (smaller counts cannot go below 0, so their rows differ).
	PerturbationVariance = 2.0
	// MagnitudeShareMin and MagnitudeShareMax bound the perturbation of a total of amounts
	// (fines), as a share of the cell's largest amount: the one contribution a reader could
	// otherwise isolate by differencing is always blurred by at least a fifth of itself.
	MagnitudeShareMin = 0.2
	MagnitudeShareMax = 0.5
	// MinQuantileValues is the least number of values (by perturbed count) a median or a
	// percentile is published from; k when k is larger.
	MinQuantileValues = 10
	// QuantileRankShare is how far, as a share of the number of values, the rank a median
	// or percentile is read at may be moved from its exact rank (at least one rank).
	QuantileRankShare = 0.05
	// MinRepeatDefendantCases is the least perturbed count of cases a bucket's repeat
	// defendants are published for: in a smaller group a pair of known cases could be
	// isolated, and whether one person stands behind both read off the figure.
	MinRepeatDefendantCases = 50
)

// RecordKeys returns a function giving the record key of a case by its reference: the
// first two bytes of HMAC-SHA256 under a key derived from the server's secret. Fixed for
// as long as the secret is; not safe for concurrent use.
func RecordKeys(secret []byte) func(reference []byte) uint16 {
	k := sha256.Sum256(append([]byte("casewatch record key\x00"), secret...))
	mac := hmac.New(sha256.New, k[:])
	var sum [sha256.Size]byte
	return func(reference []byte) uint16 {
		mac.Reset()
		mac.Write(reference)
		return binary.BigEndian.Uint16(mac.Sum(sum[:0]))
	}
}

// Cell is one perturbable figure: how many cases it counts and the sum of their record
// keys (only its low 16 bits matter, so it may wrap).
type Cell struct {
	N   int
	Key uint32
}

// Add counts one more case with record key key.
func (c *Cell) Add(key uint16) { c.N++; c.Key += uint32(key) }

// Merge adds the cases of d, which has none of c's.
func (c *Cell) Merge(d Cell) { c.N += d.N; c.Key += d.Key }

// Within returns the numerator c of a rate over d, keyed by both: a case that joins d
// but not c changes c's perturbation all the same, so whether a rate moved when one case
// was added does not tell which part the case joined. (c is never published as a count
// of its own, so its value need not match another figure of the same cases.)
func (c Cell) Within(d Cell) Cell { return Cell{N: c.N, Key: c.Key + d.Key*0x9e37} }

func (c Cell) countKey() uint8     { return uint8(c.Key) }
func (c Cell) magnitudeKey() uint8 { return uint8(c.Key >> 8) }

// Perturbed is the published value of the count: N plus its perturbation, never below 0.
func (c Cell) Perturbed() int {
	if c.N == 0 {
		return 0
	}
	row := perturbationTable[min(c.N, MaxPerturbation)]
	return c.N + row.perturbations[c.countKey()]
}

// Publish returns the perturbed count, and false when it must be withheld: below k.
func (c Cell) Publish(k int) (int, bool) {
	v := c.Perturbed()
	return v, v >= k
}

// PerturbMagnitude returns total (of amounts whose largest is largest) perturbed by a share
// of largest between MagnitudeShareMin and MagnitudeShareMax, up or down, chosen by the
// cell's magnitude key.
func (c Cell) PerturbMagnitude(total, largest float64) float64 {
	u := float64(c.magnitudeKey()&0x7f) / 0x7f
	share := MagnitudeShareMin + (MagnitudeShareMax-MagnitudeShareMin)*u
	if c.magnitudeKey()&0x80 != 0 {
		share = -share
	}
	return math.Max(0, total+share*largest)
}

// QuantileRank returns the rank (from 0) at which the cell's quantile q (0.5 for the median)
// of its N sorted values is read: the nearest rank, moved by up to QuantileRankShare of N
// (at least one) by the cell's magnitude key, and kept within the values. With a set of
// cases that differs by one, the move is unrelated, so two medians do not give the one
// case's value away.
func (c Cell) QuantileRank(q float64) int {
	exact := int(math.Ceil(q*float64(c.N))) - 1
	width := max(1, int(math.Round(QuantileRankShare*float64(c.N))))
	u := float64(c.magnitudeKey()) / 255
	shift := int(math.Round(u*float64(2*width))) - width
	return min(max(exact+shift, 0), c.N-1)
}

// PublishQuantile reports whether a quantile of the cell's values may be published: its
// perturbed count has at least MinQuantileValues values, and k.
func (c Cell) PublishQuantile(k int) bool {
	return c.Perturbed() >= max(k, MinQuantileValues)
}

// PerturbationRow is one row of the published perturbation table: for a count (and, in the
// last row, every larger count), how many of the CellKeys cell keys give each perturbation.
type PerturbationRow struct {
	Count    int
	OrMore   bool
	Outcomes []PerturbationOutcome
}

// PerturbationOutcome is one perturbation of a row and the number of cell keys giving it.
type PerturbationOutcome struct {
	Perturbation int
	Keys         int
}

// Probability is the share of cell keys that give the outcome.
func (o PerturbationOutcome) Probability() float64 { return float64(o.Keys) / CellKeys }

// PerturbationTable returns the published table, rows 1 … MaxPerturbation (an empty cell
// is never perturbed).
func PerturbationTable() []PerturbationRow {
	out := make([]PerturbationRow, 0, MaxPerturbation)
	for n := 1; n <= MaxPerturbation; n++ {
		out = append(out, PerturbationRow{Count: n, OrMore: n == MaxPerturbation,
			Outcomes: slices.Clone(perturbationTable[n].outcomes)})
	}
	return out
}

// tableRow is a row of the table, with the perturbation of each cell key.
type tableRow struct {
	outcomes      []PerturbationOutcome
	perturbations [CellKeys]int
}

var perturbationTable = buildPerturbationTable()

// buildPerturbationTable makes the rows 1 … MaxPerturbation. The last row (every count from
// MaxPerturbation up) is a discrete normal distribution on −D … D with variance V. A
// smaller count n is perturbed within −n … n by the same distribution cut to those values:
// symmetric, so no count is biased up or down, never below 0, and a single case (n = 1)
// never reaches MinThreshold, the smallest k a server may have, so it is never published.
// Probabilities are rounded to whole cell keys (largest remainder), and keys are assigned
// to perturbations in increasing order, so a row reads as cumulative ranges.
func buildPerturbationTable() [MaxPerturbation + 1]tableRow {
	var rows [MaxPerturbation + 1]tableRow
	sigma := solve(0.1, 10, func(s float64) float64 {
		return variance(weights(MaxPerturbation, s)) - PerturbationVariance
	})
	for n := 1; n <= MaxPerturbation; n++ {
		w := weights(n, sigma)
		keys := roundToKeys(w)
		row := &rows[n]
		next := 0
		for i, k := range keys {
			p := i - n
			if k == 0 {
				continue
			}
			row.outcomes = append(row.outcomes, PerturbationOutcome{Perturbation: p, Keys: k})
			for j := next; j < next+k; j++ {
				row.perturbations[j] = p
			}
			next += k
		}
	}
	return rows
}

// weights are the probabilities of the perturbations −d … d: proportional to
// exp(−p²/2σ²), followed by −d (what mean and variance need to know the values).
func weights(d int, sigma float64) []float64 {
	w := make([]float64, 2*d+1)
	sum := 0.0
	for i := range w {
		p := float64(i - d)
		w[i] = math.Exp(-p * p / (2 * sigma * sigma))
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return append(w, float64(-d))
}

func mean(w []float64) float64 {
	lo, m := w[len(w)-1], 0.0
	for i, p := range w[:len(w)-1] {
		m += p * (lo + float64(i))
	}
	return m
}

func variance(w []float64) float64 {
	lo, m, v := w[len(w)-1], mean(w), 0.0
	for i, p := range w[:len(w)-1] {
		d := lo + float64(i) - m
		v += p * d * d
	}
	return v
}

// solve finds x in [lo, hi] where the increasing function f crosses 0, by bisection.
func solve(lo, hi float64, f func(float64) float64) float64 {
	for range 100 {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// roundToKeys turns the probabilities of w (without its trailing lo) into whole numbers of
// cell keys adding up to CellKeys, by largest remainder.
func roundToKeys(w []float64) []int {
	w = w[:len(w)-1]
	keys := make([]int, len(w))
	rest := make([]int, len(w))
	left := CellKeys
	for i, p := range w {
		keys[i] = int(p * CellKeys)
		left -= keys[i]
		rest[i] = i
	}
	slices.SortStableFunc(rest, func(a, b int) int {
		ra, rb := w[a]*CellKeys-float64(keys[a]), w[b]*CellKeys-float64(keys[b])
		switch {
		case ra > rb:
			return -1
		case ra < rb:
			return 1
		}
		return 0
	})
	for _, i := range rest[:left] {
		keys[i]++
	}
	return keys
}
