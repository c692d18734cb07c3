// SPDX-License-Identifier: GPL-2.0
/*
 * tapeio: write and read a dtape with a chosen I/O path, buffer alignment
 * and record size; check the data; report throughput, CPU time and what
 * the driver's counters say happened.
 *
 * The workload of the dtape labs, tests and benchmarks.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mtio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/devstat.h"
#include "lib/numarg.h"
#include "lib/pattern.h"
#include "lib/tapedev.h"
#include "../module/dtape_abi.h"

#define MODE_PARAM "/sys/module/dtape/parameters/mode"
#define MAX_RECORD (64UL << 20)
#define HUGE_PAGE (2UL << 20)	/* x86-64's PMD size: one transparent huge page */

enum op { OP_WRITE, OP_READ, OP_ROUNDTRIP };

/* --huge: bytes of the buffer the kernel backs with huge pages (smaps). */
static long long thp_bytes = -1;

struct options {
	const char *device;
	const char *path;	/* driver mode to set, or NULL */
	const char *expect_path;
	size_t record_size;
	unsigned long count;
	size_t offset;
	uint64_t seed;
	bool odirect;
	bool rewind;
	bool filemark;
	bool verify;
	bool json;
	bool quiet;
	bool huge;
	enum op op;
};

/* The driver counters tapeio reports, as deltas over one phase. */
static const char *const stat_names[] = {
	"records_direct", "records_buffered", "records_legacy",
	"bytes_direct", "bytes_buffered", "bytes_legacy",
	"pages_pinned", "pages_unpinned",
	"legacy_refs_taken", "legacy_refs_dropped",
	"fallback_misaligned", "fallback_pin_partial",
	"fallback_pin_error", "fallback_nomem",
	"filemarks_written", "filemarks_read",
};
#define NR_STATS (sizeof(stat_names) / sizeof(stat_names[0]))

struct phase {
	const char *name;
	unsigned long records;
	uint64_t bytes;
	double seconds;
	double cpu_seconds;
	uint64_t checksum;
	long long stats[NR_STATS];
	bool have_stats;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tapeio [OPTIONS] write|read|roundtrip\n"
		"\n"
		"  write       write COUNT records of SIZE bytes\n"
		"  read        read COUNT records and check them against the pattern\n"
		"  roundtrip   rewind, write, write a filemark, rewind, read back\n"
		"\n"
		"options:\n"
		"  -f, --device PATH       tape device (default: $TAPE, else /dev/ndtape0)\n"
		"  -m, --mode MODE         set the driver's mode for this run (needs root):\n"
		"                          auto, direct, buffered or legacy; the previous\n"
		"                          mode comes back at exit, also on errors and on\n"
		"                          SIGINT, SIGTERM or SIGHUP (not on SIGKILL);\n"
		"                          -p, --path is its old name\n"
		"  -e, --expect-path P     fail unless every byte went through path P\n"
		"                          (direct, buffered or legacy)\n"
		"  -s, --record-size SIZE  bytes per record; k, M suffixes (default 64k)\n"
		"  -n, --count N           number of records (default 16)\n"
		"  -o, --offset N          place the buffer N bytes past a page boundary\n"
		"  -D, --odirect           open the device with O_DIRECT\n"
		"  -S, --seed N            seed of the data pattern (default 1)\n"
		"  -r, --rewind            rewind (MTREW) before starting\n"
		"  -F, --filemark          write: end with a filemark (MTWEOF);\n"
		"                          read: expect a filemark after the records\n"
		"  -N, --no-verify         fill the buffer once and skip the data check\n"
		"                          (for benchmarks)\n"
		"  -H, --huge              back the buffer with transparent huge pages\n"
		"                          (2 MiB-aligned, MADV_HUGEPAGE): the kernel then\n"
		"                          pins each huge page once, not each 4 KiB page\n"
		"  -j, --json              one JSON object per phase on stdout\n"
		"  -q, --quiet             print only errors\n"
		"  -h, --help              this text\n"
		"\n"
		"Exit status: 0 on success, 1 if I/O or a check failed, 2 for bad usage.\n");
}

