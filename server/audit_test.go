package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGraphQLOverHTTPAudit runs the graphql-http package's server audit (.ci/graphql-http)
// against a real server: GraphQL over HTTP with no error and no warning. The test command
// installs Node.js and the audit's packages and says where in CASEWATCH_TEST_AUDIT.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	script := os.Getenv("CASEWATCH_TEST_AUDIT")
	if script == "" {
		if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("CASEWATCH_TEST_AUDIT not set (use .ci/test)")
		}
		t.Skip("CASEWATCH_TEST_AUDIT not set: the GraphQL over HTTP audit is not run (use .ci/test)")
	}
	s := start(t, smallDatabase(t))
	cmd := exec.Command("node", filepath.Base(script), s.url+"/graphql")
	cmd.Dir = filepath.Dir(script)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the audit failed: %v", err)
	}
	if !strings.Contains(string(out), " 0 notices, 0 warnings, 0 errors") {
		t.Fatalf("the audit found notices, warnings or errors")
	}
}
