-- getOrSet in one atomic step: KEYS[1] the key; ARGV[1] the encoded value to store when the key is
-- missing, ARGV[2] its expiry in ms ('' = never, '0' = expire at once: store nothing).
-- Returns {1, existing value} when the key exists, else {0} (the caller's value won).
local v = redis.call('GET', KEYS[1])
if v then
  return {1, v}
end
if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
elseif ARGV[2] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return {0}
