package ticketsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crossview/crossview/server/internal/crossview"
)

// GetJSON reads one record as JSON into v; false when there is none.
// Ticket sync and data sync keep their records this way.
func GetJSON(ctx context.Context, r Records, partition, table, key string, v any) (bool, error) {
	b, err := r.Get(ctx, partition, table, key)
	if errors.Is(err, crossview.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("decoding the sync record %s/%s: %w", table, key, err)
	}
	return true, nil
}

// PutJSON writes v as one record's JSON.
func PutJSON(ctx context.Context, r Records, partition, table, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return r.Put(ctx, partition, table, key, b)
}
