-- KEYS[1] lock key; ARGV[1] token, ARGV[2] ms, ARGV[3] '1' = replace the remaining time, else add to it
-- Returns the new remaining time in ms, or -1 when the token does not own the lock.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local ms = tonumber(ARGV[2])
if ARGV[3] ~= '1' then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then
    ms = ms + ttl
  end
end
redis.call('PEXPIRE', KEYS[1], ms)
return ms
