-- replaceIfUnchanged: KEYS[1] is replaced only when it is still of type ARGV[2] with the fingerprint
-- ARGV[1] (collection.lua's, as inspectKey reports it, for at most ARGV[3] items); its TTL is kept. The fingerprint
-- of forty zeros stands for a key that does not exist: the key is then created, without a TTL, only if
-- it does not exist. A string gets the stored bytes ARGV[4]; a hash the fields and values ARGV[4],
-- ARGV[5], ...; a list the elements and a set the members ARGV[4..]; a sorted set the scores and members
-- ARGV[4], ARGV[5], ... An empty collection leaves no key. Replies 1 when written, 0 when anything
-- changed (nothing is written).
--#include collection
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
  if collection_size(key, t) > max or collection_fingerprint(key, t) ~= ARGV[1] then
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
