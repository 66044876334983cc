-- getMany with stampede protection: for each KEYS[i] its value and its time left in ms (PTTL; -2 when
-- missing), as a flat array {value1, pttl1, value2, pttl2, ...} (a missing value is false, read as nil).
local out = {}
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  out[2 * i - 1] = v
  out[2 * i] = v and redis.call('PTTL', KEYS[i]) or -2
end
return out
