/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tapefuzz's processes share: the run's settings and tallies (in
 * memory shared across fork), per-call random numbers that follow from
 * the seed alone, failure reports, the call log, hostile buffers and
 * dtape's sysfs files.
 */
#ifndef DIOLAB_FUZZ_H
#define DIOLAB_FUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fz_call {
	FZ_OPEN, FZ_CLOSE, FZ_READ, FZ_WRITE, FZ_READV, FZ_WRITEV, FZ_IOCTL,
	FZ_AIO, FZ_URING, FZ_EXIT_IN_FLIGHT, FZ_KNOB, FZ_RMMOD, FZ_OTHER,
	FZ_VERIFY, FZ_NR_CALLS
};

extern const char *const fz_call_names[FZ_NR_CALLS];

#define FZ_MAX_ERRNO 160

/* Lives in a MAP_SHARED mapping, so every process adds to the same tallies. */
struct fz_shared {
	atomic_int stop;
	atomic_int failures;
	atomic_long calls[FZ_NR_CALLS];
	atomic_long errnos[FZ_MAX_ERRNO];
	atomic_long model_records;	/* records read back and compared */
	atomic_long model_bytes;
	atomic_long model_passes;	/* whole-tape comparisons */
	atomic_long model_busy_reopens;	/* opens that waited for a release */
};

struct fz_config {
	uint64_t seed;
	unsigned int drives;		/* dtape's drives parameter */
	unsigned int model_drive;	/* 0 */
	unsigned int first_chaos;	/* chaos drives: first_chaos .. anchor - 1 */
	unsigned int anchor;		/* held open all run, so rmmod must fail */
	long max_calls;			/* per worker; 0: until the deadline */
	double deadline;		/* CLOCK_MONOTONIC seconds */
	long min_records;		/* past the deadline until the model compared these */
	double last_call;		/* ... but never past this */
	int log_fd;			/* -1: no call log */
	struct fz_shared *sh;
};

extern struct fz_config fz;

/* --- random numbers ---------------------------------------------------------- */
struct fz_rng {
	uint64_t s;
};

/*
 * The generator for call CALL of worker WORKER: a function of the seed
 * alone, so a call draws the same numbers whatever earlier calls returned.
 */
struct fz_rng fz_rng_for(uint64_t worker, uint64_t call);
uint64_t fz_next(struct fz_rng *r);
/* Uniform in [0, n), n > 0. */
uint64_t fz_below(struct fz_rng *r, uint64_t n);
/* True with probability PERCENT / 100. */
bool fz_chance(struct fz_rng *r, unsigned int percent);
/* A transfer size: mostly small, up to 8 MiB. */
size_t fz_size(struct fz_rng *r);

/* --- the run ---------------------------------------------------------------- */
double fz_now(void);
/*
 * Past the deadline, and the model has compared its records (or the last
 * call's time has come): how much the model checks depends on the CPU the
 * run gets, which a loaded machine can cut to a twentieth.
 */
bool fz_time_up(void);
/* Whether a worker that has made CALLS calls should stop. */
bool fz_stopping(long calls);
/* Report an invariant that failed, and stop the run. */
void fz_fail(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One line of the call log (-l), when there is one. */
void fz_log(const char *who, long call, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Count call CALL and, when RET < 0, its errno ERR; an errno outside
 * ALLOWED (a 0-terminated list) is a failure. Returns RET.
 */
long fz_tally(const char *who, enum fz_call call, long ret, int err, const int *allowed);
/* "EINVAL" for EINVAL. */
const char *fz_errname(int err);

/* --- buffers ------------------------------------------------------------------ */
enum fz_buf_kind { FZ_BUF_NORMAL, FZ_BUF_NULL, FZ_BUF_UNMAPPED, FZ_BUF_READONLY, FZ_BUF_HALF };

extern const char *const fz_buf_names[];

#define FZ_MAX_XFER (8u << 20)

/* A thread's memory: a large read-write arena and hostile regions. */
struct fz_bufs {
	unsigned char *arena;	/* FZ_MAX_XFER + 2 pages, read-write */
	unsigned char *readonly;
	unsigned char *half;	/* first page read-write, then none */
	unsigned char *none;	/* no access */
};

bool fz_bufs_init(struct fz_bufs *b);
void fz_bufs_free(struct fz_bufs *b);
/* A buffer of KIND for LEN bytes, starting OFFSET bytes into its region. */
unsigned char *fz_buf(struct fz_bufs *b, enum fz_buf_kind kind, size_t offset);

/* --- dtape's sysfs -------------------------------------------------------------- */
/* /sys/class/dtape/dtapeDRIVE/NAME as a number; false when unreadable. */
bool fz_drive_stat(unsigned int drive, const char *name, long long *out);
/* Write VALUE to PATH: 0, or the errno. */
int fz_write_file(const char *path, const char *value);
/* The path of drive DRIVE's node: /dev/dtapeN, or /dev/ndtapeN when NOREWIND. */
void fz_node(unsigned int drive, bool norewind, char *path, size_t size);

#endif
