-- SPDX-License-Identifier: GPL-2.0
-- Code blocks in the beamer decks.  pdflatex has no glyphs for diotrace's
-- box-drawing tree, so it is drawn in ASCII (the HTML keeps the original
-- characters), and a block of class "small" (a whole trace tree) is set
-- in \tiny instead of the decks' \scriptsize.
local map = { ["├"] = "|", ["└"] = "`", ["─"] = "-", ["│"] = "|",
  ["×"] = "x", ["→"] = "->", ["…"] = "..." }

function CodeBlock(el)
  if not (FORMAT:match("latex") or FORMAT:match("beamer")) then
    return nil
  end
  for k, v in pairs(map) do
    el.text = el.text:gsub(k, v)
  end
  if el.classes:includes("small") then
    return { pandoc.RawBlock("latex", "\\fvset{fontsize=\\fontsize{6}{7}\\selectfont}"), el,
      pandoc.RawBlock("latex", "\\fvset{fontsize=\\scriptsize}") }
  end
  return el
end
