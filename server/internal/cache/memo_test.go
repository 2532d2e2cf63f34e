package cache

import (
	"encoding/json"
	"testing"
	"time"
)

func TestMemoDecodesEachEntryOnce(t *testing.T) {
	m := NewMemo(2)
	decodes := 0
	dec := func(b []byte) (map[string]int, error) {
		decodes++
		var v map[string]int
		return v, json.Unmarshal(b, &v)
	}
	t0 := time.Unix(100, 0)
	e := Entry{Value: []byte(`{"a":1}`), StoredAt: t0}
	for range 3 {
		v, err := Decode(m, "k", e, dec)
		if err != nil || v["a"] != 1 {
			t.Fatal(v, err)
		}
	}
	if decodes != 1 {
		t.Fatalf("decoded %d times, want 1", decodes)
	}
	// A reload stores a new entry: it must be decoded afresh.
	e2 := Entry{Value: []byte(`{"a":2}`), StoredAt: t0.Add(time.Second)}
	if v, _ := Decode(m, "k", e2, dec); v["a"] != 2 || decodes != 2 {
		t.Fatalf("new entry served the old value %v (decodes %d)", v, decodes)
	}
	// Bounded: a third key clears the memo rather than growing it.
	_, _ = Decode(m, "k2", e, dec)
	_, _ = Decode(m, "k3", e, dec)
	if len(m.m) > 2 {
		t.Fatalf("memo holds %d entries, max 2", len(m.m))
	}
}
