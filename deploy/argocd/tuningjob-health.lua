-- Argo CD health check for hypertune.dev/TuningJob.
-- Healthy once Complete; Degraded when Failed or Invalid; Suspended while
-- spec.suspend holds it; Progressing otherwise, including while the operator
-- has not yet seen the latest spec (observedGeneration behind generation).
local hs = {}

local function condition(status, kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind and c.status == "True" then
      return c
    end
  end
  return nil
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local invalid = condition(status, "Invalid")
local failed = condition(status, "Failed")
local complete = condition(status, "Complete")
local suspended = condition(status, "Suspended")

if invalid ~= nil then
  hs.status = "Degraded"
  hs.message = invalid.message or "Invalid spec"
elseif failed ~= nil then
  hs.status = "Degraded"
  hs.message = failed.message or "Failed"
elseif complete ~= nil then
  hs.status = "Healthy"
  hs.message = complete.message or "Complete"
elseif suspended ~= nil then
  hs.status = "Suspended"
  hs.message = suspended.message or "Suspended"
else
  hs.status = "Progressing"
  hs.message = status.message or status.phase or "Running"
end
return hs
