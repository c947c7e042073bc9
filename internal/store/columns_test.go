package store

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// The columns read into a model.Case are its db tags, in order.
func TestCaseSelectListIsModelCase(t *testing.T) {
	var tags []string
	ct := reflect.TypeFor[model.Case]()
	for i := range ct.NumField() {
		if tag := ct.Field(i).Tag.Get("db"); tag != "" && tag != "-" {
			tags = append(tags, tag)
		}
	}
	if got := strings.Split(caseSelectList, ", "); !slices.Equal(got, tags) {
		t.Fatalf("caseSelectList = %v\nmodel.Case    = %v", got, tags)
	}
}
