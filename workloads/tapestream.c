// SPDX-License-Identifier: GPL-2.0
/*
 * tapestream: stream records to (or from) a dtape drive the way a backup
 * program would, synchronously or with Q requests in flight through Linux
 * AIO or io_uring, and report what the drive's streaming model saw.
 *
 * The point it demonstrates (LDD3 ch. 15): direct I/O makes each write
 * synchronous, so an application that computes between writes leaves the
 * drive idle and a streaming tape stalls; keeping several requests queued
 * keeps the drive's buffer fed.
 *
 * Every record carries a pattern derived from its index, so a read pass
 * verifies content and order without storing the data.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libaio.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/devstat.h"
#include "lib/numarg.h"
#include "lib/pattern.h"
#include "lib/tapedev.h"

enum io_mode { MODE_SYNC, MODE_LIBAIO, MODE_URING };

static const char *const mode_names[] = { "sync", "libaio", "uring" };

struct opts {
	const char *dev;
	enum io_mode mode;
	unsigned int depth;
	size_t record;
	uint64_t total;
	unsigned int think_us;
	bool read;
	bool odirect;
	bool json;
	long bad_record;	/* submit this record from an unmapped buffer */
	bool abandon;		/* exit with requests still in flight */
	bool uring_async;	/* IOSQE_ASYNC: issue from io_uring's io-wq */
	long missing;		/* reading: this record was never written */
	uint64_t seed;
};

/*
 * Counters the streaming model exports; absent ones read as -1. The first
 * two are totals, reported as this run's difference; the maxima cannot be
 * differenced, so the run restarts them (writing 0) and reads them after.
 */
static const char *const stream_stats[] = {
	"stream/stalls", "stream/reposition_ns", "stream/buffer_highwater",
	"stream/inflight_max",
};
#define NR_STREAM_STATS (sizeof(stream_stats) / sizeof(stream_stats[0]))
#define FIRST_MAXIMUM 2

struct run {
	const struct opts *o;
	int fd;
	uint64_t nrec;
	uint64_t done;		/* completed, in any order */
	uint64_t failed;
	uint64_t bad_data;
	uint64_t bytes;		/* transferred by the records that succeeded */
	bool full;		/* a write met the end of the tape: stop */
	long bad_result;	/* what the deliberately bad request returned */
	unsigned char **bufs;
	unsigned char *hole;	/* PROT_NONE page for --bad-record */
};

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "tapestream: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* An application computing between records; sleeping keeps TCG guests calm. */
static void think(unsigned int us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (long)(us % 1000000) * 1000 };

	if (us)
		nanosleep(&ts, NULL);
}

static void sysfs_dir(const char *dev, char *dir, size_t size)
{
	struct stat st;

	if (tapedev_check("tapestream", dev))
		exit(2);
	if (stat(dev, &st) != 0)
		die("%s vanished", dev);
	devstat_dir(st.st_rdev, dir, size);
}

/* Restart a maximum; false when that is not allowed (not root). */
static bool reset_stat(const char *dir, const char *name)
{
	char path[512];
	FILE *f;
	bool done;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	done = fputs("0\n", f) >= 0;
	return fclose(f) == 0 && done;
}

static long long read_stat(const char *dir, const char *name)
{
	long long v;

	return devstat_read(dir, name, &v) ? v : -1;
}

/* Reading a stream that lacks record `missing`: later records move up. */
static uint64_t pattern_index(const struct opts *o, uint64_t rec)
{
	return o->missing >= 0 && rec >= (uint64_t)o->missing ? rec + 1 : rec;
}

static unsigned char *buffer_for(struct run *r, unsigned int slot,
				 uint64_t rec)
{
	if (r->o->bad_record >= 0 && rec == (uint64_t)r->o->bad_record)
		return r->hole;
	if (!r->o->read)
		pattern_fill(r->bufs[slot], r->o->record, r->o->seed, rec);
	return r->bufs[slot];
}

/* Account one finished request; res is the byte count or -errno. */
static void finish(struct run *r, unsigned int slot, uint64_t rec, long res)
{
	const struct opts *o = r->o;

	r->done++;
	if (o->bad_record >= 0 && rec == (uint64_t)o->bad_record) {
		r->bad_result = res;
		return;
	}
	if (res == -ENOSPC && !o->read) {
		/* Early warning or the physical end: one message, then stop. */
		r->failed++;
		if (!r->full)
			tapedev_full("tapestream", o->dev);
		r->full = true;
		return;
	}
	if (res != (long)o->record) {
		r->failed++;
		fprintf(stderr, "tapestream: record %" PRIu64 ": %s%ld\n", rec,
			res < 0 ? "error " : "short transfer ", res);
		return;
	}
	if (o->read && !pattern_check(r->bufs[slot], o->record, o->seed,
				      pattern_index(o, rec), NULL, NULL)) {
		r->bad_data++;
		fprintf(stderr, "tapestream: record %" PRIu64
			": data differs from what was written\n", rec);
	}
	r->bytes += (uint64_t)res;
}

