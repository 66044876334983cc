-- Included (--#include prolong) by the scripts that extend something their caller holds.
-- prolong: sets KEYS[1]'s remaining time to ms ('1' = replace) or adds ms to it; returns the new time in ms.
local function prolong(key, ms, replace)
  ms = tonumber(ms)
  if replace ~= '1' then
    local ttl = redis.call('PTTL', key)
    if ttl > 0 then
      ms = ms + ttl
    end
  end
  redis.call('PEXPIRE', key, ms)
  return ms
end
