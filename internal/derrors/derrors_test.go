package derrors

import (
	"errors"
	"io"
	"testing"
)

func TestWrap(t *testing.T) {
	var err error
	Wrap(&err, "op(%d)", 1)
	if err != nil {
		t.Fatalf("nil error wrapped: %v", err)
	}
	err = io.EOF
	Wrap(&err, "store.Op(%d ids)", 3)
	if err.Error() != "store.Op(3 ids): EOF" || !errors.Is(err, io.EOF) {
		t.Fatalf("got %v", err)
	}
}
