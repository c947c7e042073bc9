package cache

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// GenerationSource tells the current release generation (store.Store.Generation).
type GenerationSource interface {
	Generation(ctx context.Context) (int64, error)
}

// Generation is the release generation answers are currently keyed by; known is false
// until it has been read from the store once, and nothing may be cached before.
func (c *Cache) Generation() (gen int64, known bool) { return c.gen.Load(), c.known.Load() }

// advance moves to generation g when it is newer. Generations only grow (a release is
// never taken back), so a poll that read the store just before a commit cannot move an
// instance back after a message announced the commit. The in-process answers are all of
// older generations then: they go at once.
func (c *Cache) advance(g int64) bool {
	for {
		cur := c.gen.Load()
		if g <= cur {
			return false
		}
		if c.gen.CompareAndSwap(cur, g) {
			c.local.purge()
			c.m.generation.Set(float64(g))
			if c.o.OnNewGeneration != nil {
				go c.o.OnNewGeneration(g)
			}
			return true
		}
	}
}

// Refresh reads the generation from the store and, when it is newer, announces it to the
// other instances. Call it after an import commits.
func (c *Cache) Refresh(ctx context.Context) error {
	g, err := c.o.Source.Generation(ctx)
	if err != nil {
		return err
	}
	c.advance(g)
	c.known.Store(true)
	if c.redis != nil {
		return c.redis.call(ctx, c.rm.set, func(ctx context.Context) error {
			return Announce(ctx, c.o.Redis, c.o.Prefix, g)
		})
	}
	return nil
}

// channel is the pub/sub channel of new generations.
func channel(prefix string) string { return prefix + "generation" }

// Announce tells every instance sharing the Redis (and prefix) that generation g is
// committed. The import command, which runs without a Cache, calls it after a commit.
func Announce(ctx context.Context, rdb redis.UniversalClient, prefix string, g int64) error {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return rdb.Publish(ctx, channel(prefix), strconv.FormatInt(g, 10)).Err()
}

// Watch follows the release generation until ctx ends: it reads it from the store now and
// every PollEvery, and takes announcements from Redis pub/sub as they come. Either alone
// keeps the instance current; pub/sub makes it immediate, polling makes it certain.
func (c *Cache) Watch(ctx context.Context) {
	if err := c.poll(ctx); err != nil {
		c.o.Log.Warn("cache: reading the release generation", "err", err)
	}
	if c.o.Redis != nil {
		ps := c.o.Redis.Subscribe(ctx, channel(c.o.Prefix))
		defer ps.Close()
		// The channel reconnects by itself after Redis went away.
		msgs := ps.Channel()
		go func() {
			for msg := range msgs {
				if g, err := strconv.ParseInt(msg.Payload, 10, 64); err == nil && c.advance(g) {
					c.o.Log.Debug("cache: new release announced", "generation", g)
				}
			}
		}()
	}
	t := time.NewTicker(c.o.PollEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := c.poll(ctx)
		switch {
		case err != nil && !failing && ctx.Err() == nil:
			c.o.Log.Warn("cache: reading the release generation", "err", err)
			failing = true
		case err == nil && failing:
			c.o.Log.Info("cache: reading the release generation again")
			failing = false
		}
	}
}

func (c *Cache) poll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	g, err := c.o.Source.Generation(ctx)
	if err != nil {
		return err
	}
	if c.advance(g) {
		c.o.Log.Debug("cache: new release found", "generation", g)
	}
	c.known.Store(true)
	return nil
}

// Sync reads the generation from the store once; Watch does it too, but a server calls
// Sync before it answers, so its first answers are cached already.
func (c *Cache) Sync(ctx context.Context) error { return c.poll(ctx) }
