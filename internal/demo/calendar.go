package demo

import (
	"math/rand/v2"
	"time"
)

// The demo data starts on firstDate: the MKI totals it follows start with 2023.
const (
	firstDate = "2023-01-01"
	firstYear = 2023
)

// day is one calendar day of the data.
type day struct {
	date    string // YYYY-MM-DD, formatted once here so the hot loops never format dates
	year    int
	month   time.Month
	weekday time.Weekday
}

// calendar holds every day from firstDate to the last date. The generators count in day
// numbers (0 is firstDate) and turn them into dates only when they write them.
type calendar struct {
	days []day
}

func newCalendar(until time.Time) *calendar {
	start, _ := time.Parse(time.DateOnly, firstDate)
	c := &calendar{}
	for t := start; !t.After(until); t = t.AddDate(0, 0, 1) {
		c.days = append(c.days, day{date: t.Format(time.DateOnly), year: t.Year(), month: t.Month(), weekday: t.Weekday()})
	}
	return c
}

// last is the number of the last day.
func (c *calendar) last() int { return len(c.days) - 1 }

// reached reports whether day d is on or before the last day: later steps have not happened yet.
func (c *calendar) reached(d int) bool { return d <= c.last() }

// date returns day d as a new YYYY-MM-DD string pointer; d must be reached.
func (c *calendar) date(d int) *string {
	s := c.days[d].date
	return &s
}

// weekday works for days after the last one too, which steps not reached yet can fall on.
func (c *calendar) weekday(d int) time.Weekday {
	return time.Weekday((int(c.days[0].weekday) + d) % 7)
}

// workday moves a weekend day to the next Monday: police, prosecutors and courts decide on
// working days.
func (c *calendar) workday(d int) int {
	switch c.weekday(d) {
	case time.Saturday:
		return d + 2
	case time.Sunday:
		return d + 1
	}
	return d
}

// yearDays returns the first and last day numbers of a year within the calendar, and how
// many days the full year has.
func (c *calendar) yearDays(year int) (first, last, daysInYear int) {
	first, last = -1, -1
	for d := range c.days {
		if c.days[d].year == year {
			if first < 0 {
				first = d
			}
			last = d
		}
	}
	start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	daysInYear = int(start.AddDate(1, 0, 0).Sub(start).Hours() / 24)
	return first, last, daysInYear
}

// Relative activity by month, in percent: quieter in January and the summer holidays.
var monthPercent = [13]int64{0, 85, 95, 100, 105, 95, 95, 90, 90, 105, 110, 110, 100}

// dayWeight is how busy a day is (month, weekday and a random wobble of ±20% so that daily
// counts do not look machine-made). weekend is the weekend's activity in percent.
func dayWeight(r *rand.Rand, d day, weekend int64) int64 {
	w := monthPercent[d.month] * (80 + int64(r.IntN(41)))
	if d.weekday == time.Saturday || d.weekday == time.Sunday {
		w = w * weekend / 100
	}
	return w
}

// spread divides total among days in proportion to weights, with parts that add up to total
// exactly (each part is the rounded-down running share minus the previous one). The running
// sums stay far below the int64 range for the bounded totals used here.
func spread(total int, weights []int64) []int {
	var sum int64
	for _, w := range weights {
		sum += w
	}
	parts := make([]int, len(weights))
	if sum == 0 {
		return parts
	}
	var running int64
	done := 0
	for i, w := range weights {
		running += w
		upto := int(running * int64(total) / sum)
		parts[i] = upto - done
		done = upto
	}
	return parts
}

// gap is a delay in days: at least minimum, usually about mean more, with a tail capped at
// five times the mean.
func gap(r *rand.Rand, minimum, mean int) int {
	return minimum + min(int(r.ExpFloat64()*float64(mean)), 5*mean)
}

// chance is true with the given probability in percent.
func chance(r *rand.Rand, percent int) bool { return r.IntN(100) < percent }

// choose returns yes when cond holds, else no.
func choose(cond bool, yes, no int) int {
	if cond {
		return yes
	}
	return no
}
