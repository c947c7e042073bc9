package cache

import (
	"context"
	"time"
)

// documentsLocalBytes bounds the in-process copy of persisted query documents.
const documentsLocalBytes = 8 << 20

// Documents stores persisted query documents (automatic persisted queries) by their
// SHA-256: in process, and in Redis when there is one, so a hash registered through one
// instance is known to all. It has the methods of gqlgen's graphql.Cache[string].
type Documents struct {
	c      *Cache
	local  *local
	lm, rm *tierMetrics
}

func newDocuments(c *Cache) *Documents {
	d := &Documents{c: c, lm: c.m.tier("documents", "local"), rm: c.m.tier("documents", "redis")}
	d.local = newLocal(documentsLocalBytes, d.lm.storedBytes.Set)
	return d
}

// Get returns the document registered under hash.
func (d *Documents) Get(ctx context.Context, hash string) (string, bool) {
	start := time.Now()
	v, ok := d.local.get(hash)
	d.lm.get.Observe(time.Since(start).Seconds())
	if ok {
		d.lm.hits.Inc()
		return string(v), true
	}
	d.lm.misses.Inc()
	if d.c.redis == nil {
		return "", false
	}
	v, ok = d.c.redis.get(ctx, d.rm, "apq:"+hash)
	if !ok {
		return "", false
	}
	d.local.set(hash, v)
	return string(v), true
}

// Add registers a document under its hash (the caller has checked the hash). Documents
// larger than MaxDocumentBytes are not kept: their clients go on sending them in full.
func (d *Documents) Add(ctx context.Context, hash, query string) {
	if len(query) > d.c.o.MaxDocumentBytes {
		return
	}
	if v, ok := d.local.get(hash); ok && string(v) == query {
		return
	}
	d.local.set(hash, []byte(query))
	d.lm.writtenBytes.Add(float64(len(query)))
	if d.c.redis != nil {
		d.c.redis.set(ctx, d.rm, "apq:"+hash, []byte(query), d.c.o.DocumentTTL)
	}
}
