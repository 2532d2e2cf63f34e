package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crossview/crossview/server/internal/queue"
)

// Log is the Redis queue.Log: a stream per log whose entry ids follow the
// entries' own times (never going backwards), so XREVRANGE pages by time
// and XTRIM MINID prunes by age. The stream has no TTL.
type Log struct {
	c      redis.UniversalClient
	prefix string
}

var _ queue.Log = (*Log)(nil)

// NewLog returns logs kept under prefix (e.g. "cv").
func NewLog(c redis.UniversalClient, prefix string) *Log { return &Log{c: c, prefix: prefix} }

func (l *Log) key(stream string) string { return l.prefix + ":{log:" + stream + "}" }

// appendScript adds an entry with id max(at, last id's time)-*. ARGV: at
// ms, entry.
var appendScript = redis.NewScript(`
local at = tonumber(ARGV[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then
  local ms = tonumber(string.match(last[1][1], '^(%d+)-'))
  if ms > at then at = ms end
end
return redis.call('XADD', KEYS[1], string.format('%d-*', at), 'at', ARGV[1], 'e', ARGV[2])
`)

// Append implements queue.Log.
func (l *Log) Append(ctx context.Context, stream string, at time.Time, entry []byte) error {
	if err := appendScript.Run(ctx, l.c, []string{l.key(stream)}, at.UnixMilli(), entry).Err(); err != nil {
		return fmt.Errorf("redisstore: appending to log %s: %w", stream, err)
	}
	return nil
}

// Recent implements queue.Log.
func (l *Log) Recent(ctx context.Context, stream string, before time.Time, limit int) ([]queue.LogEntry, error) {
	end := "+"
	if !before.IsZero() {
		end = strconv.FormatInt(before.UnixMilli()-1, 10)
	}
	msgs, err := l.c.XRevRangeN(ctx, l.key(stream), end, "-", int64(limit)).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: reading log %s: %w", stream, err)
	}
	out := make([]queue.LogEntry, 0, len(msgs))
	for _, m := range msgs {
		at, _ := m.Values["at"].(string)
		e, _ := m.Values["e"].(string)
		ms, _ := strconv.ParseInt(at, 10, 64)
		out = append(out, queue.LogEntry{At: time.UnixMilli(ms), Entry: []byte(e)})
	}
	return out, nil
}

// Prune implements queue.Log.
func (l *Log) Prune(ctx context.Context, stream string, cutoff time.Time) (int, error) {
	n, err := l.c.XTrimMinID(ctx, l.key(stream), strconv.FormatInt(cutoff.UnixMilli(), 10)).Result()
	if err != nil {
		return 0, fmt.Errorf("redisstore: pruning log %s: %w", stream, err)
	}
	return int(n), nil
}
