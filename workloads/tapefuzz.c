// SPDX-License-Identifier: GPL-2.0
/*
 * tapefuzz: random and hostile calls against dtape from several processes
 * and threads at once, with the driver's invariants checked while it runs
 * and at the end. Run as root in the lab VM (make stress).
 *
 * Drive 0 is the model drive: one process checks every record on it
 * against a shadow tape (lib/fuzz_model.c). The drives after it, up to
 * the last, are chaos drives (lib/fuzz_chaos.c). The last drive is held
 * open all run, so every rmmod attempt must fail.
 *
 * The seed decides every call each worker makes: call N of worker W draws
 * its numbers from (seed, W, N) alone. With one worker and --calls, a run
 * repeats exactly; with several, the kernel interleaves them differently
 * each time, and the seed still gives each worker the same calls to try.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/devstat.h"
#include "lib/fuzz.h"
#include "lib/fuzz_chaos.h"
#include "lib/fuzz_model.h"
#include "lib/numarg.h"

#define PROG "tapefuzz"
#define MAX_WORKERS 65
#define STOP_GRACE_S 120
#define DRAIN_S 30

struct opts {
	uint64_t seconds;
	uint64_t calls;
	uint64_t records;
	uint64_t seed;
	uint64_t procs;
	uint64_t threads;
	uint64_t model;
	const char *log;
	bool quiet;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [OPTION...]\n"
		"Random and hostile calls against dtape from several processes and threads,\n"
		"with every record on drive 0 checked against a model of the tape, and the\n"
		"kernel log, pins and counters checked while it runs and at the end.\n"
		"Run as root, on a dtape loaded with drives=3 or more.\n\n"
		"  -s, --seconds N   run for N seconds (default 60)\n"
		"  -r, --records R   after the seconds, go on until the model has compared\n"
		"                    R records, for at most four times as long in all\n"
		"  -n, --calls N     stop each worker after N calls instead\n"
		"  -S, --seed N      the random seed (default: from the clock); printed first\n"
		"  -P, --procs N     chaos processes (default 3; 0 for none)\n"
		"  -t, --threads N   threads in each chaos process (default 3)\n"
		"  -M, --model N     1: check drive 0 against the model (default); 0: not\n"
		"  -l, --log FILE    write every call and what it returned to FILE\n"
		"  -q, --quiet       only the seed, failures and the verdict\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 every invariant held; 1 one did not (the FAIL lines say\n"
		"which); 2 bad usage, or dtape is not loaded.\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'n' },
		{ "records", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "procs", required_argument, NULL, 'P' },
		{ "threads", required_argument, NULL, 't' },
		{ "model", required_argument, NULL, 'M' },
		{ "log", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "s:n:r:S:P:t:M:l:qh", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			bad |= numarg(PROG, "--seconds", optarg, 1u << 20, &o->seconds);
			break;
		case 'n':
			bad |= numarg(PROG, "--calls", optarg, 1u << 30, &o->calls);
			break;
		case 'r':
			bad |= numarg(PROG, "--records", optarg, 1u << 30, &o->records);
			break;
		case 'S':
			bad |= numarg(PROG, "--seed", optarg, UINT64_MAX, &o->seed);
			break;
		case 'P':
			bad |= numarg(PROG, "--procs", optarg, 16, &o->procs);
			break;
		case 't':
			bad |= numarg(PROG, "--threads", optarg, 4, &o->threads);
			break;
		case 'M':
			bad |= numarg(PROG, "--model", optarg, 1, &o->model);
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (bad)
		return -1;
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!o->threads) {
		fprintf(stderr, PROG ": --threads must be at least 1\n");
		return -1;
	}
	if (o->records && (o->calls || !o->model)) {
		fprintf(stderr, PROG ": --records counts the model's records in a timed run: not with --calls or --model 0\n");
		return -1;
	}
	return 0;
}

/* --- the drives --------------------------------------------------------------- */
static int find_drives(void)
{
	long long drives;

	if (!devstat_read("/sys/module/dtape/parameters", "drives", &drives)) {
		fprintf(stderr, PROG ": dtape is not loaded; load it with at least 3 drives:\n"
				"  insmod build/modules/$(uname -r)/dtape.ko drives=4 capacity_mb=16\n");
		return -1;
	}
	if (drives < 3) {
		fprintf(stderr, PROG ": dtape has %lld drive(s); tapefuzz needs 3 or more "
				"(rmmod dtape, then insmod dtape.ko drives=4)\n", drives);
		return -1;
	}
	return (int)drives;
}

