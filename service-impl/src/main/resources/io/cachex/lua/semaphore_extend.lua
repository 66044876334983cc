-- extendSemaphore. KEYS[1] the claims; ARGV[1] member, ARGV[2] ms, ARGV[3] '1' = replace the remaining time,
-- else add to it. Returns the new remaining time in ms, or -1 when the claim is not held (or ran out).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expires or tonumber(expires) <= now then
  return -1
end
local ms = tonumber(ARGV[2])
if ARGV[3] ~= '1' then
  ms = ms + tonumber(expires) - now
end
redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', now + ms), ARGV[1])
redis.call('PEXPIREAT', KEYS[1], redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
return ms
