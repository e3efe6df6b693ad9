-- wrk script: a flood of wrong sign-ins on POST /admin/connexion, each for a random unknown address, with the
-- antiforgery cookie and field the environment gives (one pair serves any number of posts). FLOOD_SPREAD=1 gives
-- each request a random X-Forwarded-For (the app trusts it from loopback): many clients instead of one.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(3000 + id)
  cookie = os.getenv("FLOOD_COOKIE")
  field = os.getenv("FLOOD_FIELD")
  spread = os.getenv("FLOOD_SPREAD") == "1"
  statuses = {}
end

function request()
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }
  if spread then
    headers["X-Forwarded-For"] = string.format("198.51.%d.%d", math.random(0, 255), math.random(1, 254))
  end
  local body = string.format("__RequestVerificationToken=%s&Email=inconnu%d%%40exemple.fr&Password=mauvais", field, math.random(1, 1000000))
  return wrk.format("POST", "/admin/connexion", headers, body)
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
  io.write(string.format("flood statuses  %s\n", table.concat(parts, ", ")))
end
