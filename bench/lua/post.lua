-- wrk script of bench/run: POSTs the JSON body in $BENCH_BODY_FILE (with
-- $BENCH_TOKEN as bearer, if set); a response fails when its status is not
-- 200 or its body contains "errors"; so does a socket error or a timeout (wrk
-- --timeout, counted apart as well). done() prints one parseable line.
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

local threads = {}
function setup(thread) table.insert(threads, thread) end

failures = 0
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.timeout
  for _, t in ipairs(threads) do failed = failed + t:get("failures") end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f failures=%d timeouts=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed, summary.errors.timeout, summary.requests))
end
