#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make slides (issue 12): every deck builds as offline reveal.js HTML and as a
# beamer PDF; no overfull box beyond OVERFULL_TOL pt and no text cut off at
# a PDF page's edge; in headless Chromium every slide fits its frame, every
# image loads, every slide has speaker notes and nothing is loaded over
# http(s); every generated figure exists and is non-empty; each deck names
# its lab.  A deliberately bad deck must fail the same checks, so they are
# known to bite.  Charts that need make bench results are skipped, visibly,
# when bench/results has none.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/lib/tap.sh

OVERFULL_TOL=${OVERFULL_TOL:-5}
res=build/test-results
mkdir -p "$res"
decks=()
for d in slides/decks/*.md; do
	n=${d##*/}
	decks+=("${n%.md}")
done
is "${#decks[@]}" 6 "six decks in slides/decks"

# Prerequisites: make deps installs all of them.
missing=
for t in pandoc pdflatex pdftotext pdfinfo dot gnuplot jq node npm; do
	command -v $t >/dev/null || missing+=" $t"
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=" chromium"
[ -x build/bin/diotrace ] || missing+=" build/bin/diotrace(make)"
ok "$([ -z "$missing" ] && echo 0 || echo 1)" "slide tools present${missing:+ (missing:$missing: run make deps and make)}"
[ -z "$missing" ] || { done_testing; exit; }

# --- build every deck from scratch --------------------------------------------
# The charts need make bench's JSON.  Without a bench/results of its own,
# a clone uses the QUICK run that tests/host/bench.t made in this test run
# (tests/run starts slides.t last, so it has normally finished by now).
bench=bench/results
# bench.t makes $res/bench when it starts and its report minutes later
# (the Markdown last); with T= or one lane this file may still overtake
# it, so wait for the report instead of racing it.
if ! ls bench/results/*.json >/dev/null 2>&1 && [ -d "$res/bench" ]; then
	for _ in $(seq 600); do
		ls "$res"/bench/*.md >/dev/null 2>&1 && break
		sleep 1
	done
fi
if ! ls bench/results/*.json >/dev/null 2>&1 && ls "$res"/bench/*.json >/dev/null 2>&1; then
	bench=$res/bench
fi
t0=$(date +%s)
rm -rf slides/out
BENCH_RESULTS=$bench make --no-print-directory -j"$(nproc)" slides >"$res/slides-build.log" 2>&1
rc=$?
ok $rc "make slides builds from scratch ($(($(date +%s) - t0)) s)"
[ $rc = 0 ] || tail -n 20 "$res/slides-build.log" | diag_stdin

for d in "${decks[@]}"; do
	h=slides/out/html/$d.html p=slides/out/pdf/$d.pdf
	ok "$([ -s "$h" ] && grep -q 'Reveal.initialize' "$h" && echo 0 || echo 1)" "$d: reveal.js HTML built"
	pages=$(pdfinfo "$p" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	ok "$([ "${pages:-0}" -gt 1 ] && echo 0 || echo 1)" "$d: beamer PDF built (${pages:-0} pages)"
done

# --- figures --------------------------------------------------------------------
while read -r name _; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	bad=
	for e in svg pdf txt; do
		[ -s "slides/out/fig/$name.$e" ] || bad+=" $name.$e"
	done
	ok "$([ -z "$bad" ] && echo 0 || echo 1)" "figure $name: call graph (SVG, PDF) and tree text from a recording${bad:+ (missing or empty:$bad)}"
done <slides/figures.def
for e in svg pdf; do
	check "latency chart ($e) from the recordings' --summary" test -s "slides/out/fig/latency.$e"
done
if ls "$bench"/*.json >/dev/null 2>&1; then
	for c in bench-dtape bench-stream; do
		for e in svg pdf; do
			check "$c chart ($e) from $(cat slides/out/fig/BENCH 2>/dev/null)" test -s "slides/out/fig/$c.$e"
		done
	done
else
	skip "no bench/results/*.json, and tests/host/bench.t has not run: run make bench, then make slides" \
		"throughput and streaming charts from make bench"
fi

# --- PDF: overfull boxes and text cut off at the page edge ------------------------
# "Overfull \hbox (12.3pt too wide)" / "Overfull \vbox (4.5pt too high)"
overfull() {
	grep -o 'Overfull \\[hv]box ([0-9.]*pt too [a-z]*)' "$1" |
		awk -v tol="$OVERFULL_TOL" '{ v = $3; sub(/^\(/, "", v); sub(/pt$/, "", v); if (v + 0 > tol) print }'
}
# A word whose box reaches the page's right edge was cut off there (verbatim
# lines never report an overfull box).
cut_off() {
	pdftotext -bbox "$1" - 2>/dev/null | awk '
		/<page / { pg++; match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0 }
		/<word / { match($0, /xMax="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
			if (x > w - 1) { t = $0; sub(/.*">/, "", t); sub(/<.*/, "", t); printf "page %d: %s\n", pg, substr(t, 1, 40) } }'
}
for d in "${decks[@]}"; do
	o=$(overfull "slides/out/pdf/$d.log")
	ok "$([ -z "$o" ] && echo 0 || echo 1)" "$d: no overfull box over ${OVERFULL_TOL}pt in the LaTeX log"
	[ -z "$o" ] || printf '%s\n' "$o" | diag_stdin
	c=$(cut_off "slides/out/pdf/$d.pdf")
	ok "$([ -z "$c" ] && echo 0 || echo 1)" "$d: no text cut off at a PDF page's edge"
	[ -z "$c" ] || printf '%s\n' "$c" | head -n 5 | diag_stdin
