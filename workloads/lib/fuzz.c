// SPDX-License-Identifier: GPL-2.0
/* tapefuzz's shared pieces: see fuzz.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "devstat.h"
#include "fuzz.h"
#include "pattern.h"

struct fz_config fz = { .log_fd = -1 };

const char *const fz_call_names[FZ_NR_CALLS] = {
	[FZ_OPEN] = "open", [FZ_CLOSE] = "close", [FZ_READ] = "read",
	[FZ_WRITE] = "write", [FZ_READV] = "readv", [FZ_WRITEV] = "writev",
	[FZ_IOCTL] = "ioctl", [FZ_AIO] = "aio", [FZ_URING] = "io_uring",
	[FZ_EXIT_IN_FLIGHT] = "exit-in-flight", [FZ_KNOB] = "sysfs",
	[FZ_RMMOD] = "rmmod", [FZ_OTHER] = "other", [FZ_VERIFY] = "verify",
};

const char *const fz_buf_names[] = {
	[FZ_BUF_NORMAL] = "normal", [FZ_BUF_NULL] = "null", [FZ_BUF_UNMAPPED] = "unmapped",
	[FZ_BUF_READONLY] = "readonly", [FZ_BUF_HALF] = "half",
};

struct fz_rng fz_rng_for(uint64_t worker, uint64_t call)
{
	return (struct fz_rng){
		.s = pattern_mix64(fz.seed ^ pattern_mix64(worker ^ pattern_mix64(call)))
	};
}

uint64_t fz_next(struct fz_rng *r)
{
	r->s = pattern_mix64(r->s);
	return r->s;
}

uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
	return fz_next(r) % n;
}

bool fz_chance(struct fz_rng *r, unsigned int percent)
{
	return fz_below(r, 100) < percent;
}

size_t fz_size(struct fz_rng *r)
{
	unsigned int band = (unsigned int)fz_below(r, 100);

	if (band < 45)
		return (size_t)fz_below(r, 4097);
	if (band < 80)
		return (size_t)fz_below(r, 64 << 10) + 1;
	if (band < 96)
		return (size_t)fz_below(r, 1 << 20) + 1;
	return (size_t)fz_below(r, FZ_MAX_XFER) + 1;
}

double fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool fz_time_up(void)
{
	double now = fz_now();

	if (now >= fz.last_call)
		return true;
	return now >= fz.deadline && atomic_load(&fz.sh->model_records) >= fz.min_records;
}

bool fz_stopping(long calls)
{
	if (atomic_load(&fz.sh->stop))
		return true;
	if (fz.max_calls)
		return calls >= fz.max_calls;
	return fz_time_up();
}

/* Enough to show what went wrong first without flooding the log. */
#define FZ_MAX_REPORTS 20

void fz_fail(const char *who, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (atomic_fetch_add(&fz.sh->failures, 1) < FZ_MAX_REPORTS)
		fprintf(stderr, "tapefuzz: FAIL [%s] %s\n", who, msg);
	atomic_store(&fz.sh->stop, 1);
}

void fz_log(const char *who, long call, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (fz.log_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%s %ld ", who, call);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write() per line on an O_APPEND file: lines never interleave. */
	if (write(fz.log_fd, line, (size_t)n) != n)
		fz.log_fd = -1;
}

const char *fz_errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

long fz_tally(const char *who, enum fz_call call, long ret, int err, const int *allowed)
{
	atomic_fetch_add(&fz.sh->calls[call], 1);
	if (ret >= 0)
		return ret;
	atomic_fetch_add(&fz.sh->errnos[err > 0 && err < FZ_MAX_ERRNO ? err : 0], 1);
	for (; *allowed; allowed++)
		if (*allowed == err)
			return ret;
	fz_fail(who, "%s failed with %s, which dtape should never answer here",
		fz_call_names[call], fz_errname(err));
	return ret;
}

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

#define FZ_REGION (FZ_MAX_XFER + 2 * 4096)

bool fz_bufs_init(struct fz_bufs *b)
{
	long page = sysconf(_SC_PAGESIZE);

	b->arena = map(FZ_REGION, PROT_READ | PROT_WRITE);
	b->readonly = map(FZ_REGION, PROT_READ);
	/* A reservation with no access keeps later mappings out of the range. */
	b->none = map(FZ_REGION, PROT_NONE);
	b->half = map(FZ_REGION, PROT_READ | PROT_WRITE);
	if (!b->arena || !b->readonly || !b->none || !b->half)
		return false;
	memset(b->arena, 0xa5, FZ_REGION);
	return !mprotect(b->half + page, FZ_REGION - (size_t)page, PROT_NONE);
}

void fz_bufs_free(struct fz_bufs *b)
{
	munmap(b->arena, FZ_REGION);
	munmap(b->readonly, FZ_REGION);
	munmap(b->none, FZ_REGION);
	munmap(b->half, FZ_REGION);
}

unsigned char *fz_buf(struct fz_bufs *b, enum fz_buf_kind kind, size_t offset)
{
	offset %= (size_t)2 * 4096;
	switch (kind) {
	case FZ_BUF_NULL:
		return NULL;
	case FZ_BUF_UNMAPPED:
		return b->none + offset;
	case FZ_BUF_READONLY:
		return b->readonly + offset;
	case FZ_BUF_HALF:
		/* Starts in the accessible page, runs into the rest. */
		return b->half + offset % 4096;
	case FZ_BUF_NORMAL:
	default:
		return b->arena + offset;
	}
}

bool fz_drive_stat(unsigned int drive, const char *name, long long *out)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "/sys/class/dtape/dtape%u", drive);
	return devstat_read(dir, name, out);
}

int fz_write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, value, strlen(value)) < 0)
		err = errno;
	close(fd);
	return err;
}

void fz_node(unsigned int drive, bool norewind, char *path, size_t size)
{
	snprintf(path, size, "/dev/%sdtape%u", norewind ? "n" : "", drive);
}
