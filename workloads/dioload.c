// SPDX-License-Identifier: GPL-2.0
/*
 * dioload: the small, exact I/O patterns diotrace's tests need.
 *
 *   dioload write FILE OFF LEN [direct] [misalign N]   pwrite of 'Z' bytes
 *   dioload read  FILE OFF LEN [direct]                pread
 *   dioload mmap  FILE                                  mapper + O_DIRECT writer
 *   dioload hold  FILE                                  map, dirty, wait for SIGUSR1
 *   dioload uring FILE OFF LEN [async]                  io_uring O_DIRECT write
 *                                                       (async: IOSQE_ASYNC, from io-wq)
 *   dioload aio   FILE OFF LEN                          libaio O_DIRECT write
 *   dioload loop  FILE N [LEN] [buffered]               N writes of LEN at offset 0,
 *                                                       O_DIRECT unless buffered;
 *                                                       prints ns/write, wall and own CPU
 *
 * Prints "ret=N" or "errno=NAME" and exits 0 when the syscall returned what
 * the pattern expects to be possible (tests judge the rest from diotrace).
 */
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <limits.h>
#include <liburing.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/clock.h"
#include "lib/numarg.h"

#define ALIGN 4096UL

/* A number from the command line, or exit 2 before any I/O. */
static uint64_t num(const char *what, const char *arg, uint64_t max)
{
	uint64_t v;

	if (numarg("dioload", what, arg, max, &v))
		exit(2);
	return v;
}

static void *abuf(size_t len, size_t misalign)
{
	void *p = NULL;

	if (posix_memalign(&p, ALIGN, len + ALIGN)) {
		perror("posix_memalign");
		exit(2);
	}
	memset(p, 'Z', len + ALIGN);
	return (char *)p + misalign;
}

static int report(ssize_t r)
{
	if (r < 0) {
		int e = errno;

		printf("errno=%s\n", e == EINVAL ? "EINVAL" : strerror(e));
		return 1;
	}
	printf("ret=%zd\n", r);
	return 0;
}

static int do_rw(int argc, char **argv, int wr)
{
	off_t off = (off_t)num("offset", argv[3], INT64_MAX);
	size_t len = num("length", argv[4], SSIZE_MAX), mis = 0;
	int flags = wr ? O_WRONLY | O_CREAT : O_RDONLY, fd;
	char *buf;
	ssize_t r;

	for (int i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "direct"))
			flags |= O_DIRECT;
		else if (!strcmp(argv[i], "misalign") && i + 1 < argc)
			mis = num("misalign", argv[++i], ALIGN - 1);
	}
	fd = open(argv[2], flags, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	buf = abuf(len, mis);
	r = wr ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	close(fd);
	return report(r);
}

/* The mmap-invalidation lab: this process maps the file and dirties page 1,
 * a child overwrites pages 0-1 with O_DIRECT, and touching the mapping
 * afterwards must refault the new data from disk. */
