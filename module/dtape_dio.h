/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dtape_dio.h - the user side of one transfer: pin, copy, mark dirty, unpin.
 *
 * dtape_dio.c does the four steps; dtape_rw.c calls them for a synchronous
 * call, dtape_iter.c and dtape_queue.c for a queued request.
 */
#ifndef DTAPE_DIO_H
#define DTAPE_DIO_H

#include <linux/types.h>

#include "dtape_abi.h"

struct dtape_drive;
struct dtape_medium;
struct page;

/*
 * One transfer, made from a user address and length: by
 * dtape_xfer_prepare() for a synchronous call (pinned, or copied into the
 * bounce buffer), by dtape_xfer_pin() for a queued request (always
 * pinned). read_iter and write_iter hand each iov_iter segment's address
 * to one of them.
 */
struct dtape_xfer {
	struct dtape_drive *drive;
	unsigned long uaddr;
	size_t len;
	bool to_medium;		/* write(): user memory to tape */
	enum dtape_path path;
	struct page **pages;	/* direct and legacy paths */
	unsigned int nr_pages;
	unsigned int page_offset;	/* of the data in pages[0] */
};

int dtape_xfer_check(unsigned long uaddr, bool odirect);
/* Step 1, pin (or copy in): for a synchronous call, and for a queued one. */
int dtape_xfer_prepare(struct dtape_xfer *x, struct dtape_drive *drive,
		       unsigned long uaddr, size_t len, bool to_medium,
		       bool odirect);
int dtape_xfer_pin(struct dtape_xfer *x, struct dtape_drive *drive,
		   unsigned long uaddr, size_t len, bool to_medium,
		   bool odirect);
/* Step 2, copy: x->len bytes, at byte @offset of the tape (block @block). */
void dtape_xfer_copy(struct dtape_xfer *x, struct dtape_medium *m,
		     u64 offset, u64 block);
/* Steps 3 and 4, mark dirty and unpin, once the transfer returns @result. */
int dtape_xfer_done(struct dtape_xfer *x, ssize_t result);

/*
 * The buffered path's kernel buffer. Its copy from or to user memory is
 * the one copy the direct path saves; debugfs times the copy from user
 * memory alone (user_copy_bound).
 */
struct dtape_bounce {
	struct page **pages;
	unsigned int nr_pages;
};

int dtape_bounce_reserve(struct dtape_bounce *b, size_t len);
int dtape_bounce_copy_user(struct dtape_bounce *b, unsigned long uaddr,
			   size_t len, bool from_user);
void dtape_bounce_free(struct dtape_bounce *b);

#endif /* DTAPE_DIO_H */
