// SPDX-License-Identifier: GPL-2.0
/*
 * Part 1, the modern protocol: FOLL_PIN pins, which the kernel counts
 * (nr_foll_pin_acquired in /proc/vmstat) and can tell from any other page
 * reference, so that writeback and fork know a device may be using the page.
 */
#include <linux/mm.h>

#include "dlab.h"

/* Returns how many pages were pinned, or an errno. */
long dlab_pin_pages(unsigned long start, unsigned int nr_pages, bool to_user,
		    struct page **pages)
{
	long got = -EFAULT;

	/* TODO 1: pin the pages; on a read (to_user) the device writes into them */
	got = pin_user_pages_fast(start, nr_pages, to_user ? FOLL_WRITE : 0, pages);
	if (got > 0)
		atomic64_add(got, &dlab_stats.pages_pinned);
	return got;
}

void dlab_unpin_pages(struct page **pages, unsigned int nr_pages, bool dirty)
{
	/* TODO 1: unpin them, marking them dirty first when @dirty */
	unpin_user_pages_dirty_lock(pages, nr_pages, dirty);
	atomic64_add(nr_pages, &dlab_stats.pages_unpinned);
	if (dirty)
		atomic64_add(nr_pages, &dlab_stats.pages_dirtied);
}
