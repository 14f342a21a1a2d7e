-- wrk script of bench/run's ballot rounds: each request is the castBallot of
-- $BENCH_QUERY_FILE (bench/queries/cast_ballot.graphql) by the next owner's
-- token of $BENCH_TOKENS_FILE (lines "token<TAB>vote id"), rotating through
-- them; each pass over the tokens flips the choice (AGREE, DISAGREE, AGREE,
-- ...), so every owner keeps changing their ballot.
--
-- A response fails when its status is not 200, it has "errors", or its
-- userErrors are not empty; so does a socket error or a timeout. A response
-- with the ballot is an acknowledged ballot: its ballot id and voter id are
-- appended to "$BENCH_ACK_PREFIX.<thread>", one line each, for bench/run's
-- check that none was lost or doubled.
--
-- No ballot may be left in flight when wrk stops (it would be stored
-- without being acknowledged): requests are sent for $BENCH_WINDOW seconds
-- only, then each connection waits (delay) after its last answer, and
-- wrk's own -d is longer by the drain time (longer than wrk's --timeout).
-- So wrk's own req/s, over its whole -d, means nothing here: req/s is the
-- answers over the time from the first request to the last answer, by this
-- script's own clock.
local ffi_ok, ffi = pcall(require, "ffi")
local now
if ffi_ok then
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clk_id, bench_timespec *tp);
  ]]
  local ts = ffi.new("bench_timespec")
  now = function()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
  end
else
  now = os.time
end

local MUTATION
do
  local f = assert(io.open(os.getenv("BENCH_QUERY_FILE"), "rb"))
  MUTATION = f:read("*a")
  f:close()
end

local function json_string(s) return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"' end

local threads = {}
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

local requests = {} -- per token: { headers, { agree body, disagree body } }
local n = 0
local counter = 0
local deadline
local window = tonumber(os.getenv("BENCH_WINDOW") or "")
local ack_file
failures = 0
acked = 0
responses = 0
first_at = 0
last_at = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
    local token, vote = line:match("^(%S+)\t(%S+)")
    if token then
      local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
      local bodies = {}
      for i, choice in ipairs({ "AGREE", "DISAGREE" }) do
        bodies[i] = '{"query":' .. json_string(MUTATION) .. ',"variables":{"input":{"voteId":'
          .. json_string(vote) .. ',"choice":"' .. choice .. '"}}}'
      end
      table.insert(requests, { headers, bodies })
    end
  end
  n = #requests
  assert(n > 0, "no tokens in BENCH_TOKENS_FILE")
  assert(window, "BENCH_WINDOW is needed")
  -- Threads start at different places in the rotation (with two, half-way).
  counter = math.floor((id - 1) * n / 2)
  ack_file = assert(io.open(os.getenv("BENCH_ACK_PREFIX") .. "." .. id, "a"))
  ack_file:setvbuf("line")
  deadline = now() + window
end

function delay()
  local t = now()
  if first_at == 0 then first_at = t end
  if t >= deadline then return 3600 * 1000 end
  return 0
end

function request()
  local r = requests[counter % n + 1]
  local choice = math.floor(counter / n) % 2 + 1
  counter = counter + 1
  return wrk.format("POST", nil, r[1], r[2][choice])
end

function response(status, headers, body)
  responses = responses + 1
  last_at = now()
  local ballot, voter
  if status == 200 and not string.find(body, '"errors"', 1, true)
    and string.find(body, '"userErrors":[]', 1, true) then
    ballot = body:match('"ballot":{"id":"([^"]+)"')
    voter = body:match('"voter":{"id":"([^"]+)"')
  end
  if ballot and voter then
    acked = acked + 1
    ack_file:write(ballot, " ", voter, "\n")
  else
    failures = failures + 1
  end
end

function done(summary, latency)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.timeout
  local count, ack, first, last = 0, 0, math.huge, 0
  for _, t in ipairs(threads) do
    failed = failed + t:get("failures")
    count = count + t:get("responses")
    ack = ack + t:get("acked")
    local f, l = t:get("first_at"), t:get("last_at")
    if f > 0 and f < first then first = f end
    if l > last then last = l end
  end
  local rps = 0
  if last > first then rps = count / (last - first) end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f failures=%d timeouts=%d requests=%d acked=%d\n",
    rps, latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed,
    summary.errors.timeout, count, ack))
end
