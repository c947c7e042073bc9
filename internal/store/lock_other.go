//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import "os"

// Without flock(2) the SQLite lock covers nothing: run one instance per database file.
func tryFlock(*os.File) (bool, error) { return true, nil }

func unflock(*os.File) error { return nil }
