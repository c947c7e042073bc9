//go:build !race

package main

// raceEnabled is true under the race detector, whose shadow memory grows a process's
// resident memory several times over what its heap holds.
const raceEnabled = false
