/* SPDX-License-Identifier: GPL-2.0 */
/* Lab 04's teaching driver: what each of its files gives the others. */
#ifndef DLAB_H
#define DLAB_H

#include <linux/atomic.h>
#include <linux/sysfs.h>
#include <linux/types.h>

struct page;

/* The medium: a RAM "disk" of 1 MiB, read and written at the file position. */
#define DLAB_MEDIUM_SIZE (1024 * 1024)

/* What the driver did to user memory, in /sys/class/misc/dlab/stats/. */
struct dlab_stats {
	atomic64_t pages_pinned;	/* pin_user_pages_fast() */
	atomic64_t pages_unpinned;	/* unpin_user_pages_dirty_lock() */
	atomic64_t refs_taken;		/* get_user_pages() */
	atomic64_t refs_dropped;	/* put_page() */
	atomic64_t pages_dirtied;	/* marked dirty on release */
	atomic64_t short_pins;		/* fewer pages than asked for */
};

extern struct dlab_stats dlab_stats;
extern bool dlab_legacy;
extern const struct attribute_group *dlab_groups[];

/* dlab_xfer.c: one read() or write() */
ssize_t dlab_xfer(unsigned long uaddr, size_t len, loff_t pos, bool to_user);

/* dlab_pin.c: part 1, the modern protocol */
long dlab_pin_pages(unsigned long start, unsigned int nr_pages, bool to_user,
		    struct page **pages);
void dlab_unpin_pages(struct page **pages, unsigned int nr_pages, bool dirty);

/* dlab_gup.c: part 2, the seed's protocol on today's API */
long dlab_get_pages(unsigned long start, unsigned int nr_pages, bool to_user,
		    struct page **pages);
void dlab_put_pages(struct page **pages, unsigned int nr_pages, bool dirty);

/* dlab_medium.c: the RAM medium and the copy to or from user pages */
int dlab_medium_init(void);
void dlab_medium_exit(void);
void dlab_medium_copy(struct page **pages, unsigned int offset, size_t len,
		      loff_t pos, bool to_user);

#endif
