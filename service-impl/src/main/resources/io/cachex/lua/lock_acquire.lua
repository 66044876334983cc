-- KEYS[1] lock key, KEYS[2] its fencing counter (same Cluster slot); ARGV[1] token, ARGV[2] lease ms,
-- ARGV[3] how long the counter outlives the lease, in ms.
-- Returns the new fencing token, or nil when the lock is held.
-- The token is the previous one + 1, or the server's clock in microseconds when that is larger: tokens
-- strictly increase while the counter lives, and stay above every earlier one once it has expired, so
-- the counter need not live forever.
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return false
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local fence = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
if now > fence then
  fence = now
end
redis.call('SET', KEYS[2], string.format('%.0f', fence), 'PX', tonumber(ARGV[2]) + tonumber(ARGV[3]))
return fence
