-- SPDX-License-Identifier: GPL-2.0
-- Code on slides comes from the kit's own files, so a slide cannot drift
-- from the code it shows:
--   ```{.c include="module/dtape_dio.c" start="int dtape_pin_user(" end="^}"}```
--   ```{.text include="slides/out/fig/vfat-6.12-direct.txt" lines="1-12"}```
-- start/end select the first line containing start and the first line at or
-- after it containing end (a leading ^ makes it a Lua pattern).  A marker
-- that is no longer in the file stops the build: the slide needs fixing.
-- Paths are relative to DIOLAB_ROOT (the top of the kit).

local root = os.getenv("DIOLAB_ROOT") or "."

local function matches(line, pat)
  if pat:sub(1, 1) == "^" then
    return line:find(pat) ~= nil
  end
  return line:find(pat, 1, true) ~= nil
end

local function fail(msg)
  io.stderr:write("include-code: " .. msg .. "\n")
  os.exit(1)
end

-- Tabs to spaces at the kernel's 8-column stops, so aligned comments stay
-- aligned.
local function expand_tabs(l)
  local out, col = {}, 0
  for ch in l:gmatch(".") do
    if ch == "\t" then
      local n = 8 - col % 8
      out[#out + 1] = string.rep(" ", n)
      col = col + n
    else
      out[#out + 1] = ch
      -- UTF-8 continuation bytes take no column
      if ch:byte() < 0x80 or ch:byte() >= 0xC0 then col = col + 1 end
    end
  end
  return table.concat(out)
end

local function read_lines(path)
  local f = io.open(root .. "/" .. path, "r")
  if not f then
    fail("cannot read " .. path .. " (for a generated file: make slides builds it first)")
  end
  local t = {}
  for l in f:lines() do
    t[#t + 1] = expand_tabs(l)
  end
  f:close()
  return t
end

function CodeBlock(el)
  local path = el.attributes["include"]
  if not path then
    return nil
  end
  local lines = read_lines(path)
  local first, last = 1, #lines
  local range = el.attributes["lines"]
  local s, e = el.attributes["start"], el.attributes["end"]
  if range then
    local a, b = range:match("^(%d+)%-(%d+)$")
    if not a then
      fail(path .. ": lines=\"" .. range .. "\" is not FIRST-LAST")
    end
    first, last = tonumber(a), tonumber(b)
    if last > #lines then
      fail(path .. " has " .. #lines .. " lines, the slide asks for " .. range)
    end
  end
  if s then
    first = nil
    for i = 1, #lines do
      if matches(lines[i], s) then first = i break end
    end
    if not first then fail(path .. ": start marker not found: " .. s) end
    last = #lines
  end
  if e then
    last = nil
    for i = first, #lines do
      if matches(lines[i], e) then last = i break end
    end
    if not last then fail(path .. ": end marker not found after line " .. first .. ": " .. e) end
  end
  -- skip= drops lines matching a plain string (e.g. a long comment block)
  local drop = el.attributes["skip"]
  local out = {}
  for i = first, last do
    if not (drop and lines[i]:find(drop, 1, true)) then
      out[#out + 1] = lines[i]
    end
  end
  -- a function body excerpt starts at its own left margin
  local indent
  for _, l in ipairs(out) do
    if l:match("%S") then
      local w = #l:match("^ *")
      if not indent or w < indent then indent = w end
    end
  end
  if indent and indent > 0 then
    for i, l in ipairs(out) do out[i] = l:sub(indent + 1) end
  end
  el.text = table.concat(out, "\n")
  for _, k in ipairs({ "include", "lines", "start", "end", "skip" }) do
    el.attributes[k] = nil
  end
  return el
end

-- ::: {.if-exists file="slides/out/fig/bench-dtape.svg"} shows its content
-- only when that file exists (a chart from make bench results), and
-- ::: {.if-missing file="..."} only when it does not.
function Div(el)
  local want
  if el.classes:includes("if-exists") then
    want = true
  elseif el.classes:includes("if-missing") then
    want = false
  else
    return nil
  end
  local f = io.open(root .. "/" .. el.attributes["file"], "r")
  if f then f:close() end
  if (f ~= nil) == want then
    return el.content
  end
  return {}
end
