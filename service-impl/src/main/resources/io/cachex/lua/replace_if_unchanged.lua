-- replaceIfUnchanged: KEYS[1] is set to ARGV[2] only when it is a string whose stored bytes still have
-- the SHA-1 ARGV[1]; the TTL is kept (KEEPTTL). Replies 1 when replaced, 0 when anything changed.
if redis.call('TYPE', KEYS[1])['ok'] ~= 'string' then
  return 0
end
if redis.sha1hex(redis.call('GET', KEYS[1])) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
