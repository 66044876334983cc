-- setLeased. KEYS[1] the value key, KEYS[2] its lease key; ARGV[1] the token, ARGV[2] the encoded value,
-- ARGV[3] its expiry in ms ('' = never, '0' = expire at once: store nothing), ARGV[4] the wake-up channel.
-- Returns -1 when the token does not hold the lease; else ends the lease, wakes the waiters of the value
-- key and returns 1 when written, 0 when the key changed since the lease was granted (kept as it is).
local held = redis.call('GET', KEYS[2])
local mine = ARGV[1] .. ':'
if not held or string.sub(held, 1, #mine) ~= mine then
  return -1
end
local current = redis.call('GET', KEYS[1])
local written = 0
if (current and redis.sha1hex(current) or '') == string.sub(held, #mine + 1) then
  if ARGV[3] == '' then
    redis.call('SET', KEYS[1], ARGV[2])
  elseif ARGV[3] == '0' then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  end
  written = 1
end
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[4], KEYS[1])
return written
