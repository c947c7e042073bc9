-- wrk script: POSTs one GraphQL request, the JSON file named after "--", over and over, and
-- counts answers that carry GraphQL errors (a 200 with "errors" would otherwise pass as a
-- success). At the end it prints the lines that .ci/peer/run and .ci/scale/run read:
--   PEER requests=N seconds=S p50_us=P p99_us=Q non2xx=A socket_errors=B graphql_errors=C
--   PEER_ERROR <status and start of the first failed answer>   (only when there was one)

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  f:close()
  graphql_errors = 0
  first_error = ""
end

function response(status, headers, body)
  local failed = status ~= 200 -- wrk counts these itself
  if not failed and string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
    failed = true
  end
  if failed and first_error == "" then
    first_error = status .. " " .. string.sub(body, 1, 300)
  end
end

function done(summary, latency, requests)
  local gql, first = 0, ""
  for _, t in ipairs(threads) do
    gql = gql + t:get("graphql_errors")
    if first == "" then
      first = t:get("first_error")
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "PEER requests=%d seconds=%.3f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d graphql_errors=%d\n",
    summary.requests, seconds,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout, gql))
  if first ~= "" then
    io.write("PEER_ERROR " .. string.gsub(first, "\n", " ") .. "\n")
  end
end
