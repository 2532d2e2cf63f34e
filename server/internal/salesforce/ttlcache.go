package salesforce

import (
	"sync"
	"time"
)

// ttlCache is a small bounded map whose entries expire: what ticket sync
// remembers between writes (describes, the ids of Contacts and Accounts)
// so a steady stream of changes costs one call each. When full it drops
// everything, which is crude but bounded; hot keys come back on their
// next miss.
type ttlCache[V any] struct {
	mu  sync.Mutex
	max int
	now func() time.Time
	m   map[string]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

func newTTLCache[V any](max int, now func() time.Time) *ttlCache[V] {
	return &ttlCache[V]{max: max, now: now, m: map[string]ttlEntry[V]{}}
}

func (c *ttlCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !c.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[V]) set(key string, v V, ttl time.Duration) {
	c.setUnless(key, v, ttl, nil)
}

// setUnless stores v unless keep says the live entry there must stay.
func (c *ttlCache[V]) setUnless(key string, v V, ttl time.Duration, keep func(old V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok && keep != nil && c.now().Before(e.expires) && keep(e.v) {
		return
	}
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = ttlEntry[V]{v: v, expires: c.now().Add(ttl)}
}

func (c *ttlCache[V]) drop(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		delete(c.m, k)
	}
}

// keyedLocks serialises work per key (creating one requester's Contact),
// keeping no entry for keys nobody holds.
type keyedLocks struct {
	mu sync.Mutex
	m  map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

// lock takes the locks of keys, in the order given (callers sort them),
// and returns the function that releases them.
func (k *keyedLocks) lock(keys ...string) func() {
	held := make([]*keyedLock, 0, len(keys))
	for _, key := range keys {
		k.mu.Lock()
		if k.m == nil {
			k.m = map[string]*keyedLock{}
		}
		l := k.m[key]
		if l == nil {
			l = &keyedLock{}
			k.m[key] = l
		}
		l.users++
		k.mu.Unlock()
		l.Lock()
		held = append(held, l)
	}
	return func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].Unlock()
			k.mu.Lock()
			held[i].users--
			if held[i].users == 0 {
				delete(k.m, keys[i])
			}
			k.mu.Unlock()
		}
	}
}
