package graph

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Node ids are opaque to clients but carry nothing secret: "Case:KZ-2024-7Q3M2C",
// "Region:KZ-75", "Article:KZ:CAO 456-2", "Release:3", base64url-encoded.

func nodeID(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + key))
}

func parseNodeID(id string) (kind, key string, err error) {
	raw, decErr := base64.RawURLEncoding.DecodeString(id)
	kind, key, ok := strings.Cut(string(raw), ":")
	if decErr != nil || !ok || key == "" {
		return "", "", badInput("the id is not an id of this API; use the id field of a Case, Region, Article or Release")
	}
	return kind, key, nil
}

// cursorSealer encrypts and authenticates cursors. A cursor holds the sort key of a row (an
// exact date) and its internal id, which the API does not publish; sealing keeps them
// unreadable, and authentication makes a forged or foreign cursor an input error. The
// nonce is derived from the content, so equal positions give equal cursors and answers
// stay byte-identical (and cacheable).
type cursorSealer struct {
	aead   cipher.AEAD
	macKey []byte
}

func newCursorSealer(secret []byte) *cursorSealer {
	encKey := sha256.Sum256(append([]byte("casewatch cursor encryption\x00"), secret...))
	macKey := sha256.Sum256(append([]byte("casewatch cursor nonce\x00"), secret...))
	block, err := aes.NewCipher(encKey[:])
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &cursorSealer{aead: aead, macKey: macKey[:]}
}

// seal encodes v (a small struct) as a cursor bound to the list it belongs to.
func (s *cursorSealer) seal(list string, v any) string {
	plain, err := json.Marshal(v)
	if err != nil {
		panic(err) // cursor payloads are plain structs
	}
	mac := hmac.New(sha256.New, s.macKey)
	mac.Write([]byte(list))
	mac.Write(plain)
	nonce := mac.Sum(nil)[:s.aead.NonceSize()]
	out := s.aead.Seal(nonce, nonce, plain, []byte(list))
	return base64.RawURLEncoding.EncodeToString(out)
}

// open decodes a cursor of list into v, or returns an input error.
func (s *cursorSealer) open(list, cursor string, v any) error {
	bad := badInput("after is not a cursor of this list; pass the endCursor of the previous page of the same query and order")
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return bad
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(list))
	if err != nil || json.Unmarshal(plain, v) != nil {
		return bad
	}
	return nil
}
