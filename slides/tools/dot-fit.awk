# SPDX-License-Identifier: GPL-2.0
# Fit one diotrace --dot call graph to a slide: top-down instead of left to
# right, long label lines wrapped at spaces (W characters), and repeated
# tracepoint notes under one parent (16 page-cache deletions) drawn once
# with a count; an argument list repeated from the caller is left out.  Run with the file named twice: awk -f dot-fit.awk F F.
function wrap(s,   out, n, i, w, line, words) {
	n = split(s, words, " "); out = ""; line = ""
	for (i = 1; i <= n; i++) {
		w = words[i]
		if (line != "" && length(line) + 1 + length(w) > W) { out = out line "\\n"; line = w }
		else line = (line == "" ? w : line " " w)
	}
	return out line
}
function first_line(lab) { sub(/\\n.*/, "", lab); return lab }
function label_of(s,   lab, post) {
	lab = s; sub(/.*label="/, "", lab)
	post = lab; sub(/^([^"\\]|\\.)*/, "", post)
	return substr(lab, 1, length(lab) - length(post))
}
# pass 1: which notes repeat under the same parent
FNR == NR {
	if ($0 ~ /shape=note/) note[$1] = first_line(label_of($0))
	if ($2 == "->" && ($3 in note)) {
		k = $1 SUBSEP note[$3]
		if (!(k in keep)) keep[k] = $3
		else drop[$3] = 1
		cnt[keep[k]]++
	}
	next
}
($1 in drop) || ($2 == "->" && ($3 in drop)) { next }
/label="/ {
	pre = $0; sub(/label=".*/, "", pre)
	lab = label_of($0)
	post = $0; sub(/.*label="/, "", post); post = substr(post, length(lab) + 1)
	n = split(lab, parts, /\\n/); lab = ""
	for (i = 1; i <= n; i++) {
		if (parts[i] ~ /^pos=.* count=.* buf=0x/) {
			if (parts[i] == args) continue
			args = parts[i]
		}
		lab = lab (lab != "" ? "\\n" : "") wrap(parts[i])
	}
	if (($1 in cnt) && cnt[$1] > 1) lab = lab "\\n(x" cnt[$1] ")"
	$0 = pre "label=\"" lab post
}
{ sub(/rankdir=LR;/, "rankdir=TB; ranksep=0.25; nodesep=0.15; edge [fontsize=12];"); print }
