-- wrk script: POSTs the file named by the environment variable BODY with the Content-Type CONTENT_TYPE to the URL's
-- path, and counts answers by status so that the run can show "zero errors" (wrk's own summary counts only
-- non-2xx/3xx and socket errors).
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"

local threads = {}
function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, t in ipairs(threads) do
      local s = t:get("statuses")
      for status, n in pairs(s) do total[status] = (total[status] or 0) + n end
   end
   local parts = {}
   for status, n in pairs(total) do table.insert(parts, status .. "=" .. n) end
   table.sort(parts)
   io.write(string.format("statuses: %s\n", table.concat(parts, " ")))
   io.write(string.format("p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", latency:percentile(50) / 1000,
                          latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
   io.write(string.format("requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
                          summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
                          summary.errors.status, summary.errors.timeout))
end