/* --- the kernel log ------------------------------------------------------------- */
static const char *const splats[] = {
	"Oops", "WARNING:", "BUG:", "kernel BUG", "general protection", "Call Trace",
	"possible circular locking", "possible recursive locking", "lockdep",
	"inconsistent lock state", "blocked for more than", "hung_task", "soft lockup",
	"rcu_sched self-detected stall", "refcount_t:", "list_add corruption",
	"list_del corruption", "UBSAN", "KASAN", "kmemleak", "Bad page", "scheduling while atomic",
};

/* New kernel log lines since the last call; a splat among them is a failure. */
static void scan_kmsg(int fd)
{
	char rec[2048];
	ssize_t n;
	size_t i;

	if (fd < 0)
		return;
	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE)	/* overwritten before we read it */
				continue;
			break;
		}
		rec[n] = '\0';
		for (i = 0; i < sizeof(splats) / sizeof(splats[0]); i++) {
			if (strstr(rec, splats[i])) {
				char *msg = strchr(rec, ';');

				rec[strcspn(rec, "\n")] = '\0';
				fz_fail("kernel", "the kernel logged: %s", msg ? msg + 1 : rec);
				break;
			}
		}
	}
}

/* --- the counters ----------------------------------------------------------------- */
static const char *const totals[] = {
	"stats/records_written", "stats/records_read", "stats/bytes_written", "stats/bytes_read",
	"stats/records_direct", "stats/records_buffered", "stats/records_legacy",
	"stats/bytes_direct", "stats/bytes_buffered", "stats/bytes_legacy",
	"stats/filemarks_written", "stats/filemarks_read", "stream/stalls",
};
#define NR_TOTALS (sizeof(totals) / sizeof(totals[0]))

static long long last_total[32][NR_TOTALS];

static long long stat_or_fail(unsigned int drive, const char *name)
{
	long long v = -1;

	if (!fz_drive_stat(drive, name, &v))
		fz_fail("counters", "drive %u: cannot read %s", drive, name);
	return v;
}

/*
 * While calls run: what was released never exceeds what was taken (read
 * in that order, so a pin in between cannot break it), and totals never
 * go back.
 */
static void check_running(unsigned int drive)
{
	long long unpinned = stat_or_fail(drive, "stats/pages_unpinned");
	long long pinned = stat_or_fail(drive, "stats/pages_pinned");
	long long dropped = stat_or_fail(drive, "stats/legacy_refs_dropped");
	long long taken = stat_or_fail(drive, "stats/legacy_refs_taken");
	size_t i;

	if (unpinned > pinned)
		fz_fail("counters", "drive %u unpinned %lld pages but pinned only %lld", drive,
			unpinned, pinned);
	if (dropped > taken)
		fz_fail("counters", "drive %u dropped %lld legacy page references but took only %lld",
			drive, dropped, taken);
	for (i = 0; i < NR_TOTALS; i++) {
		long long v = stat_or_fail(drive, totals[i]);

		if (v < last_total[drive][i])
			fz_fail("counters", "drive %u: %s went back from %lld to %lld", drive,
				totals[i], last_total[drive][i], v);
		last_total[drive][i] = v;
	}
}

/* Queued requests outlive their files: wait until every drive is idle. */
static void wait_idle(void)
{
	double until = fz_now() + DRAIN_S;
	unsigned int d;
	long long v = -1;

	for (d = 0; d < fz.drives; d++) {
		while (fz_drive_stat(d, "stream/inflight", &v) && v && fz_now() < until)
			usleep(100000);
		if (v)
			fz_fail("counters", "drive %u still has %lld requests in flight %d s after the last close",
				d, v, DRAIN_S);
	}
}

