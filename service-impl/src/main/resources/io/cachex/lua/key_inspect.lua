-- inspectKey: KEYS[1] read in one step, {type, pttl, size, fingerprint, value}. A string's fingerprint is
-- the SHA-1 of its stored bytes and value those bytes; a hash, list, set or sorted set of at most ARGV[1]
-- items has a fingerprint of its whole content (fields and members in byte order, lengths framed) and no
-- value; a larger one, or a stream, has neither. A missing key replies {'none', -2, 0, false, false}.
--#include collection
local key, max = KEYS[1], tonumber(ARGV[1])
local t = redis.call('TYPE', key)['ok']
local pttl = redis.call('PTTL', key)
if t == 'string' then
  local v = redis.call('GET', key)
  return {t, pttl, string.len(v), redis.sha1hex(v), v}
end
local size = collection_size(key, t)
local fingerprint = false
if size <= max and t ~= 'stream' and t ~= 'none' then
  fingerprint = collection_fingerprint(key, t)
end
return {t, pttl, size, fingerprint, false}
