-- releaseLease. KEYS[1] the value key, KEYS[2] its lease key; ARGV[1] the token, ARGV[2] the wake-up channel.
-- Returns 1 when given up (the waiters of the value key are woken: the next one takes the lease), 0 when
-- the token does not hold it.
local held = redis.call('GET', KEYS[2])
local mine = ARGV[1] .. ':'
if held and string.sub(held, 1, #mine) == mine then
  redis.call('DEL', KEYS[2])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