/* With nothing in flight, every pair of counters that must agree does. */
static void check_final(unsigned int drive, long long *pins)
{
	long long pinned = stat_or_fail(drive, "stats/pages_pinned");
	long long unpinned = stat_or_fail(drive, "stats/pages_unpinned");
	long long taken = stat_or_fail(drive, "stats/legacy_refs_taken");
	long long dropped = stat_or_fail(drive, "stats/legacy_refs_dropped");
	long long rec = stat_or_fail(drive, "stats/records_written") +
			stat_or_fail(drive, "stats/records_read");
	long long rec_paths = stat_or_fail(drive, "stats/records_direct") +
			      stat_or_fail(drive, "stats/records_buffered") +
			      stat_or_fail(drive, "stats/records_legacy");
	long long bytes = stat_or_fail(drive, "stats/bytes_written") +
			  stat_or_fail(drive, "stats/bytes_read");
	long long bytes_paths = stat_or_fail(drive, "stats/bytes_direct") +
				stat_or_fail(drive, "stats/bytes_buffered") +
				stat_or_fail(drive, "stats/bytes_legacy");
	long long used = stat_or_fail(drive, "used_bytes");
	long long cap = stat_or_fail(drive, "capacity_bytes");

	if (pinned != unpinned)
		fz_fail("counters", "drive %u: %lld pages pinned, %lld unpinned", drive, pinned,
			unpinned);
	if (taken != dropped)
		fz_fail("counters", "drive %u: %lld legacy page references taken, %lld dropped",
			drive, taken, dropped);
	if (rec != rec_paths || bytes != bytes_paths)
		fz_fail("counters", "drive %u: %lld records (%lld bytes) moved, but the paths count %lld (%lld bytes)",
			drive, rec, bytes, rec_paths, bytes_paths);
	if (used > cap)
		fz_fail("counters", "drive %u uses %lld bytes of a %lld-byte tape", drive, used, cap);
	pins[0] += pinned;
	pins[1] += unpinned;
	pins[2] += taken;
	pins[3] += dropped;
}

/* --- the workers ------------------------------------------------------------------- */
static pid_t spawn(int anchor_fd, int (*body)(unsigned int, unsigned int), unsigned int a,
		   unsigned int b)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* Only the parent's copy may hold the anchor drive open. */
		close(anchor_fd);
		_exit(body(a, b));
	}
	if (pid < 0)
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
	return pid;
}

static int model_body(unsigned int a, unsigned int b)
{
	(void)a;
	(void)b;
	return fz_model_process();
}

