-- extendLease. KEYS[1] the lease key; ARGV[1] the token, ARGV[2] ms, ARGV[3] '1' = replace the remaining
-- time, else add to it. Returns the new remaining time in ms, or -1 when the token does not hold the lease.
--#include prolong
local held = redis.call('GET', KEYS[1])
local mine = ARGV[1] .. ':'
if not held or string.sub(held, 1, #mine) ~= mine then
  return -1
end
return prolong(KEYS[1], ARGV[2], ARGV[3])
