-- KEYS[1] lock key; ARGV[1] token, ARGV[2] channel to tell waiters
-- Returns 1 when released, 0 when the token does not own the lock.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
