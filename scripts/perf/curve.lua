-- wrk script for scripts/perf/curve.sh's paced level: the leads of submit.lua, sent at a target rate instead of as
-- fast as the connections allow. wrk has no rate option (wrk2 has, but Debian does not package it), so this script
-- paces through wrk's delay() hook, which wrk calls on a connection before each of its requests.
--
-- Each thread owns an even share of the rate and hands out send times one interval apart: every delay() takes the next
-- free slot, so however many connections are waiting, the thread sends at most RATE / THREADS requests a second. A
-- thread that falls behind (every connection busy) does not burst to catch up: the rate it reaches is what wrk reports.
-- Latency is timed by wrk from each request's own send time, so a late send is not counted against the server
-- (wrk2's corrected latency would count it).
--
-- Environment: RATE (requests/s over all threads, required), THREADS (wrk's -t, default 1), and submit.lua's.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "submit.lua")

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } curve_timespec;
  int clock_gettime(int clock_id, curve_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("curve_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("RATE") or "")
if rate == nil or rate <= 0 then
  error("curve.lua: set RATE to the target requests/s (e.g. RATE=2500)")
end
local thread_count = tonumber(os.getenv("THREADS") or "1")
local interval_ms = 1000 * thread_count / rate
local next_send = nil

function delay()
  local now = now_ms()
  if next_send == nil or next_send < now then
    next_send = now
  end
  local wait = next_send - now
  next_send = next_send + interval_ms
  return math.floor(wait + 0.5)
end