static int do_mmap(const char *path)
{
	int fd = open(path, O_RDWR), st;
	volatile char *m;
	char c0;
	pid_t pid;

	if (fd < 0) {
		perror(path);
		return 2;
	}
	m = mmap(NULL, 2 * ALIGN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	c0 = m[0];		/* page 0 mapped, clean */
	m[ALIGN] = 'd';		/* page 1 mapped, dirty */
	printf("before: page0=%c page1=%c\n", c0, m[ALIGN]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int dfd = open(path, O_WRONLY | O_DIRECT);

		if (dfd < 0)
			_exit(2);
		_exit(pwrite(dfd, abuf(2 * ALIGN, 0), 2 * ALIGN, 0) == (ssize_t)(2 * ALIGN) ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "direct writer failed\n");
		return 1;
	}
	printf("after: page0=%c page1=%c\n", m[0], m[ALIGN]);
	return m[0] == 'Z' && m[ALIGN] == 'Z' ? 0 : 1;
}

/* A mapper that was there first: map and dirty, then wait for SIGUSR1
 * (the direct write happens meanwhile) and touch the pages again. */
static int do_hold(const char *path)
{
	int fd = open(path, O_RDWR), sig;
	volatile char *m;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (fd < 0 || sigprocmask(SIG_BLOCK, &set, NULL)) {
		perror(path);
		return 2;
	}
	m = mmap(NULL, 2 * ALIGN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	m[ALIGN] = 'd';
	printf("mapped: page0=%c page1=%c\n", m[0], m[ALIGN]);
	fflush(stdout);
	if (sigwait(&set, &sig))
		return 2;
	printf("after: page0=%c page1=%c\n", m[0], m[ALIGN]);
	return 0;
}

static int do_uring(const char *path, off_t off, size_t len, bool punt)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int fd = open(path, O_WRONLY | O_DIRECT), r;

	if (fd < 0 || io_uring_queue_init(4, &ring, 0)) {
		perror("io_uring");
		return 2;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fd, abuf(len, 0), len, off);
	/* IOSQE_ASYNC: the write runs in an io-wq worker, not in io_uring_enter */
	if (punt)
		io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	io_uring_submit(&ring);
	if (io_uring_wait_cqe(&ring, &cqe))
		return 2;
	r = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	printf("res=%d\n", r);
	return r == (int)len ? 0 : 1;
}

static int do_aio(const char *path, off_t off, size_t len)
{
	io_context_t ctx = 0;
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev;
	int fd = open(path, O_WRONLY | O_DIRECT);

	if (fd < 0 || io_setup(4, &ctx)) {
		perror("aio");
		return 2;
	}
	io_prep_pwrite(&cb, fd, abuf(len, 0), len, off);
	if (io_submit(ctx, 1, cbs) != 1 || io_getevents(ctx, 1, 1, &ev, NULL) != 1)
		return 2;
	io_destroy(ctx);
	printf("res=%ld\n", (long)ev.res);
	return ev.res == len ? 0 : 1;
}

/* The benchmark loop: same buffer, same range, so every write takes the
 * identical kernel path and only the tracer's cost (or the tool) varies. */
static int do_loop(const char *path, long n, size_t len, bool buffered)
{
	uint64_t t0, c0, t1, c1;
	char *buf;
	int fd;

	if (n < 1 || len < 1) {
		fprintf(stderr, "dioload: loop needs at least one write of at least one byte\n");
		return 2;
	}
	fd = open(path, O_WRONLY | (buffered ? 0 : O_DIRECT));
	if (fd < 0) {
		perror(path);
		return 2;
	}
	buf = abuf(len, 0);
	t0 = clock_wall_ns();
	c0 = clock_cpu_ns();
	for (long i = 0; i < n; i++)
		if (pwrite(fd, buf, len, 0) != (ssize_t)len) {
			perror("pwrite");
			return 1;
		}
	c1 = clock_cpu_ns();
	t1 = clock_wall_ns();
	/* the CPU time leaves out a tracer's consumer that ran on the same
	 * CPU while the writer waited (bench/diotrace-guest.sh) */
	printf("ns_per_write=%.0f writes=%ld cpu_ns_per_write=%.0f\n", (double)(t1 - t0) / n, n,
	       (double)(c1 - c0) / n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && argc <= 6 && !strcmp(argv[1], "loop")) {
		bool buffered = argc == 6 && !strcmp(argv[5], "buffered");

		if (argc == 6 && !buffered) {
			fprintf(stderr, "dioload: loop takes 'buffered' or nothing after LEN, not '%s'\n", argv[5]);
			return 2;
		}
		return do_loop(argv[2], (long)num("count", argv[3], LONG_MAX),
			       argc > 4 ? num("length", argv[4], SSIZE_MAX) : 65536, buffered);
	}
	if (argc >= 5 && !strcmp(argv[1], "write"))
		return do_rw(argc, argv, 1);
	if (argc >= 5 && !strcmp(argv[1], "read"))
		return do_rw(argc, argv, 0);
	if (argc == 3 && !strcmp(argv[1], "mmap"))
		return do_mmap(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return do_hold(argv[2]);
	if ((argc == 5 || (argc == 6 && !strcmp(argv[5], "async"))) && !strcmp(argv[1], "uring"))
		return do_uring(argv[2], (off_t)num("offset", argv[3], INT64_MAX),
				num("length", argv[4], SSIZE_MAX), argc == 6);
	if (argc == 5 && !strcmp(argv[1], "aio"))
		return do_aio(argv[2], (off_t)num("offset", argv[3], INT64_MAX),
			      num("length", argv[4], SSIZE_MAX));
	fprintf(stderr, "usage: dioload write|read FILE OFF LEN [direct] [misalign N]\n"
		"       dioload mmap FILE | hold FILE | uring FILE OFF LEN [async] | aio FILE OFF LEN\n"
		"       dioload loop FILE N [LEN] [buffered]\n");
	return 2;
}
