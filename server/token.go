package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
)

var tokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// tokenCmd creates and revokes API tokens: an editor's may import, a reader's only reads,
// with the higher rate-limit budget of an API key.
func tokenCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("usage: token create --role editor|reader --name NAME | token revoke NAME")}
	}
	sub, args := args[0], args[1:]
	fs, cfg := newFlagSet("token "+sub, getenv, stderr)
	var role, name *string
	if sub == "create" {
		role = fs.String("role", "", "editor (may import) or reader (reads with an API key's rate limit)")
		name = fs.String("name", "", "who holds the token, as it will appear in the audit log")
	}
	if err := cfg.parse(fs, args); err != nil {
		return err
	}
	switch sub {
	case "create":
		if *role != "editor" && *role != "reader" {
			return usageError{fmt.Errorf("--role %q: use editor or reader", *role)}
		}
		if !tokenName.MatchString(*name) || fs.NArg() > 0 {
			return usageError{errors.New("usage: token create --role editor|reader --name NAME (letters, digits, . _ @ -)")}
		}
	case "revoke":
		if fs.NArg() != 1 {
			return usageError{errors.New("usage: token revoke NAME")}
		}
	default:
		return usageError{fmt.Errorf("unknown token command %q; use create or revoke", sub)}
	}

	st, _, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "revoke" {
		return st.RevokeToken(ctx, fs.Arg(0))
	}
	token := newToken()
	if err := st.CreateToken(ctx, *name, *role, hashToken(token)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}

// newToken returns 160 random bits, readable and safe in a header.
func newToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "cw_" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// hashToken is how a token is stored and looked up: a plain SHA-256 suffices, since the
// token itself is random and long.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
