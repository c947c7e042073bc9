package graph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// writeAnswer writes what json.Marshal would (the same JSON value) and, for data alone,
// the data exactly as gqlgen wrote it.
func TestWriteAnswer(t *testing.T) {
	data := json.RawMessage(`{"cases":{"edges":[{"node":{"reference":"KZ-2026-ABC","region":null,"note":"a < b & c"}}]}}`)
	hasNext := false
	for _, tt := range []struct {
		name    string
		answer  graphql.Response
		asGiven bool // written around the data, byte for byte
	}{
		{"data alone", graphql.Response{Data: data}, true},
		{"data and errors", graphql.Response{Data: data, Errors: gqlerror.List{{Message: "no region"}}}, false},
		{"errors alone", graphql.Response{Errors: gqlerror.List{{Message: "bad"}}}, false},
		{"extensions", graphql.Response{Data: data, Extensions: map[string]any{"cost": 3}}, false},
		{"incremental", graphql.Response{Data: data, HasNext: &hasNext}, false},
		{"nothing", graphql.Response{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			writeAnswer(&got, &tt.answer)
			want, err := json.Marshal(&tt.answer)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(got.Bytes()) {
				t.Fatalf("not JSON: %s", got.Bytes())
			}
			var g, w any
			_ = json.Unmarshal(got.Bytes(), &g)
			_ = json.Unmarshal(want, &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("wrote %s, json.Marshal writes %s", got.Bytes(), want)
			}
			if tt.asGiven && got.String() != `{"data":`+string(data)+`}` {
				t.Errorf("wrote %s, want the data as given", got.Bytes())
			}
		})
	}
}
