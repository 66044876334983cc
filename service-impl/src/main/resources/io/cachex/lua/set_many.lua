-- setMany with an expiry in one command: SET KEYS[i] ARGV[i] PX ARGV[#KEYS + 1] for every key.
-- One script call instead of one SET per key: a single reply to wait for, a single command to parse.
local ms = ARGV[#KEYS + 1]
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i], 'PX', ms)
end
return #KEYS
