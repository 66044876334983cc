-- semaphoreStatus. KEYS[1] the claims, KEYS[2] the waiters' liveness; ARGV[1] a member or ''.
-- Returns {units in use, live claims, live waiters, ms left on the member's claim: -1 not held, -2 no member}.
-- Reads only: claims that ran out are not counted (the next acquire reclaims them).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local after = '(' .. string.format('%.0f', now)
local used = 0
local claims = redis.call('ZRANGEBYSCORE', KEYS[1], after, '+inf')
for _, m in ipairs(claims) do
  used = used + tonumber(string.match(m, '^(%d+):'))
end
local left = -2
if ARGV[1] ~= '' then
  local expires = redis.call('ZSCORE', KEYS[1], ARGV[1])
  left = (expires and tonumber(expires) > now) and (tonumber(expires) - now) or -1
end
return {used, #claims, redis.call('ZCOUNT', KEYS[2], after, '+inf'), left}