/* A name of the driver's mode parameter (dtape_abi.h); "auto" only if allowed. */
static bool valid_path_name(const char *name, bool allow_auto)
{
	static const char *const modes[DTAPE_NR_MODES] = DTAPE_MODE_NAMES;

	for (int i = 0; i < DTAPE_NR_MODES; i++)
		if (modes[i] && !strcmp(name, modes[i]))
			return allow_auto || i != DTAPE_MODE_AUTO;
	return false;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'f' },
		{ "mode", required_argument, NULL, 'm' },
		/* the old name: the option sets the mode, which chooses a path */
		{ "path", required_argument, NULL, 'p' },
		{ "expect-path", required_argument, NULL, 'e' },
		{ "record-size", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "offset", required_argument, NULL, 'o' },
		{ "odirect", no_argument, NULL, 'D' },
		{ "seed", required_argument, NULL, 'S' },
		{ "rewind", no_argument, NULL, 'r' },
		{ "filemark", no_argument, NULL, 'F' },
		{ "no-verify", no_argument, NULL, 'N' },
		{ "huge", no_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t value;
	const char *env = getenv("TAPE");
	int c;

	*o = (struct options){
		.device = env && *env ? env : "/dev/ndtape0",
		.record_size = (size_t)64 * 1024,
		.count = 16,
		.seed = 1,
		.verify = true,
	};
	while ((c = getopt_long(argc, argv, "f:m:p:e:s:n:o:DS:rFNHjqh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'f':
			o->device = optarg;
			break;
		case 'm':
		case 'p':
			if (!valid_path_name(optarg, true)) {
				fprintf(stderr, "tapeio: --mode is auto, direct, buffered or legacy, not '%s'\n",
					optarg);
				return -1;
			}
			o->path = optarg;
			break;
		case 'e':
			if (!valid_path_name(optarg, false)) {
				fprintf(stderr, "tapeio: --expect-path is direct, buffered or legacy, not '%s'\n",
					optarg);
				return -1;
			}
			o->expect_path = optarg;
			break;
		case 's':
			if (numarg("tapeio", "record size", optarg, MAX_RECORD, &value))
				return -1;
			if (!value) {
				fprintf(stderr, "tapeio: the record size must be at least 1 byte\n");
				return -1;
			}
			o->record_size = value;
			break;
		case 'n':
			if (numarg("tapeio", "count", optarg, ULONG_MAX, &value))
				return -1;
			o->count = value;
			break;
		case 'o':
			if (numarg("tapeio", "offset", optarg, 1 << 20, &value))
				return -1;
			o->offset = value;
			break;
		case 'S':
			if (numarg("tapeio", "seed", optarg, UINT64_MAX, &value))
				return -1;
			o->seed = value;
			break;
		case 'D':
			o->odirect = true;
			break;
		case 'r':
			o->rewind = true;
			break;
		case 'F':
			o->filemark = true;
			break;
		case 'N':
			o->verify = false;
			break;
		case 'H':
			o->huge = true;
			break;
		case 'j':
			o->json = true;
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
	if (optind != argc - 1) {
		fprintf(stderr, "tapeio: give exactly one command: write, read or roundtrip\n");
		usage(stderr);
		return -1;
	}
	if (!strcmp(argv[optind], "write")) {
		o->op = OP_WRITE;
	} else if (!strcmp(argv[optind], "read")) {
		o->op = OP_READ;
	} else if (!strcmp(argv[optind], "roundtrip")) {
		o->op = OP_ROUNDTRIP;
		o->rewind = true;
		o->filemark = true;
	} else {
		fprintf(stderr, "tapeio: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

static uint64_t fnv1a(uint64_t hash, const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= buf[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

#define FNV_OFFSET 0xcbf29ce484222325ULL

/* stats/ is the driver's view of this very node. */
static bool read_stats(int fd, long long *values)
{
	char dir[DEVSTAT_DIR_MAX], name[64];
	struct stat st;
	size_t i;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return false;
	devstat_dir(st.st_rdev, dir, sizeof(dir));
	for (i = 0; i < NR_STATS; i++) {
		snprintf(name, sizeof(name), "stats/%s", stat_names[i]);
		if (!devstat_read(dir, name, &values[i]))
			return false;
	}
	return true;
}

static void stats_begin(int fd, struct phase *p)
{
	p->have_stats = read_stats(fd, p->stats);
}

static void stats_end(int fd, struct phase *p)
{
	long long after[NR_STATS];
	size_t i;

	if (!p->have_stats || !read_stats(fd, after)) {
		p->have_stats = false;
		return;
	}
	for (i = 0; i < NR_STATS; i++)
		p->stats[i] = after[i] - p->stats[i];
}

static long long stat_value(const struct phase *p, const char *name)
{
	size_t i;

	for (i = 0; i < NR_STATS; i++)
		if (!strcmp(stat_names[i], name))
			return p->stats[i];
	return 0;
}

/*
 * The mode is the whole module's, not this run's: left set, it would
 * change every later command silently. So the mode found before -p is
 * put back at exit, from a signal handler too.
 */
static char saved_mode[16];

/* Async-signal-safe: only open, write and close. */
static int write_mode(const char *mode)
{
	size_t len = strlen(mode);
	int fd = open(MODE_PARAM, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -1;
	if (write(fd, mode, len) != (ssize_t)len)
		err = -1;
	if (close(fd))
		err = -1;
	return err;
}

static int read_mode(char *mode, size_t size)
{
	FILE *f = fopen(MODE_PARAM, "re");
	int err = -1;

	if (!f)
		return -1;
	if (fgets(mode, (int)size, f)) {
		mode[strcspn(mode, "\n")] = '\0';
		err = mode[0] ? 0 : -1;
	}
	fclose(f);
	return err;
}

static void restore_on_signal(int sig)
{
	int saved_errno = errno;

	write_mode(saved_mode);
	errno = saved_errno;
	signal(sig, SIG_DFL);
	raise(sig);
}

static int set_driver_mode(const char *mode)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = restore_on_signal };
	size_t i;

	if (read_mode(saved_mode, sizeof(saved_mode))) {
		fprintf(stderr, "tapeio: cannot read %s: %s (is dtape loaded?)\n",
			MODE_PARAM, strerror(errno));
		return -1;
	}
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	if (write_mode(mode)) {
		saved_mode[0] = '\0';
		fprintf(stderr, "tapeio: cannot set the driver mode to %s in %s: %s (are you root?)\n",
			mode, MODE_PARAM, strerror(errno));
		return -1;
	}
	return 0;
}

static int restore_driver_mode(void)
{
	if (!saved_mode[0] || !write_mode(saved_mode))
		return 0;
	fprintf(stderr, "tapeio: could not put the driver mode back to %s: %s; dtape stays in the mode -m set until you run: echo %s > %s\n",
		saved_mode, strerror(errno), saved_mode, MODE_PARAM);
	return -1;
}

static int tape_op(int fd, short op, int count, const char *what)
{
	struct mtop mt = { .mt_op = op, .mt_count = count };

	if (ioctl(fd, MTIOCTOP, &mt)) {
		fprintf(stderr, "tapeio: %s failed: %s\n", what, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_phase(int fd, const struct options *o, unsigned char *buf,
		       struct phase *p)
{
	unsigned long r;
	double t0, c0;

	p->name = "write";
	p->checksum = FNV_OFFSET;
	if (!o->verify)
		pattern_fill(buf, o->record_size, o->seed, 0);
	stats_begin(fd, p);
	c0 = clock_cpu_ns() / 1e9;
	t0 = clock_wall_ns() / 1e9;
	for (r = 0; r < o->count; r++) {
		ssize_t n;

		if (o->verify) {
			pattern_fill(buf, o->record_size, o->seed, r);
			p->checksum = fnv1a(p->checksum, buf, o->record_size);
		}
		n = write(fd, buf, o->record_size);
		if (n < 0 && errno == ENOSPC) {
			tapedev_full("tapeio", o->device);
			return -1;
		}
		if (n < 0) {
			fprintf(stderr, "tapeio: write of record %lu (%zu bytes) failed: %s\n",
				r, o->record_size, strerror(errno));
			return -1;
		}
		if ((size_t)n != o->record_size) {
			fprintf(stderr, "tapeio: short write of record %lu: %zd of %zu bytes\n",
				r, n, o->record_size);
			return -1;
		}
		p->records++;
		p->bytes += (uint64_t)n;
	}
	if (o->filemark && tape_op(fd, MTWEOF, 1, "writing a filemark (MTWEOF)"))
		return -1;
	p->seconds = clock_wall_ns() / 1e9 - t0;
	p->cpu_seconds = clock_cpu_ns() / 1e9 - c0;
	stats_end(fd, p);
	return 0;
}

static int check_record(const struct options *o, const unsigned char *buf,
			unsigned long r)
{
	unsigned char want;
	size_t i;

	if (pattern_check(buf, o->record_size, o->seed, r, &i, &want))
		return 0;
	fprintf(stderr, "tapeio: record %lu differs at byte %zu: got 0x%02x, want 0x%02x\n",
		r, i, buf[i], want);
	return -1;
}

static int read_phase(int fd, const struct options *o, unsigned char *buf,
		      struct phase *p)
{
	unsigned long r;
	double t0, c0;
	ssize_t n;

	p->name = "read";
	p->checksum = FNV_OFFSET;
	stats_begin(fd, p);
	c0 = clock_cpu_ns() / 1e9;
	t0 = clock_wall_ns() / 1e9;
	for (r = 0; r < o->count; r++) {
		n = read(fd, buf, o->record_size);
		if (n < 0) {
			fprintf(stderr, "tapeio: read of record %lu failed: %s\n",
				r, strerror(errno));
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "tapeio: filemark or end of data after %lu of %lu records\n",
				r, o->count);
			return -1;
		}
		if ((size_t)n != o->record_size) {
			fprintf(stderr, "tapeio: record %lu has %zd bytes, want %zu\n",
				r, n, o->record_size);
			return -1;
		}
		if (o->verify) {
			p->checksum = fnv1a(p->checksum, buf, o->record_size);
			if (check_record(o, buf, r))
				return -1;
		}
		p->records++;
		p->bytes += (uint64_t)n;
	}
	p->seconds = clock_wall_ns() / 1e9 - t0;
	p->cpu_seconds = clock_cpu_ns() / 1e9 - c0;
	if (o->filemark) {
		n = read(fd, buf, o->record_size);
		if (n != 0) {
			fprintf(stderr, "tapeio: expected a filemark after %lu records, read returned %zd%s%s\n",
				o->count, n, n < 0 ? ": " : "",
				n < 0 ? strerror(errno) : "");
			return -1;
		}
	}
	stats_end(fd, p);
	return 0;
}

static void print_phase(const struct options *o, const struct phase *p)
{
	double mbps = p->seconds > 0 ? (double)p->bytes / p->seconds / 1e6 : 0;
	double gib = (double)p->bytes / (1024.0 * 1024 * 1024);
	double cpu_per_gib = gib > 0 ? p->cpu_seconds / gib : 0;

	if (o->json) {
		printf("{\"phase\":\"%s\",\"device\":\"%s\",\"mode\":\"%s\",\"odirect\":%s,"
		       "\"record_size\":%zu,\"offset\":%zu,\"records\":%lu,\"bytes\":%" PRIu64 ","
		       "\"seconds\":%.6f,\"mb_per_s\":%.2f,\"cpu_seconds\":%.6f,"
		       "\"cpu_s_per_gib\":%.4f,\"verified\":%s,\"checksum\":\"0x%016" PRIx64 "\"",
		       p->name, o->device, o->path ? o->path : "unchanged",
		       o->odirect ? "true" : "false", o->record_size, o->offset,
		       p->records, p->bytes, p->seconds, mbps, p->cpu_seconds,
		       cpu_per_gib, o->verify ? "true" : "false", p->checksum);
		if (o->huge)
			printf(",\"huge\":true,\"thp_bytes\":%lld", thp_bytes);
		if (p->have_stats) {
			size_t i;

			printf(",\"stats\":{");
			for (i = 0; i < NR_STATS; i++)
				printf("%s\"%s\":%lld", i ? "," : "",
				       stat_names[i], p->stats[i]);
			printf("}");
		}
		printf("}\n");
		return;
	}
	if (o->quiet)
		return;
	printf("%s: %lu records of %zu bytes, %" PRIu64 " bytes in %.4f s: %.1f MB/s; cpu %.4f s (%.3f s/GiB)\n",
	       p->name, p->records, o->record_size, p->bytes, p->seconds, mbps,
	       p->cpu_seconds, cpu_per_gib);
	if (o->verify)
		printf("%s: checksum 0x%016" PRIx64 "%s\n", p->name, p->checksum,
		       !strcmp(p->name, "read") ? ", every record matches" : "");
	if (!p->have_stats) {
		printf("%s: driver counters not found (is this a dtape node?)\n",
		       p->name);
		return;
	}
	printf("%s: driver: records direct %lld buffered %lld legacy %lld; pages pinned %lld unpinned %lld; legacy refs taken %lld dropped %lld\n",
	       p->name, stat_value(p, "records_direct"),
	       stat_value(p, "records_buffered"), stat_value(p, "records_legacy"),
	       stat_value(p, "pages_pinned"), stat_value(p, "pages_unpinned"),
	       stat_value(p, "legacy_refs_taken"),
	       stat_value(p, "legacy_refs_dropped"));
	printf("%s: driver: fallbacks misaligned %lld pin_partial %lld pin_error %lld nomem %lld\n",
	       p->name, stat_value(p, "fallback_misaligned"),
	       stat_value(p, "fallback_pin_partial"),
	       stat_value(p, "fallback_pin_error"),
	       stat_value(p, "fallback_nomem"));
}

/* Every byte must have gone through the path the caller expects. */
static int check_path(const struct options *o, const struct phase *p)
{
	char name[32];
	long long bytes;

	if (!o->expect_path)
		return 0;
	if (!p->have_stats) {
		fprintf(stderr, "tapeio: --expect-path needs the driver counters, which were not found\n");
		return -1;
	}
	snprintf(name, sizeof(name), "bytes_%s", o->expect_path);
	bytes = stat_value(p, name);
	if (bytes != (long long)p->bytes) {
		fprintf(stderr, "tapeio: %s: %lld of %" PRIu64 " bytes went through the %s path\n",
			p->name, bytes, p->bytes, o->expect_path);
		return -1;
	}
	return 0;
}

static int run(const struct options *o, unsigned char *buf)
{
	int flags = o->op == OP_READ ? O_RDONLY : O_RDWR;
	struct phase p;
	int fd, err = -1;

	if (o->odirect)
		flags |= O_DIRECT;
	fd = open(o->device, flags | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tapeio: cannot open %s: %s\n", o->device,
			strerror(errno));
		return -1;
	}
	/* Only once the drive is ours: a run that gets EBUSY changes nothing. */
	if (o->path && set_driver_mode(o->path))
		goto out;
	if (o->rewind && tape_op(fd, MTREW, 1, "rewind (MTREW)"))
		goto out;
	if (o->op != OP_READ) {
		memset(&p, 0, sizeof(p));
		if (write_phase(fd, o, buf, &p))
			goto out;
		print_phase(o, &p);
		if (check_path(o, &p))
			goto out;
	}
	if (o->op == OP_ROUNDTRIP && tape_op(fd, MTREW, 1, "rewind (MTREW)"))
		goto out;
	if (o->op != OP_WRITE) {
		memset(&p, 0, sizeof(p));
		if (read_phase(fd, o, buf, &p))
			goto out;
		print_phase(o, &p);
		if (check_path(o, &p))
			goto out;
	}
	err = 0;
out:
	if (close(fd) && !err) {
		fprintf(stderr, "tapeio: close failed: %s\n", strerror(errno));
		err = -1;
	}
	return err;
}

/* The I/O buffer: area, aligned, inside the mapping map. */
struct buffer {
	unsigned char *map, *area;
	size_t map_len;
};

/*
 * Map len bytes at an align boundary, asking for transparent huge pages
 * if huge, and touch them so that page faults stay out of the timings.
 */
static int map_buffer(struct buffer *b, size_t len, size_t align, bool huge)
{
	size_t area_len = (len + align - 1) / align * align;
	uintptr_t start;

	b->map_len = area_len + (huge ? align : 0);
	b->map = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->map == MAP_FAILED) {
		fprintf(stderr, "tapeio: cannot allocate %zu bytes of buffers\n",
			b->map_len);
		return -1;
	}
	start = ((uintptr_t)b->map + align - 1) / align * align;
	b->area = b->map + (start - (uintptr_t)b->map);
	if (huge && madvise(b->area, area_len, MADV_HUGEPAGE))
		fprintf(stderr, "tapeio: madvise(MADV_HUGEPAGE): %s; small pages it is\n",
			strerror(errno));
	memset(b->area, 0, area_len);
	return 0;
}

/* How many bytes of the mapping that holds addr are huge pages. */
static long long buffer_thp_bytes(const void *addr)
{
	unsigned long lo, hi, a = (unsigned long)(uintptr_t)addr;
	long long kib = -1;
	bool in = false;
	char line[256];
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	while (kib < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = lo <= a && a < hi;
		else if (in)
			sscanf(line, "AnonHugePages: %lld kB", &kib);
	}
	fclose(f);
	return kib < 0 ? -1 : kib * 1024;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	struct options o;
	struct buffer b;
	int err;

	if (parse_args(argc, argv, &o))
		return 2;
	if (tapedev_check("tapeio", o.device))
		return 2;
	if (page <= 0)
		page = 4096;
	if (map_buffer(&b, o.offset + o.record_size,
		       o.huge ? HUGE_PAGE : (size_t)page, o.huge))
		return 1;
	if (o.huge)
		thp_bytes = buffer_thp_bytes(b.area);
	err = run(&o, b.area + o.offset);
	if (restore_driver_mode())
		err = -1;
	munmap(b.map, b.map_len);
	return err ? 1 : 0;
}
