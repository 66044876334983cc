-- The admin key browser: KEYS[1]'s type, time left in ms (PTTL: -1 no expiry, -2 missing) and size
-- (bytes of a string, else the number of fields, elements, members or entries), as {type, pttl, size}.
local t = redis.call('TYPE', KEYS[1])['ok']
local size = 0
if t == 'string' then size = redis.call('STRLEN', KEYS[1])
elseif t == 'hash' then size = redis.call('HLEN', KEYS[1])
elseif t == 'list' then size = redis.call('LLEN', KEYS[1])
elseif t == 'set' then size = redis.call('SCARD', KEYS[1])
elseif t == 'zset' then size = redis.call('ZCARD', KEYS[1])
elseif t == 'stream' then size = redis.call('XLEN', KEYS[1])
end
return {t, redis.call('PTTL', KEYS[1]), size}
