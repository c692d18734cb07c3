# SPDX-License-Identifier: GPL-2.0
# Lab 06's data.csv, made from what the tools reported: tapeio's JSON
# lines ($t, one per run) and fio's jobs ($f, trimmed by run to one line
# per job, named MODE-SIZE-RUN).  The run and the checker both use this
# file, so a data.csv that differs from it was edited.
#   jq -n -r --slurpfile t tapeio.jsonl --slurpfile f fio.jsonl -f csv.jq
def rnd(d): . * d | round / d;
def mib: . / 1048576;
def row:
	[.target, .mode, .size, .run, .records, .bytes, (.seconds | rnd(1000000)),
	 (if .seconds > 0 then .bytes / .seconds | mib | rnd(100) else 0 end),
	 (if .bytes > 0 then .cpu * 1000000 / (.bytes | mib) | rnd(10) else 0 end)]
	| map(tostring) | join(",");
"target,mode,record_bytes,run,records,bytes,seconds,mib_per_s,cpu_us_per_mib",
(
	# tapeio's runs of one point are numbered in the order they ran
	([$t[] | {target: "dtape", mode, size: .record_size, records, bytes, seconds,
		  cpu: .cpu_seconds}]
	 | group_by([.mode, .size]) | map(to_entries | map(.value + {run: (.key + 1)})) | add // [])
	+ [$f[] | (.jobname | split("-")) as $n
	   | {target: "ext4", mode: $n[0], size: ($n[1] | tonumber), run: ($n[2] | tonumber),
	      records: .total_ios, bytes: .io_bytes, seconds: (.runtime_ms / 1000),
	      cpu: ((.usr_cpu + .sys_cpu) / 100 * .job_runtime_ms / 1000)}]
	| sort_by(.target, .mode, .size, .run)[] | row
)
