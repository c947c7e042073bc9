// Package deploy holds the files that run casewatch in containers (compose.yaml,
// nginx.conf, the example environment files; the Dockerfile is at the repository's root)
// and the tests that check them.
package deploy