static void run_sync(struct run *r)
{
	const struct opts *o = r->o;

	for (uint64_t rec = 0; rec < r->nrec && !r->full; rec++) {
		unsigned char *buf;
		ssize_t n;

		think(o->think_us);
		buf = buffer_for(r, 0, rec);
		n = o->read ? read(r->fd, buf, o->record) :
			      write(r->fd, buf, o->record);
		finish(r, 0, rec, n < 0 ? -errno : (long)n);
	}
}

/*
 * The async loops keep `depth` requests in flight: a slot is refilled only
 * after its request completed, and the think time sits between completion
 * and the next submission, overlapping with the requests still queued.
 */
static void run_libaio(struct run *r)
{
	const struct opts *o = r->o;
	io_context_t ctx = 0;
	struct iocb *iocbs = calloc(o->depth, sizeof(*iocbs));
	struct io_event *ev = calloc(o->depth, sizeof(*ev));
	unsigned int *free_slots = calloc(o->depth, sizeof(*free_slots));
	uint64_t *slot_rec = calloc(o->depth, sizeof(*slot_rec));
	unsigned int nfree = o->depth, inflight = 0;
	uint64_t next = 0;
	int rc;

	if (!iocbs || !ev || !free_slots || !slot_rec)
		die("%s", "out of memory");
	rc = io_setup((int)o->depth, &ctx);
	if (rc < 0)
		die("io_setup: %s", strerror(-rc));
	for (unsigned int i = 0; i < o->depth; i++)
		free_slots[i] = i;

	while (inflight || (next < r->nrec && !r->full)) {
		while (nfree && next < r->nrec && !r->full) {
			unsigned int s = free_slots[--nfree];
			struct iocb *cb = &iocbs[s];
			struct iocb *list[1] = { cb };
			unsigned char *buf;

			think(o->think_us);
			buf = buffer_for(r, s, next);
			if (o->read)
				io_prep_pread(cb, r->fd, buf, o->record, 0);
			else
				io_prep_pwrite(cb, r->fd, buf, o->record, 0);
			slot_rec[s] = next;
			rc = io_submit(ctx, 1, list);
			if (rc != 1) {
				/* Refused at submission: that request fails alone. */
				finish(r, s, next, rc < 0 ? rc : -EIO);
				free_slots[nfree++] = s;
			} else {
				inflight++;
			}
			next++;
		}
		if (o->abandon && next == r->nrec)
			exit(0);	/* the kernel must cope with what is left */
		if (!inflight)
			continue;
		rc = io_getevents(ctx, 1, (long)inflight, ev, NULL);
		if (rc < 0)
			die("io_getevents: %s", strerror(-rc));
		for (int i = 0; i < rc; i++) {
			unsigned int s = (unsigned int)(ev[i].obj - iocbs);

			finish(r, s, slot_rec[s], (long)ev[i].res);
			free_slots[nfree++] = s;
			inflight--;
		}
	}
	io_destroy(ctx);
	free(iocbs);
	free(ev);
	free(free_slots);
	free(slot_rec);
}

static void run_uring(struct run *r)
{
	const struct opts *o = r->o;
	struct io_uring ring;
	unsigned int *free_slots = calloc(o->depth, sizeof(*free_slots));
	uint64_t *slot_rec = calloc(o->depth, sizeof(*slot_rec));
	unsigned int nfree = o->depth, inflight = 0;
	uint64_t next = 0;
	int rc;

	if (!free_slots || !slot_rec)
		die("%s", "out of memory");
	rc = io_uring_queue_init(o->depth, &ring, 0);
	if (rc < 0)
		die("io_uring_queue_init: %s", strerror(-rc));
	for (unsigned int i = 0; i < o->depth; i++)
		free_slots[i] = i;

	while (inflight || (next < r->nrec && !r->full)) {
		while (nfree && next < r->nrec && !r->full) {
			unsigned int s = free_slots[--nfree];
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			unsigned char *buf;

			if (!sqe)
				die("%s", "submission queue full");
			think(o->think_us);
			buf = buffer_for(r, s, next);
			if (o->read)
				io_uring_prep_read(sqe, r->fd, buf,
						   (unsigned int)o->record, 0);
			else
				io_uring_prep_write(sqe, r->fd, buf,
						    (unsigned int)o->record, 0);
			if (o->uring_async)
				io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
			io_uring_sqe_set_data64(sqe, s);
			slot_rec[s] = next++;
			rc = io_uring_submit(&ring);
			if (rc != 1)
				die("io_uring_submit: %s", strerror(-rc));
			inflight++;
		}
		if (o->abandon && next == r->nrec)
			exit(0);
		if (!inflight)
			continue;
		{
			struct io_uring_cqe *cqe;
			unsigned int s;

			rc = io_uring_wait_cqe(&ring, &cqe);
			if (rc < 0)
				die("io_uring_wait_cqe: %s", strerror(-rc));
			s = (unsigned int)io_uring_cqe_get_data64(cqe);
			finish(r, s, slot_rec[s], cqe->res);
			io_uring_cqe_seen(&ring, cqe);
			free_slots[nfree++] = s;
			inflight--;
		}
	}
	io_uring_queue_exit(&ring);
	free(free_slots);
	free(slot_rec);
}

