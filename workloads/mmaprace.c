// SPDX-License-Identifier: GPL-2.0
/*
 * mmaprace: the invalidation hazard of lab 03.  A thread keeps dirtying page
 * 0 of the file through a MAP_SHARED mapping while the main thread writes
 * that page N times with O_DIRECT.  When the kernel cannot invalidate the
 * dirty page before a write, the write silently goes buffered, and when it
 * cannot invalidate it after, it records -EIO in the file's errseq
 * (dio_warn_stale_pagecache): fsync on a descriptor opened before then
 * reports EIO once, one opened after reports nothing.
 *
 * Two kinds of write take turns, so that both outcomes come every time:
 *  - Before an even write the thread is parked and the page written back,
 *    and the thread waits until the write sleeps on its bio (state D in
 *    /proc) before it dirties the page again: the write went direct, and
 *    the page it leaves in the cache is stale.
 *  - An odd write finds that page dirty; the thread, running free, dirties
 *    it again while the write's flush sleeps, and the write falls back.
 * Both waits must be real sleeps: lab 03 puts the file on a disk whose
 * writes end later (labfs --write-delay), not on a bare ramdisk.
 *
 *   mmaprace FILE N        prints writes=, short=, fsync_old=, fsync_new=
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "lib/numarg.h"

#define PAGE 4096

static atomic_int stop, park, parked;
static atomic_long writes_begun;
static char writer_stat[64];

/* A wait that lets this CPU go idle, so the VM runs the other thread. */
static void nap(void)
{
	struct timespec ts = { .tv_nsec = 20000 };

	nanosleep(&ts, NULL);
}

/* The writer in uninterruptible sleep: inside the kernel, waiting for I/O. */
static int writer_in_io(void)
{
	char buf[256], *p;
	ssize_t n;
	int fd = open(writer_stat, O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the command name may hold anything */
	return p && p[1] == ' ' && p[2] == 'D';
}

static void *dirtier(void *arg)
{
	volatile char *m = arg;
	unsigned char c = 0;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		if (atomic_load(&park)) {
			long w = atomic_load(&writes_begun);

			atomic_store(&parked, 1);
			while (atomic_load(&park))
				nap();
			atomic_store(&parked, 0);
			/* until the next write sleeps on its bio (or is over) */
			while (!writer_in_io() && atomic_load(&writes_begun) <= w + 1 &&
			       !atomic_load(&stop))
				nap();
		}
		m[c % PAGE] = (char)c;
		c++;
	}
	return NULL;
}

/* Write the page back with the dirtier parked; returns 0 or -1 (errno). */
static int clean_page(int fd)
{
	int ret;

	atomic_store(&park, 1);
	while (!atomic_load(&parked))
		nap();
	/* fd, not the old descriptor: this must not see (and so use up) its EIO */
	ret = fdatasync(fd);
	atomic_store(&park, 0);
	return ret;
}

static const char *fsync_result(int fd)
{
	static char buf[32];

	if (fsync(fd) == 0)
		return "0";
	snprintf(buf, sizeof(buf), "%s", errno == EIO ? "EIO" : strerror(errno));
	return buf;
}

int main(int argc, char **argv)
{
	uint64_t v = 0;
	long n, shorts = 0;
	int old_fd, dfd, new_fd;
	pthread_t th;
	void *m, *buf;

	if (argc != 3 || numarg("mmaprace", "N", argv[2], LONG_MAX, &v) || !v) {
		fprintf(stderr, "usage: mmaprace FILE N   (FILE at least one page long)\n");
		return 2;
	}
	n = (long)v;
	/* opened before any failure: its fsync must see the errseq's EIO */
	old_fd = open(argv[1], O_RDWR);
	dfd = open(argv[1], O_WRONLY | O_DIRECT);
	if (old_fd < 0 || dfd < 0) {
		perror(argv[1]);
		return 2;
	}
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, old_fd, 0);
	if (m == MAP_FAILED || posix_memalign(&buf, PAGE, PAGE)) {
		perror("mmap");
		return 2;
	}
	memset(buf, 'D', PAGE);
	snprintf(writer_stat, sizeof(writer_stat), "/proc/self/task/%d/stat", (int)getpid());
	if (pthread_create(&th, NULL, dirtier, m)) {
		fprintf(stderr, "mmaprace: cannot start the dirtying thread\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		/* EIO here is an earlier write's stale page cache: expected */
		if (i % 2 == 0 && clean_page(dfd) && errno != EIO) {
			perror("fdatasync");
			return 2;
		}
		atomic_fetch_add(&writes_begun, 1);
		if (pwrite(dfd, buf, PAGE, 0) != PAGE)
			shorts++;
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	munmap(m, PAGE);
	close(dfd);
	printf("writes=%ld short=%ld fsync_old=%s", n, shorts, fsync_result(old_fd));
	new_fd = open(argv[1], O_RDWR);
	printf(" fsync_new=%s\n", new_fd < 0 ? "open failed" : fsync_result(new_fd));
	return shorts ? 1 : 0;
}
