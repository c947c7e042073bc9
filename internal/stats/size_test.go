package stats

import (
	"testing"
	"unsafe"
)

// A fact is 80 bytes: the table's memory at a million cases (docs/design.md §8) counts on it.
func TestFactSize(t *testing.T) {
	if n := unsafe.Sizeof(fact{}); n != 80 {
		t.Fatalf("a fact takes %d bytes, want 80", n)
	}
}
