package web

import (
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"
)

// The page asks for its whole module graph at once: a modulepreload link, with the current
// version, for every module main.js needs, directly or not, and for no other file.
func TestModulesPreloaded(t *testing.T) {
	h := Handler()
	page := body(t, get(t, h, http.MethodGet, "/", nil))
	preloads := map[string]string{}
	for _, m := range regexp.MustCompile(`<link rel="modulepreload" href="([^"?]+)\?v=([0-9a-f]{12})">`).FindAllStringSubmatch(page, -1) {
		preloads[m[1]] = m[2]
	}
	// The graph as the browser finds it: the versioned static imports of each module.
	static := regexp.MustCompile(`(?m)(?:^import\s+|\sfrom\s+)['"](\.\.?/[^'"?]+)\?v=[0-9a-f]{12}['"]`)
	want := map[string]bool{}
	for queue := []string{"js/main.js"}; len(queue) > 0; queue = queue[1:] {
		js := body(t, get(t, h, http.MethodGet, "/"+queue[0], nil))
		for _, m := range static.FindAllStringSubmatch(js, -1) {
			target := path.Join(path.Dir(queue[0]), m[1])
			if !want[target] {
				want[target] = true
				queue = append(queue, target)
			}
		}
	}
	if len(want) < 10 {
		t.Fatalf("found %d modules under js/main.js", len(want))
	}
	for m := range want {
		v, ok := preloads[m]
		if !ok {
			t.Errorf("%s is not preloaded", m)
			continue
		}
		if a := h.(*handler).files["/"+m]; a == nil || a.version != v {
			t.Errorf("%s is preloaded as version %s", m, v)
		}
	}
	for m := range preloads {
		if !want[m] {
			t.Errorf("%s is preloaded but not imported", m)
		}
	}
	if i, j := strings.Index(page, `rel="modulepreload"`), strings.Index(page, `<script type="module"`); i < 0 || i > j {
		t.Error("the preloads do not come before the module script")
	}
}
