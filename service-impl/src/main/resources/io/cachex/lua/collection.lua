-- Included (--#include collection) by the scripts that must agree on a collection's fingerprint.
-- collection_size: the number of items of a hash, list, set, sorted set or stream (0 for another type).
-- collection_fingerprint: the SHA-1 of a hash, list, set or sorted set's whole content, its type first,
-- then fields and members in byte order (a list in its order), each item framed by its length.
local function collection_size(key, t)
  if t == 'hash' then return redis.call('HLEN', key)
  elseif t == 'list' then return redis.call('LLEN', key)
  elseif t == 'set' then return redis.call('SCARD', key)
  elseif t == 'zset' then return redis.call('ZCARD', key)
  elseif t == 'stream' then return redis.call('XLEN', key)
  end
  return 0
end

local function collection_fingerprint(key, t)
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
  return redis.sha1hex(table.concat(parts, '|'))
end
