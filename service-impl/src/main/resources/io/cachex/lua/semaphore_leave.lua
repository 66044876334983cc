-- A waiter gives up (its wait is over): KEYS[1] the queue, KEYS[2] the waiters' liveness; ARGV[1] member,
-- ARGV[2] wake-up channel, ARGV[3] the key waiters wait on. The next in line is woken: it may be first now.
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
