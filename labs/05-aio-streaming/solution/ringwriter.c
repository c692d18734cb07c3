// SPDX-License-Identifier: GPL-2.0
/*
 * ringwriter: write COUNT records to a streaming tape with io_uring,
 * keeping DEPTH of them in flight, so that the drive's buffer never runs
 * dry while the program "thinks" about the next record.
 *
 *   ringwriter DEVICE DEPTH RECORD_BYTES COUNT THINK_US SEED
 *
 * Record n holds the kit's pattern for (SEED, n) (workloads/lib/pattern.h),
 * so `tapeio read` can check every record's content and order afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/pattern.h"

struct slot {
	unsigned char *buf;
	unsigned long long record;	/* what this buffer holds while in flight */
};

static void die(const char *what, int err)
{
	fprintf(stderr, "ringwriter: %s: %s\n", what, strerror(err));
	exit(1);
}

/* The application's own work between two records. */
static void think(unsigned int us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/* Fill a free slot with the next record and hand it to the kernel. */
static void submit_record(struct io_uring *ring, int fd, struct slot *s, size_t len,
			  unsigned long long seed, unsigned long long record)
{
	struct io_uring_sqe *sqe;
	int rc;

	pattern_fill(s->buf, len, seed, record);
	s->record = record;
	/* TODO 8: get an sqe, prepare a write of s->buf, remember s in it, submit */
	sqe = io_uring_get_sqe(ring);
	if (!sqe)
		die("io_uring_get_sqe", EBUSY);
	io_uring_prep_write(sqe, fd, s->buf, (unsigned int)len, 0);
	io_uring_sqe_set_data(sqe, s);
	rc = io_uring_submit(ring);
	if (rc != 1)
		die("io_uring_submit", rc < 0 ? -rc : EIO);
}

/* Wait for one completion; return the slot it frees (NULL: none). */
static struct slot *reap_one(struct io_uring *ring, size_t len)
{
	struct io_uring_cqe *cqe;
	struct slot *s = NULL;
	int rc;

	/* TODO 10: wait for a cqe, find its slot, fail on a short write, mark the cqe seen */
	rc = io_uring_wait_cqe(ring, &cqe);
	if (rc < 0)
		die("io_uring_wait_cqe", -rc);
	s = io_uring_cqe_get_data(cqe);
	if (cqe->res != (int)len) {
		fprintf(stderr, "ringwriter: record %llu: wrote %d of %zu bytes\n",
			s->record, cqe->res, len);
		exit(1);
	}
	io_uring_cqe_seen(ring, cqe);
	return s;
}

int main(int argc, char **argv)
{
	unsigned int depth, think_us, inflight = 0, nfree, *free_idx;
	unsigned long long count, seed, next = 0, done = 0;
	struct slot *slots;
	struct io_uring ring;
	size_t len;
	int fd, rc;

	if (argc != 7) {
		fputs("usage: ringwriter DEVICE DEPTH RECORD_BYTES COUNT THINK_US SEED\n",
		      stderr);
		return 2;
	}
	depth = (unsigned int)strtoul(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	count = strtoull(argv[4], NULL, 0);
	think_us = (unsigned int)strtoul(argv[5], NULL, 0);
	seed = strtoull(argv[6], NULL, 0);
	if (!depth || depth > 64 || !len || len % 4096) {
		fprintf(stderr, "ringwriter: DEPTH is 1 to 64, RECORD_BYTES a multiple of 4096\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0)
		die(argv[1], errno);
	slots = calloc(depth, sizeof(*slots));
	free_idx = calloc(depth, sizeof(*free_idx));
	if (!slots || !free_idx)
		die("calloc", ENOMEM);
	/* Page-aligned buffers, one per request in flight: dtape pins them. */
	for (unsigned int i = 0; i < depth; i++) {
		if (posix_memalign((void **)&slots[i].buf, 4096, len))
			die("posix_memalign", ENOMEM);
		free_idx[i] = i;
	}
	nfree = depth;

	/* TODO 3: set up a ring with room for DEPTH submissions */
	rc = io_uring_queue_init(depth, &ring, 0);
	if (rc < 0)
		die("io_uring_queue_init", -rc);

	/*
	 * The loop: keep DEPTH records queued, and only wait when the queue
	 * is full (or everything is submitted). Each wait frees one slot.
	 */
	while (done < count) {
		struct slot *s;

		/* TODO 5: while a slot is free and records remain: think, submit the next */
		while (nfree && next < count) {
			think(think_us);
			submit_record(&ring, fd, &slots[free_idx[--nfree]], len, seed, next++);
			inflight++;
		}
		s = reap_one(&ring, len);
		if (!s) {
			fprintf(stderr, "ringwriter: reap_one() returned no completion\n");
			exit(1);
		}
		free_idx[nfree++] = (unsigned int)(s - slots);
		inflight--;
		done++;
	}

	io_uring_queue_exit(&ring);
	close(fd);
	for (unsigned int i = 0; i < depth; i++)
		free(slots[i].buf);
	free(slots);
	free(free_idx);
	printf("ringwriter: %llu records of %zu bytes, up to %u in flight\n",
	       count, len, depth);
	return inflight ? 1 : 0;
}
