-- getOrLease, one attempt. KEYS[1] the value key, KEYS[2] its lease key (same Cluster slot); ARGV[1] the
-- caller's token, ARGV[2] the lease length in ms; with stampede protection ARGV[3] the buffer in ms and
-- ARGV[4] this call's early-expiry threshold in ms ('' = off).
-- The lease key holds "<token>:<state>", state being the SHA1 of the value when the lease was granted
-- ('' when the key was missing), so that setLeased can tell whether someone else wrote meanwhile.
-- Returns {'hit', value}, {'lease'} (missing), {'lease', value} (a refresh before expiry: the others keep
-- getting the value) or {'busy', ms left on the holder's lease}.
local v = redis.call('GET', KEYS[1])
if v then
  if ARGV[3] ~= '' then
    local pttl = redis.call('PTTL', KEYS[1])
    if pttl > 0 and pttl - tonumber(ARGV[3]) <= tonumber(ARGV[4])
        and redis.call('SET', KEYS[2], ARGV[1] .. ':' .. redis.sha1hex(v), 'NX', 'PX', ARGV[2]) then
      return {'lease', v}
    end
  end
  return {'hit', v}
end
if redis.call('SET', KEYS[2], ARGV[1] .. ':', 'NX', 'PX', ARGV[2]) then
  return {'lease'}
end
return {'busy', redis.call('PTTL', KEYS[2])}