done

# --- HTML: offline, and every slide fits, in headless Chromium ------------------------
for d in "${decks[@]}"; do
	h=slides/out/html/$d.html
	r=$(grep -oiE '(src|href)="https?://[^"]*"|url\(["'\'']?https?://[^)]*\)|@import +["'\'']https?://[^"'\'']*' "$h" | head -n 3)
	ok "$([ -z "$r" ] && echo 0 || echo 1)" "$d: no http(s) URL in a src, href, url() or @import"
	[ -z "$r" ] || printf '%s\n' "$r" | diag_stdin
	grep -qE "labs/0[0-6]" "slides/decks/$d.md"
	ok $? "$d: points to its lab"
done
t0=$(date +%s)
node slides/tools/check-html.js slides/out/html/*.html >"$res/slides-chromium.log" 2>&1
rc=$?
ok "$([ $rc -le 1 ] && echo 0 || echo 1)" "headless Chromium ran the slide checks ($(($(date +%s) - t0)) s)"
[ $rc -le 1 ] || tail -n 5 "$res/slides-chromium.log" | diag_stdin
for d in "${decks[@]}"; do
	n=$(awk -v d="$d" '$1 == "DECK" && $2 == d { sub(/slides=/, "", $3); print $3 }' "$res/slides-chromium.log")
	ok "$([ "${n:-0}" -gt 1 ] && echo 0 || echo 1)" "$d: Chromium rendered ${n:-0} slides"
	for kind in fit image notes net; do
		f=$(awk -v d="$d" -v k="$kind" '$1 == "FAIL" && $2 == d && ($3 == k || $3 == k ":")' "$res/slides-chromium.log")
		what=$(case $kind in fit) echo "every slide fits its frame" ;; image) echo "every image loads" ;;
			notes) echo "every slide has speaker notes" ;; net) echo "nothing loaded over http(s)" ;; esac)
		ok "$([ -z "$f" ] && echo 0 || echo 1)" "$d: $what"
		[ -z "$f" ] || printf '%s\n' "$f" | head -n 5 | diag_stdin
	done
done

# --- the checks bite: a bad deck fails each of them ------------------------------------
bad=$res/slides-bad
rm -rf "$bad"
make --no-print-directory SLIDES_SRC=tests/host/data/slides-bad SLIDES_OUT="$bad" slides >"$res/slides-bad-build.log" 2>&1
ok $? "the bad deck builds"
[ -n "$(overfull "$bad/pdf/bad.log")" ]
ok $? "its overlong slide gives an overfull box in LaTeX"
[ -n "$(cut_off "$bad/pdf/bad.pdf")" ]
ok $? "its overwide code is found cut off at the PDF page's edge"
node slides/tools/check-html.js "$bad/html/bad.html" >"$res/slides-bad-chromium.log" 2>&1
is "$?" 1 "Chromium check fails the bad deck"
for kind in fit image notes net; do
	grep -qE "^FAIL bad $kind( |:)" "$res/slides-bad-chromium.log"
	ok $? "…with a failure of kind $kind"
done
grep -q '^FAIL bad fit slide 3 ' "$res/slides-bad-chromium.log"
ok $? "…including the code line wider than its slide"

# A marker that is no longer in the source stops the build.
out=$(printf '```{.c include="module/dtape_dio.c" start="no such marker in dtape"}\n```\n' |
	DIOLAB_ROOT=$top pandoc --lua-filter=slides/filters/include-code.lua -t native 2>&1)
rc=$?
ok "$([ $rc != 0 ] && [[ "$out" == *"start marker not found"* ]] && echo 0 || echo 1)" "a stale code marker stops the build with a clear error"
done_testing
