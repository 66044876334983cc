-- acquireSemaphore, one attempt. KEYS[1] the claims (sorted set: member "<weight>:<token>", score = the
-- claim's expiry, epoch ms), KEYS[2] the queue (member, score = arrival, epoch us), KEYS[3] the waiters'
-- liveness (member, score = when the waiter counts as gone, epoch ms); one hash tag, one slot.
-- ARGV[1] member, ARGV[2] weight, ARGV[3] capacity, ARGV[4] lease ms, ARGV[5] waiter liveness ms
-- ('' = do not queue: a non-blocking try), ARGV[6] wake-up channel, ARGV[7] the key waiters wait on.
-- Returns {1, expiry ms} when admitted, else {0, ms until the earliest claim runs out or -1}.
-- Times are the server's (TIME), so that every service instance agrees on what has run out.
local function int(n) return string.format('%.0f', n) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- claims that ran out are reclaimed: their holders died or stalled past their lease
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(now))
-- waiters that stopped looking (their service instance went away) leave the queue
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', int(now))
for _, m in ipairs(gone) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZREM', KEYS[3], m)
end

-- units in use: the sum of the live claims; nothing else is counted, so nothing can drift
local used = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  used = used + tonumber(string.match(m, '^(%d+):'))
end

local head = redis.call('ZRANGE', KEYS[2], 0, 0)
local first = #head == 0 or head[1] == ARGV[1]
if first and used + tonumber(ARGV[2]) <= tonumber(ARGV[3]) then
  local expires = now + tonumber(ARGV[4])
  redis.call('ZADD', KEYS[1], int(expires), ARGV[1])
  -- the claims key lives as long as its longest claim
  redis.call('PEXPIREAT', KEYS[1], redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  if redis.call('ZCARD', KEYS[2]) > 0 then
    -- the next in line may fit as well
    redis.call('PUBLISH', ARGV[6], ARGV[7])
  end
  return {1, tonumber(ARGV[4])}
end

if ARGV[5] ~= '' then
  if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
    redis.call('ZADD', KEYS[2], t[1] .. string.format('%06d', tonumber(t[2])), ARGV[1])
  end
  redis.call('ZADD', KEYS[3], int(now + tonumber(ARGV[5])), ARGV[1])
  -- the queue lives as long as its last waiter looks
  local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')[2]
  redis.call('PEXPIREAT', KEYS[2], last)
  redis.call('PEXPIREAT', KEYS[3], last)
end
local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
return {0, earliest and (tonumber(earliest) - now) or -1}
