package cache

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// DefaultMaxEntries bounds a Memory cache created with a non-positive size.
const DefaultMaxEntries = 10_000

// Memory is an in-process Cache holding at most a fixed number of entries,
// dropping the least recently used first and each entry at its TTL.
type Memory struct {
	now func() time.Time
	max int

	mu    sync.Mutex
	order *list.List // of *memItem, most recently used at the front
	items map[string]*list.Element
}

type memItem struct {
	key     string
	entry   Entry
	expires time.Time
}

var _ Cache = (*Memory)(nil)

// NewMemory returns a cache of at most maxEntries entries (DefaultMaxEntries
// when maxEntries <= 0) whose TTLs run on now.
func NewMemory(maxEntries int, now func() time.Time) *Memory {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	return &Memory{now: now, max: maxEntries, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the entry at key unless it is missing or expired.
func (m *Memory) Get(_ context.Context, key string) (Entry, bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.items[key]
	if !ok {
		return Entry{}, false, nil
	}
	it := el.Value.(*memItem)
	if !now.Before(it.expires) {
		m.remove(el)
		return Entry{}, false, nil
	}
	m.order.MoveToFront(el)
	return it.entry, true, nil
}

// Set stores a copy of e's value at key for ttl, evicting the least recently
// used entry when full.
func (m *Memory) Set(_ context.Context, key string, e Entry, ttl time.Duration) error {
	if ttl <= 0 {
		return errNoTTL
	}
	// Copied so a caller reusing its buffer cannot change what others read.
	e.Value = append([]byte(nil), e.Value...)
	it := &memItem{key: key, entry: e, expires: m.now().Add(ttl)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.items[key]; ok {
		el.Value = it
		m.order.MoveToFront(el)
		return nil
	}
	m.items[key] = m.order.PushFront(it)
	for m.order.Len() > m.max {
		m.remove(m.order.Back())
	}
	return nil
}

// Delete removes keys.
func (m *Memory) Delete(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		if el, ok := m.items[k]; ok {
			m.remove(el)
		}
	}
	return nil
}

// Len reports how many entries are held, expired ones not yet dropped
// included.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

func (m *Memory) remove(el *list.Element) {
	m.order.Remove(el)
	delete(m.items, el.Value.(*memItem).key)
}
