-- inspectKey: KEYS[1] read in one step, {type, pttl, size, fingerprint, value}. A string's fingerprint is
-- the SHA-1 of its stored bytes and value those bytes; a hash, list, set or sorted set of at most ARGV[1]
-- items has a fingerprint of its whole content (fields and members in byte order, lengths framed) and no
-- value; a larger one, or a stream, has neither. A missing key replies {'none', -2, 0, false, false}.
local key, max = KEYS[1], tonumber(ARGV[1])
local t = redis.call('TYPE', key)['ok']
local pttl = redis.call('PTTL', key)
if t == 'string' then
  local v = redis.call('GET', key)
  return {t, pttl, string.len(v), redis.sha1hex(v), v}
end
local size = 0
if t == 'hash' then size = redis.call('HLEN', key)
elseif t == 'list' then size = redis.call('LLEN', key)
elseif t == 'set' then size = redis.call('SCARD', key)
elseif t == 'zset' then size = redis.call('ZCARD', key)
elseif t == 'stream' then size = redis.call('XLEN', key)
end
local fingerprint = false
if size <= max and t ~= 'stream' and t ~= 'none' then
  local parts = {t}
  local items
  if t == 'hash' then
    local flat, entries = redis.call('HGETALL', key), {}
    for i = 1, #flat, 2 do entries[#entries + 1] = {flat[i], flat[i + 1]} end
    table.sort(entries, function(a, b) return a[1] < b[1] end)
    items = {}
    for _, e in ipairs(entries) do items[#items + 1] = e[1]; items[#items + 1] = e[2] end
  elseif t == 'list' then items = redis.call('LRANGE', key, 0, -1)
  elseif t == 'set' then items = redis.call('SMEMBERS', key); table.sort(items)
  else items = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  end
  for _, v in ipairs(items) do parts[#parts + 1] = #v .. ':' .. v end
  fingerprint = redis.sha1hex(table.concat(parts, '|'))
end
return {t, pttl, size, fingerprint, false}