static uint64_t parse_size(const char *s, const char *what)
{
	uint64_t v;

	if (numarg("tapestream", what, s, UINT64_MAX, &v))
		exit(2);
	return v;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: tapestream [options] DEVICE\n"
"Stream records to a dtape drive (or read them back) and report throughput\n"
"and the drive's stall counters.\n\n"
"  -m, --mode sync|libaio|uring   how to issue requests (default sync)\n"
"  -q, --depth Q                  requests in flight for libaio/uring (default 1)\n"
"  -r, --record SIZE              record size, e.g. 256k (default 64k)\n"
"  -s, --size SIZE                total to stream, e.g. 16M (default 16M)\n"
"  -t, --think USEC               application think time per record (default 0)\n"
"  -R, --read                     read records back and verify them\n"
"  -d, --direct                   open with O_DIRECT\n"
"      --seed N                   pattern seed (default 1); use the same to verify\n"
"      --bad-record K             submit record K from an unmapped buffer\n"
"      --abandon                  exit with requests in flight (teardown test)\n"
"      --uring-async              IOSQE_ASYNC: io_uring issues from its io-wq workers\n"
"      --expect-missing K         reading: the stream lacks record K (see --bad-record)\n"
"  -j, --json                     one JSON object instead of text\n"
"  -h, --help\n");
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "depth", required_argument, NULL, 'q' },
		{ "record", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "think", required_argument, NULL, 't' },
		{ "read", no_argument, NULL, 'R' },
		{ "direct", no_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 1 },
		{ "bad-record", required_argument, NULL, 2 },
		{ "abandon", no_argument, NULL, 3 },
		{ "uring-async", no_argument, NULL, 4 },
		{ "expect-missing", required_argument, NULL, 5 },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	*o = (struct opts){ .mode = MODE_SYNC, .depth = 1, .record = 65536,
			    .total = 16u << 20, .bad_record = -1, .seed = 1,
			    .missing = -1 };
	while ((c = getopt_long(argc, argv, "m:q:r:s:t:Rdjh", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "sync"))
				o->mode = MODE_SYNC;
			else if (!strcmp(optarg, "libaio"))
				o->mode = MODE_LIBAIO;
			else if (!strcmp(optarg, "uring"))
				o->mode = MODE_URING;
			else
				die("unknown mode '%s' (sync, libaio or uring)", optarg);
			break;
		case 'q':
			/* Range-checked before narrowing: 2^32 + 1 is not 1. */
			v = parse_size(optarg, "queue depth");
			if (v < 1 || v > 256)
				die("queue depth %s is outside 1..256", optarg);
			o->depth = (unsigned int)v;
			break;
		case 'r':
			o->record = parse_size(optarg, "record size");
			if (o->record < 1 || o->record > (64u << 20))
				die("record size %s is outside 1..64M", optarg);
			break;
		case 's':
			o->total = parse_size(optarg, "size");
			break;
		case 't':
			v = parse_size(optarg, "think time");
			if (v > 60000000)
				die("think time %s is over 60 s (in microseconds)", optarg);
			o->think_us = (unsigned int)v;
			break;
		case 'R': o->read = true; break;
		case 'd': o->odirect = true; break;
		case 'j': o->json = true; break;
		case 1: o->seed = parse_size(optarg, "seed"); break;
		case 2: o->bad_record = (long)parse_size(optarg, "record index"); break;
		case 3: o->abandon = true; break;
		case 4: o->uring_async = true; break;
		case 5: o->missing = (long)parse_size(optarg, "record index"); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(2);
	}
	o->dev = argv[optind];
	if (o->mode == MODE_SYNC && o->depth != 1)
		die("%s", "--depth needs --mode libaio or uring");
	if (o->total < o->record)
		die("%s", "--size is smaller than one record");
	if (o->missing >= 0 && !o->read)
		die("%s", "--expect-missing is for --read");
	if (o->uring_async && o->mode != MODE_URING)
		die("%s", "--uring-async needs --mode uring");
}

