-- KEYS[1] lock key. Returns {token, pttl} or {false} when not held.
local v = redis.call('GET', KEYS[1])
if not v then
  return {0, -2}
end
return {v, redis.call('PTTL', KEYS[1])}
