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
#include <unistd.h>
#include "lib/numarg.h"

#define PAGE 4096

static atomic_int stop;

static void *dirtier(void *arg)
{
	volatile char *m = arg;
	unsigned char c = 0;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		m[c % PAGE] = (char)c;
		c++;
	}
	return NULL;
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
	if (pthread_create(&th, NULL, dirtier, m)) {
		fprintf(stderr, "mmaprace: cannot start the dirtying thread\n");
		return 2;
	}
	for (long i = 0; i < n; i++)
		if (pwrite(dfd, buf, PAGE, 0) != PAGE)
			shorts++;
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	munmap(m, PAGE);
	close(dfd);
	printf("writes=%ld short=%ld fsync_old=%s", n, shorts, fsync_result(old_fd));
	new_fd = open(argv[1], O_RDWR);
	printf(" fsync_new=%s\n", new_fd < 0 ? "open failed" : fsync_result(new_fd));
	return shorts ? 1 : 0;
}
