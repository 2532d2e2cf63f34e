package storetest

import (
	"testing"
)

// testBackendCount: Count follows puts and deletes, per table.
func testBackendCount(t *testing.T, e *env) {
	ctx := t.Context()
	count := func(table string) int {
		t.Helper()
		n, err := e.backend.Count(ctx, "acme", table)
		if err != nil {
			t.Fatalf("Count(%s): %v", table, err)
		}
		return n
	}
	if n := count("things"); n != 0 {
		t.Fatalf("Count of a missing table = %d", n)
	}
	for _, k := range []string{"a", "b", "c"} {
		if err := e.backend.Put(ctx, "acme", "things", k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.backend.Put(ctx, "acme", "other", "x", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := e.backend.Put(ctx, "acme", "things", "a", []byte("again")); err != nil {
		t.Fatal(err)
	}
	if n := count("things"); n != 3 {
		t.Fatalf("Count = %d, want 3", n)
	}
	if err := e.backend.Delete(ctx, "acme", "things", "b"); err != nil {
		t.Fatal(err)
	}
	if n := count("things"); n != 2 {
		t.Fatalf("Count after a delete = %d, want 2", n)
	}
}
