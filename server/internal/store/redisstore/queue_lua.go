package redisstore

import "github.com/redis/go-redis/v9"

// The queue's Lua scripts. Every script touches only one queue's keys,
// which share a hash tag, so they run on one Redis Cluster slot. A key's
// state is a JSON object in the st hash: v version, a attempt, r reason,
// w waiting (d due, q queued), l leased (t token, k worker, u until,
// lq the lease's queued time). Times are Unix milliseconds.
//
// KEYS for every script: 1 in (stream), 2 due (zset), 3 lease (zset),
// 4 st (hash), 5 dead (hash), 6 token (counter).

const luaPrelude = `
local due, lease, st, dead, tokens = KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local function load(key)
  local raw = redis.call('HGET', st, key)
  if not raw then return nil end
  return cjson.decode(raw)
end
local function save(key, s) redis.call('HSET', st, key, cjson.encode(s)) end
local function setdue(key, s, at)
  s.w = true
  s.d = at
  redis.call('ZADD', due, at, key)
end
local function enqueue(key, at, now, stamp)
  local s = load(key) or {v = 0, a = 0}
  s.v = s.v + 1
  if stamp > (s.s or 0) then s.s = stamp end
  if redis.call('HDEL', dead, key) == 1 then
    s.a = 0
    s.r = nil
  end
  if not s.w then
    s.q = now
    setdue(key, s, at)
  elseif s.a == 0 and at < s.d then
    setdue(key, s, at)
  end
  save(key, s)
end
local function held(key, token)
  local s = load(key)
  if not s or not s.l or s.t ~= tonumber(token) then return nil end
  return s
end
local function unlease(key, s)
  s.l = nil
  s.t = nil
  s.k = nil
  s.u = nil
  redis.call('ZREM', lease, key)
end
`

// scheduleScript moves stream entries into the schedule and acknowledges
// and deletes them, all at once, so an entry is gone from the stream only
// once its key is durably waiting. ARGV: group, then id, key, at, queued,
// stamp for each entry (queued: when Enqueue was called).
var scheduleScript = redis.NewScript(luaPrelude + `
local group = ARGV[1]
for i = 2, #ARGV, 5 do
  if ARGV[i + 1] ~= '' then enqueue(ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])) end
  redis.call('XACK', KEYS[1], group, ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
end
return 1
`)

// claimScript first turns ended leases into waiting keys, then leases up
// to n due keys no one holds. ARGV: now, n, lease ms, worker. Returns a
// flat list: key, token, attempt, queued, until, reason, version, stamp
// per lease.
var claimScript = redis.NewScript(luaPrelude + `
local now, n, ms, worker = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
for _, key in ipairs(redis.call('ZRANGEBYSCORE', lease, '-inf', now)) do
  local s = load(key)
  local lq = s.lq
  unlease(key, s)
  s.lq = nil
  if s.w then
    if lq < s.q then s.q = lq end
  else
    s.q = lq
    setdue(key, s, now)
  end
  save(key, s)
end
local out = {}
local taken = 0
for _, key in ipairs(redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, n * 4 + 16)) do
  if taken >= n then break end
  local s = load(key)
  if not s.l then
    redis.call('ZREM', due, key)
    s.w = nil
    s.d = nil
    s.l = true
    s.a = s.a + 1
    s.t = redis.call('INCR', tokens)
    s.k = worker
    s.u = now + ms
    s.lq = s.q
    redis.call('ZADD', lease, s.u, key)
    save(key, s)
    taken = taken + 1
    table.insert(out, key)
    for _, v in ipairs({s.t, s.a, s.q, s.u}) do table.insert(out, string.format('%.0f', v)) end
    table.insert(out, s.r or '')
    for _, v in ipairs({s.v, s.s or 0}) do table.insert(out, string.format('%.0f', v)) end
  end
end
return out
`)

// completeScript ends a lease after success. ARGV: key, token, version.
var completeScript = redis.NewScript(luaPrelude + `
local key = ARGV[1]
local s = held(key, ARGV[2])
if not s then return 0 end
unlease(key, s)
if s.v == tonumber(ARGV[3]) and not s.w then
  redis.call('HDEL', st, key)
else
  s.a = 0
  s.r = nil
  s.lq = nil
  save(key, s)
end
return 1
`)

// retryScript ends a lease after a failure. ARGV: key, token, at, reason.
var retryScript = redis.NewScript(luaPrelude + `
local key = ARGV[1]
local s = held(key, ARGV[2])
if not s then return 0 end
local lq = s.lq
unlease(key, s)
s.lq = nil
if s.w then
  if lq < s.q then s.q = lq end
else
  s.q = lq
end
s.r = ARGV[4]
setdue(key, s, tonumber(ARGV[3]))
save(key, s)
return 1
`)

// buryScript dead-letters a leased key. ARGV: key, token, reason, now.
var buryScript = redis.NewScript(luaPrelude + `
local key = ARGV[1]
local s = held(key, ARGV[2])
if not s then return 0 end
redis.call('ZREM', lease, key)
redis.call('ZREM', due, key)
redis.call('HDEL', st, key)
redis.call('HSET', dead, key, cjson.encode({reason = ARGV[3], attempts = s.a, queued = s.lq, at = tonumber(ARGV[4])}))
return 1
`)

// extendScript moves a live lease's end. ARGV: key, token, until.
var extendScript = redis.NewScript(luaPrelude + `
local key = ARGV[1]
local s = held(key, ARGV[2])
if not s then return 0 end
s.u = tonumber(ARGV[3])
redis.call('ZADD', lease, s.u, key)
save(key, s)
return 1
`)

// replayScript moves buried keys back to waiting. ARGV: now, keys...
// Returns how many were buried.
var replayScript = redis.NewScript(luaPrelude + `
local now = tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV do
  local key = ARGV[i]
  if redis.call('HDEL', dead, key) == 1 then
    local s = {v = 1, a = 0, q = now}
    setdue(key, s, now)
    save(key, s)
    n = n + 1
  end
end
return n
`)
