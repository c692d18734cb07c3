# SPDX-License-Identifier: GPL-2.0
# Pages pinned with FOLL_PIN and not yet released, machine-wide, from
# /proc/vmstat: for the coding labs' runs and the VM tests. Source it.
#
# The node counters fold per-CPU deltas lazily, so they are folded first
# (stat_refresh), and both are taken from one read(): /proc/vmstat makes a
# fresh snapshot at each read call.
#
# On 6.12 the value also moves under every read() from the 9p mounts the
# lab VM runs from, a shell reading its own script included: the reader's
# buffer is pinned for the read (measured: -5 to +37 while dd read
# /usr/bin/bash, back to the base when it ended; 6.1 takes no pins there).
# Those pins go; a pin a driver leaks stays. So a base is a value seen twice
# running, and a check waits a few seconds for the base to come back.
#
# Under TCG each process started costs 50-150 ms, so this starts one (dd)
# a read and parses in bash, and gives up after a time, not a count.

# pin_imbalance: nr_foll_pin_acquired - nr_foll_pin_released, now.
pin_imbalance() {
	local s a r
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	s=$(dd if=/proc/vmstat bs=1M count=1 status=none)
	a=${s#*$'\n'nr_foll_pin_acquired } r=${s#*$'\n'nr_foll_pin_released }
	echo $((${a%%$'\n'*} - ${r%%$'\n'*}))
}

# pin_imbalance_poll [WANT]: pin_imbalance, read every 100 ms until it is
# WANT or, without WANT, the same twice running; after 5 s, the last value.
pin_imbalance_poll() {
	local want=${1:-} last= now end=$((${EPOCHREALTIME/./} + 5000000))
	while now=$(pin_imbalance); do
		{ [ "$now" = "${want:-$last}" ] || [ "${EPOCHREALTIME/./}" -ge "$end" ]; } && break
		last=$now
		sleep 0.1
	done
	echo "$now"
}
