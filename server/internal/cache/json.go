package cache

import (
	"context"
	"encoding/json"
)

// jsonLoader is what LoadJSON needs of a Loader (tests may pass their own).
type jsonLoader interface {
	Load(ctx context.Context, key string, p Policy, force bool, fn LoadFunc) (Entry, error)
}

// LoadJSON reads a value through l, storing it as JSON, and decodes each
// stored entry once (through m). The value returned may be shared with
// other callers: treat it as read-only.
func LoadJSON[T any](ctx context.Context, l jsonLoader, m *Memo, key string, p Policy, force bool, fetch func(context.Context) (T, error)) (T, error) {
	e, err := l.Load(ctx, key, p, force, func(ctx context.Context) ([]byte, error) {
		v, err := fetch(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(v)
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return Decode(m, key, e, func(b []byte) (T, error) {
		var v T
		err := json.Unmarshal(b, &v)
		return v, err
	})
}
