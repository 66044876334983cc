-- heldLeases, locks: KEYS[1] the lock key, KEYS[2] its fencing counter (one slot). Replies {pttl, fence}
-- while the lock is held (the counter holds the fencing token of the latest lease), else {-2, false}.
-- The lock's token (its owner's proof) is never read out.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {-2, false}
end
return {redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[2])}
