-- wrk script: the questionnaire's traffic, half GET /api/questionnaire/{token}, half PUT of an answer, on random
-- links and questions. Reads the links (one token per line) and the question ids from the files the environment names.
local tokens, questions = {}, {}

local function lines(path, into)
  for line in io.lines(path) do
    if #line > 0 then into[#into + 1] = line end
  end
end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  lines(os.getenv("QUESTIONNAIRE_TOKENS"), tokens)
  lines(os.getenv("QUESTIONNAIRE_QUESTIONS"), questions)
  math.randomseed(2000 + id)
  statuses = {}
end

function request()
  local token = tokens[math.random(#tokens)]
  if math.random(2) == 1 then
    return wrk.format("GET", "/api/questionnaire/" .. token)
  end
  local question = questions[math.random(#questions)]
  local body = string.format('{"level": %d, "status": null, "comment": null}', math.random(0, 4))
  return wrk.format("PUT", "/api/questionnaire/" .. token .. "/answers/" .. question,
    { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do merged[status] = (merged[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(merged) do parts[#parts + 1] = status .. ": " .. count end
  table.sort(parts)
  io.write(string.format("statuses  %s\n", table.concat(parts, ", ")))
  io.write(string.format("questionnaire ok/s  %.0f\n", (merged[200] or 0) / (summary.duration / 1e6)))
  io.write(string.format("latency ms  p50 %.1f  p99 %.1f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
