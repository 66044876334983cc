-- replaceIfUnchanged: KEYS[1] is replaced only when it is still of type ARGV[2] with the fingerprint
-- ARGV[1] (as key_inspect.lua computes it, for at most ARGV[3] items); its TTL is kept. The fingerprint
-- of forty zeros stands for a key that does not exist: the key is then created, without a TTL, only if
-- it does not exist. A string gets the stored bytes ARGV[4]; a hash the fields and values ARGV[4],
-- ARGV[5], ...; a list the elements and a set the members ARGV[4..]; a sorted set the scores and members
-- ARGV[4], ARGV[5], ... An empty collection leaves no key. Replies 1 when written, 0 when anything
-- changed (nothing is written).
local key, want, max = KEYS[1], ARGV[2], tonumber(ARGV[3])
local t = redis.call('TYPE', key)['ok']
local creating = ARGV[1] == string.rep('0', 40)
if creating then
  if t ~= 'none' then
    return 0
  end
elseif t ~= want then
  return 0
end
local pttl = -1
if not creating then
  if want == 'string' then
    if redis.sha1hex(redis.call('GET', key)) ~= ARGV[1] then
      return 0
    end
    redis.call('SET', key, ARGV[4], 'KEEPTTL')
    return 1
  end
  local size
  if t == 'hash' then size = redis.call('HLEN', key)
  elseif t == 'list' then size = redis.call('LLEN', key)
  elseif t == 'set' then size = redis.call('SCARD', key)
  else size = redis.call('ZCARD', key)
  end
  if size > max then
    return 0
  end
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
  if redis.sha1hex(table.concat(parts, '|')) ~= ARGV[1] then
    return 0
  end
  pttl = redis.call('PTTL', key)
  redis.call('DEL', key)
elseif want == 'string' then
  redis.call('SET', key, ARGV[4])
  return 1
end
local step = (want == 'hash' or want == 'zset') and 2 or 1
for i = 4, #ARGV, step do
  if want == 'hash' then redis.call('HSET', key, ARGV[i], ARGV[i + 1])
  elseif want == 'list' then redis.call('RPUSH', key, ARGV[i])
  elseif want == 'set' then redis.call('SADD', key, ARGV[i])
  else redis.call('ZADD', key, ARGV[i], ARGV[i + 1])
  end
end
if pttl > 0 and redis.call('EXISTS', key) == 1 then
  redis.call('PEXPIRE', key, pttl)
end
return 1
