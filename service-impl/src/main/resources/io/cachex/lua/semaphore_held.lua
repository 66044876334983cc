-- heldLeases, semaphores: KEYS[1] the claims (member "<weight>:<token>", score = expiry, epoch ms).
-- Replies {weight1, ms left 1, weight2, ms left 2, ...} of the claims that have not run out, by the
-- server's clock; never the tokens.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. string.format('%.0f', now), '+inf', 'WITHSCORES')
local out = {}
for i = 1, #live, 2 do
  out[#out + 1] = tonumber(string.match(live[i], '^(%d+):'))
  out[#out + 1] = math.floor(tonumber(live[i + 1]) - now)
end
return out
