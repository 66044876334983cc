-- inspectKey: KEYS[1] read in one step, {type, pttl, size, fingerprint, value}; for a string the
-- fingerprint is the SHA-1 of its stored bytes and value those bytes, else both false (nil).
-- A missing key replies {'none', -2, 0, false, false}.
local t = redis.call('TYPE', KEYS[1])['ok']
local pttl = redis.call('PTTL', KEYS[1])
if t == 'string' then
  local v = redis.call('GET', KEYS[1])
  return {t, pttl, string.len(v), redis.sha1hex(v), v}
end
local size = 0
if t == 'hash' then size = redis.call('HLEN', KEYS[1])
elseif t == 'list' then size = redis.call('LLEN', KEYS[1])
elseif t == 'set' then size = redis.call('SCARD', KEYS[1])
elseif t == 'zset' then size = redis.call('ZCARD', KEYS[1])
elseif t == 'stream' then size = redis.call('XLEN', KEYS[1])
end
return {t, pttl, size, false, false}
