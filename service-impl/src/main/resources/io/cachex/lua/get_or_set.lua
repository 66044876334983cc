-- getOrSet in one atomic step: KEYS[1] the key; ARGV[1] the encoded value to store when the key is
-- missing, ARGV[2] its expiry in ms ('' = never, '0' = expire at once: store nothing); with stampede
-- protection ARGV[3] the buffer in ms and ARGV[4] this call's early-expiry threshold in ms ('' = off).
-- Returns {1, existing value} when the key exists, else {0} (the caller's value won), or {2} when the
-- existing value was near its expiry and the caller's value replaced it.
local v = redis.call('GET', KEYS[1])
local replaced = 0
if v then
  if ARGV[3] == '' then
    return {1, v}
  end
  -- early: logical time left (physical time left minus the buffer) at most the drawn threshold
  local pttl = redis.call('PTTL', KEYS[1])
  if pttl <= 0 or pttl - tonumber(ARGV[3]) > tonumber(ARGV[4]) then
    return {1, v}
  end
  replaced = 2
end
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
elseif ARGV[2] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
elseif replaced == 2 then
  redis.call('DEL', KEYS[1])
end
return {replaced}
