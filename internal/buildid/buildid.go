// Package buildid names the running build of the program, for what the code derives and
// keeps across starts in its own form: the fact-table snapshot (internal/stats), which is
// the table's memory as this build lays it out. A name changes whenever the code (or the
// data embedded in it) may have, so nothing derived by another build is taken for this one's.
package buildid

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
)

// Identity is the build's commit when it was built from a clean checkout, otherwise the
// executable's size and modification time (a rebuilt binary gets a new name), or "" when
// neither can be read; then nothing should be taken as derived by this build.
var Identity = sync.OnceValue(func() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" && settings["vcs.modified"] == "false" {
			return "commit " + rev
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	st, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("executable %d bytes %d", st.Size(), st.ModTime().UnixNano())
})
