//go:build !race

package demo_test

// raceEnabled is true under the race detector, which slows the pure-Go SQLite driver
// about twentyfold: the SQLite tests then seed a shorter period.
const raceEnabled = false