/* Reap the workers that ended; the count still running. */
static int reap(pid_t *pids, int nr, bool block)
{
	int i, status, running = 0;

	for (i = 0; i < nr; i++) {
		pid_t got;

		if (pids[i] <= 0)
			continue;
		got = waitpid(pids[i], &status, block ? 0 : WNOHANG);
		if (got == 0) {
			running++;
			continue;
		}
		if (got == pids[i] && !(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
		    !atomic_load(&fz.sh->failures))
			fz_fail("workers", "worker %d ended with status 0x%x", i, status);
		pids[i] = 0;
	}
	return running;
}

/* Tell the workers to stop, and give them time to finish what is in flight. */
static void stop_workers(pid_t *pids, int nr)
{
	double until = fz_now() + STOP_GRACE_S;
	int i;

	atomic_store(&fz.sh->stop, 1);
	while (reap(pids, nr, false) && fz_now() < until)
		usleep(100000);
	for (i = 0; i < nr; i++) {
		if (pids[i] <= 0)
			continue;
		fz_fail("workers", "worker %d (pid %d) did not stop within %d s: stuck in the kernel?",
			i, pids[i], STOP_GRACE_S);
		kill(pids[i], SIGKILL);
	}
	until = fz_now() + 10;
	while (reap(pids, nr, false) && fz_now() < until)
		usleep(100000);
}

static void summary(const struct opts *o, double took, const long long *pins, unsigned int nproc)
{
	long total = 0;
	int i;

	for (i = 0; i < FZ_NR_CALLS; i++)
		total += atomic_load(&fz.sh->calls[i]);
	printf(PROG ": %ld calls in %.0f s by %s%u chaos process(es) x %" PRIu64 " thread(s)\n",
	       total, took, o->model ? "the model and " : "", nproc, o->threads);
	if (!o->quiet) {
		printf(PROG ": calls:");
		for (i = 0; i < FZ_NR_CALLS; i++)
			printf(" %s %ld", fz_call_names[i], atomic_load(&fz.sh->calls[i]));
		printf("\n" PROG ": refused with:");
		for (i = 1; i < FZ_MAX_ERRNO; i++)
			if (atomic_load(&fz.sh->errnos[i]))
				printf(" %s %ld", fz_errname(i), atomic_load(&fz.sh->errnos[i]));
		printf("\n");
	}
	if (o->model)
		printf(PROG ": model: %ld records (%ld bytes) read back and compared, %ld whole-tape passes\n",
		       atomic_load(&fz.sh->model_records), atomic_load(&fz.sh->model_bytes),
		       atomic_load(&fz.sh->model_passes));
	if (o->model && atomic_load(&fz.sh->model_busy_reopens))
		printf(PROG ": model: %ld reopens waited for the drive's release: "
		       "an asynchronous request still held the closed file\n",
		       atomic_load(&fz.sh->model_busy_reopens));
	printf(PROG ": pages pinned %lld, unpinned %lld; legacy references taken %lld, dropped %lld\n",
	       pins[0], pins[1], pins[2], pins[3]);
}

int main(int argc, char **argv)
{
	struct opts o = { .seconds = 60, .procs = 3, .threads = 3, .model = 1 };
	pid_t pids[MAX_WORKERS] = { 0 };
	long long pins[4] = { 0 };
	int drives, kmsg, anchor_fd, nr = 0, failures;
	char anchor[32];
	double start;
	unsigned int d, p;

	o.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (parse(argc, argv, &o))
		return 2;
	drives = find_drives();
	if (drives < 0)
		return 2;
	fz.seed = o.seed;
	fz.drives = (unsigned int)drives;
	fz.model_drive = 0;
	fz.first_chaos = 1;
	fz.anchor = fz.drives - 1;
	fz.max_calls = (long)o.calls;
	fz.sh = mmap(NULL, sizeof(*fz.sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (fz.sh == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap: %s\n", strerror(errno));
		return 2;
	}
	if (o.log) {
		fz.log_fd = open(o.log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
		if (fz.log_fd < 0) {
			fprintf(stderr, PROG ": cannot write the log %s: %s\n", o.log,
				strerror(errno));
			return 2;
		}
	}
	fz_node(fz.anchor, true, anchor, sizeof(anchor));
	anchor_fd = open(anchor, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (anchor_fd < 0) {
		fprintf(stderr, PROG ": cannot hold %s open: %s\n", anchor, strerror(errno));
		return 2;
	}
	printf(PROG ": seed %" PRIu64 " (to repeat: " PROG " -S %" PRIu64 "); drives: model 0, chaos 1-%u, held open %u\n",
	       o.seed, o.seed, fz.anchor - 1, fz.anchor);
	fflush(stdout);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	else
		fprintf(stderr, PROG ": cannot read /dev/kmsg (%s): the kernel log is not checked\n",
			strerror(errno));
	for (d = 0; d < fz.drives; d++)
		check_running(d);

	start = fz_now();
	fz.deadline = start + (double)o.seconds;
	fz.min_records = (long)o.records;
	fz.last_call = start + (double)o.seconds * (o.records ? 4 : 1);
	if (o.model)
		pids[nr++] = spawn(anchor_fd, model_body, 0, 0);
	for (p = 0; p < o.procs; p++)
		pids[nr++] = spawn(anchor_fd, fz_chaos_process, p, (unsigned int)o.threads);
	while (reap(pids, nr, false) && !atomic_load(&fz.sh->stop) &&
	       (fz.max_calls || !fz_time_up())) {
		usleep(200000);
		scan_kmsg(kmsg);
		for (d = 0; d < fz.drives; d++)
			check_running(d);
	}
	stop_workers(pids, nr);
	close(anchor_fd);
	wait_idle();
	for (d = 0; d < fz.drives; d++)
		check_final(d, pins);
	scan_kmsg(kmsg);
	summary(&o, fz_now() - start, pins, (unsigned int)o.procs);
	failures = atomic_load(&fz.sh->failures);
	if (failures) {
		printf(PROG ": FAIL: %d invariant(s) broken; repeat with -S %" PRIu64 "\n", failures,
		       o.seed);
		return 1;
	}
	printf(PROG ": PASS: no splat in the kernel log, every record read back as written, pins and references balanced, counters consistent\n");
	return 0;
}
