-- KEYS[1] lock key; ARGV[1] token, ARGV[2] ms, ARGV[3] '1' = replace the remaining time, else add to it
-- Returns the new remaining time in ms, or -1 when the token does not own the lock.
--#include prolong
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
return prolong(KEYS[1], ARGV[2], ARGV[3])
