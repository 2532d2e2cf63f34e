package cache

import (
	"sync"
	"time"
)

// Memo remembers the decoded form of cache entries, so a hot key is decoded
// once per load instead of on every hit. An entry is identified by its key
// and StoredAt, which both the memory and the Redis cache carry unchanged.
type Memo struct {
	mu  sync.Mutex
	max int
	m   map[string]memoEntry
}

type memoEntry struct {
	stored time.Time
	v      any
}

// NewMemo returns a memo holding at most max decoded values.
func NewMemo(max int) *Memo {
	return &Memo{max: max, m: make(map[string]memoEntry, max)}
}

// Decode returns the decoded value of e, decoding it only when the memo
// does not hold this exact entry yet. The returned value is shared: callers
// must treat it as read-only.
func Decode[T any](m *Memo, key string, e Entry, decode func([]byte) (T, error)) (T, error) {
	m.mu.Lock()
	if me, ok := m.m[key]; ok && me.stored.Equal(e.StoredAt) {
		m.mu.Unlock()
		if v, ok := me.v.(T); ok {
			return v, nil
		}
	} else {
		m.mu.Unlock()
	}
	v, err := decode(e.Value)
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	if len(m.m) >= m.max {
		// Dropping everything is crude but bounded and cheap; hot keys come
		// back on their next hit.
		clear(m.m)
	}
	m.m[key] = memoEntry{stored: e.StoredAt, v: v}
	m.mu.Unlock()
	return v, nil
}