int main(int argc, char **argv)
{
	struct opts o;
	struct run r = { .bad_result = 0 };
	long long before[NR_STREAM_STATS], after[NR_STREAM_STATS];
	bool per_run = true;
	uint64_t t0, t1, c0, c1;
	char dir[DEVSTAT_DIR_MAX];
	double secs, mbps;

	parse(argc, argv, &o);
	r.o = &o;
	r.nrec = (o.total + o.record - 1) / o.record;
	sysfs_dir(o.dev, dir, sizeof(dir));

	r.fd = open(o.dev, (o.read ? O_RDONLY : O_WRONLY) |
			   (o.odirect ? O_DIRECT : 0));
	if (r.fd < 0) {
		fprintf(stderr, "tapestream: open %s: %s\n", o.dev,
			strerror(errno));
		return 1;
	}
	r.bufs = calloc(o.depth, sizeof(*r.bufs));
	if (!r.bufs)
		die("%s", "out of memory");
	for (unsigned int i = 0; i < o.depth; i++)
		if (posix_memalign((void **)&r.bufs[i], 4096, o.record))
			die("%s", "out of memory");
	r.hole = mmap(NULL, o.record, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (r.hole == MAP_FAILED)
		die("mmap: %s", strerror(errno));

	for (size_t i = 0; i < NR_STREAM_STATS; i++)
		before[i] = read_stat(dir, stream_stats[i]);
	for (size_t i = FIRST_MAXIMUM; i < NR_STREAM_STATS; i++)
		per_run = reset_stat(dir, stream_stats[i]) && per_run;
	t0 = clock_wall_ns();
	c0 = clock_cpu_ns();
	if (o.mode == MODE_SYNC)
		run_sync(&r);
	else if (o.mode == MODE_LIBAIO)
		run_libaio(&r);
	else
		run_uring(&r);
	t1 = clock_wall_ns();
	c1 = clock_cpu_ns();
	if (close(r.fd) != 0)
		fprintf(stderr, "tapestream: close: %s\n", strerror(errno));
	for (size_t i = 0; i < NR_STREAM_STATS; i++)
		after[i] = read_stat(dir, stream_stats[i]);

	secs = (double)(t1 - t0) / 1e9;
	mbps = (double)r.bytes / 1e6 / secs;
	if (o.json) {
		printf("{\"mode\":\"%s\",\"depth\":%u,\"record\":%zu,"
		       "\"records\":%" PRIu64 ",\"think_us\":%u,\"read\":%s,"
		       "\"seconds\":%.6f,\"mb_per_s\":%.3f,\"cpu_seconds\":%.6f,"
		       "\"failed\":%" PRIu64 ",\"bad_data\":%" PRIu64,
		       mode_names[o.mode], o.depth, o.record, r.done,
		       o.think_us, o.read ? "true" : "false", secs, mbps,
		       (double)(c1 - c0) / 1e9, r.failed, r.bad_data);
		printf(",\"stalls\":%lld,\"reposition_ns\":%lld,"
		       "\"buffer_highwater\":%lld,\"inflight_max\":%lld,"
		       "\"maxima_since\":\"%s\",\"tape_full\":%s",
		       after[0] - before[0], after[1] - before[1], after[2],
		       after[3], per_run ? "run" : "load",
		       r.full ? "true" : "false");
		if (o.bad_record >= 0)
			printf(",\"bad_record_result\":%ld", r.bad_result);
		printf("}\n");
	} else {
		printf("%s q=%u: %" PRIu64 " records of %zu bytes in %.3f s "
		       "(%.1f MB/s), %" PRIu64 " failed, %" PRIu64
		       " with wrong data\n", mode_names[o.mode], o.depth,
		       r.done, o.record, secs, mbps, r.failed, r.bad_data);
		if (after[0] >= 0)
			printf("drive, this run: %lld stall%s, %.1f ms repositioning, "
			       "buffer high-water %lld bytes, up to %lld in flight%s\n",
			       after[0] - before[0],
			       after[0] - before[0] == 1 ? "" : "s",
			       (double)(after[1] - before[1]) / 1e6,
			       after[2], after[3],
			       per_run ? "" : " (those two since dtape was loaded: only root can restart them)");
		if (o.bad_record >= 0)
			printf("bad record %ld completed with %ld\n",
			       o.bad_record, r.bad_result);
	}
	return r.failed || r.bad_data || r.full ? 1 : 0;
}
