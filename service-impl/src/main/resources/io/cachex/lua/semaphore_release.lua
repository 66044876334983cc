-- releaseSemaphore. KEYS[1] the claims; ARGV[1] member, ARGV[2] wake-up channel, ARGV[3] the key waiters wait on.
-- Returns 1 when the claim was held and is given back (the waiters are woken), 0 when it is not held
-- (released before, or it ran out: then it is reclaimed now).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expires then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
if tonumber(expires) <= now then
  return 0
end
return 1
