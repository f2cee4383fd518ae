-- wrk's own error count only covers statuses above 399; the harness needs every
-- answer outside 2xx. Each wrk thread counts in its own Lua state, and done()
-- sums them and prints one JSON line for benchmarks/load.py to parse.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local non_2xx_total = 0
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + thread:get("non_2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d}, "non_2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
    non_2xx_total))
end
