package redisstore_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/redisstore"
	"github.com/crossview/crossview/server/internal/store/storetest"
	"github.com/redis/go-redis/v9"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Target{
		Open: func(t *testing.T) (store.Backend, storetest.RawReader) {
			client := redistest.Start(t).Client(t)
			return redisstore.New(client, "cv"), func(t *testing.T) []byte { return dump(t, client) }
		},
	})
}

// dump returns every key, field and value in the database, as a look at
// a Redis dump or a MONITOR would show them.
func dump(t *testing.T, c *redis.Client) []byte {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	iter := c.Scan(ctx, 0, "*", 100).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		out.WriteString(key + "\n")
		typ, err := c.Type(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if typ != "hash" {
			t.Fatalf("key %s is a %s; the store keeps only hashes", key, typ)
		}
		fields, err := c.HGetAll(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		for f, v := range fields {
			out.WriteString(f + "=" + v + "\n")
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
