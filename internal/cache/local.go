package cache

import (
	"container/list"
	"sync"
)

// local is the in-process tier: a least-recently-used map bounded by the bytes of its keys
// and values, so a burst of large answers cannot grow the process without limit.
type local struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order *list.List // front: most recently used
	items map[string]*list.Element
	// onSize reports the bytes held after each change (a metric).
	onSize func(float64)
}

type localEntry struct {
	key string
	val []byte
}

// entryOverhead approximates the bookkeeping of one entry (map slot, list element,
// headers), so many tiny entries are bounded too.
const entryOverhead = 96

func newLocal(maxBytes int64, onSize func(float64)) *local {
	if onSize == nil {
		onSize = func(float64) {}
	}
	return &local{max: maxBytes, order: list.New(), items: map[string]*list.Element{}, onSize: onSize}
}

func entrySize(key string, val []byte) int64 {
	return int64(len(key)+len(val)) + entryOverhead
}

func (l *local) get(key string) ([]byte, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.items[key]
	if !ok {
		return nil, false
	}
	l.order.MoveToFront(e)
	return e.Value.(*localEntry).val, true
}

// set stores val under key; a value larger than the whole bound is not kept.
func (l *local) set(key string, val []byte) {
	size := entrySize(key, val)
	if size > l.max {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		old := e.Value.(*localEntry)
		l.used += size - entrySize(old.key, old.val)
		old.val = val
		l.order.MoveToFront(e)
	} else {
		l.items[key] = l.order.PushFront(&localEntry{key: key, val: val})
		l.used += size
	}
	for l.used > l.max {
		e := l.order.Back()
		old := e.Value.(*localEntry)
		l.order.Remove(e)
		delete(l.items, old.key)
		l.used -= entrySize(old.key, old.val)
	}
	l.onSize(float64(l.used))
}

// purge drops everything: after a new release no entry can be asked for again.
func (l *local) purge() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.order.Init()
	clear(l.items)
	l.used = 0
	l.onSize(0)
}

func (l *local) size() (bytes int64, entries int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used, len(l.items)
}
