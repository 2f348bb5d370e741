-- wrk script for scripts/perf/load-test.sh: POSTs one JSON lead per request to the load-test flow's source `acme`.
-- Each request is a different lead (the counter goes into the phone's last four digits and the email's user), with a
-- valid US phone (512-789-xxxx, never on scripts/perf/lists/do-not-call.txt) and a lead the flow accepts and delivers.
-- Answers other than 201 are counted per status and printed at the end: an error must not pass for throughput.
--
-- Environment: PFLOW_API_KEY (default: the key in scripts/perf/flows/keys/load.key).

local api_key = os.getenv("PFLOW_API_KEY") or "load-test-key-not-a-secret"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Globals, not locals: done() reads them from each thread with thread:get().
counter = 0
errors = 0
statuses = {}
first_error = nil

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Api-Key"] = api_key
end

local template = '{"first_name":"Ada","last_name":"Lovelace","Email":"ada.%d.%d@example.com","Phone":"(512) 789-%04d",'
  .. '"state":"TX","Zip":"78704","dob":"1985-04-02","vehicle_year":2019,"insured":"yes"}'

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format(template, id, counter, counter % 10000))
end

function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
    statuses[status] = (statuses[status] or 0) + 1
    if first_error == nil then
      first_error = status .. " " .. tostring(body)
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  local by_status = {}
  local sample = nil
  for _, thread in ipairs(threads) do
    total = total + thread:get("errors")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
    sample = sample or thread:get("first_error")
  end
  io.write(string.format("non-201 answers: %d of %d requests\n", total, summary.requests))
  for status, count in pairs(by_status) do
    io.write(string.format("  HTTP %s: %d\n", tostring(status), count))
  end
  if sample ~= nil then
    io.write("  first: " .. string.sub(sample, 1, 300) .. "\n")
  end
  io.write(string.format("latency percentiles (ms): p50 %.2f  p75 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(75) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
