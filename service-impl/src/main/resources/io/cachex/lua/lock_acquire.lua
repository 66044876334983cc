-- KEYS[1] lock key, KEYS[2] fencing counter (same Cluster slot); ARGV[1] token, ARGV[2] lease ms
-- Returns the new fencing token, or nil when the lock is held.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false
