// SPDX-License-Identifier: GPL-2.0
/*
 * Part 2, the seed's protocol (LDD3 ch. 15) on today's API: plain page
 * references, which nothing tells from any other reference to the page.
 */
#include <linux/mm.h>
#include <linux/version.h>

#include "dlab.h"

long dlab_get_pages(unsigned long start, unsigned int nr_pages, bool to_user,
		    struct page **pages)
{
	long got = -EFAULT;

	/* TODO 7: get_user_pages() under mmap_read_lock(), FOLL_WRITE on a read */
	mmap_read_lock(current->mm);
#if KERNEL_VERSION(6, 5, 0) > LINUX_VERSION_CODE
	got = get_user_pages(start, nr_pages, to_user ? FOLL_WRITE : 0, pages, NULL);
#else
	got = get_user_pages(start, nr_pages, to_user ? FOLL_WRITE : 0, pages);
#endif
	mmap_read_unlock(current->mm);
	if (got > 0)
		atomic64_add(got, &dlab_stats.refs_taken);
	return got;
}

void dlab_put_pages(struct page **pages, unsigned int nr_pages, bool dirty)
{
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		/* TODO 3: mark the page dirty when @dirty, then drop the reference */
		if (dirty)
			set_page_dirty_lock(pages[i]);
		put_page(pages[i]);
	}
	atomic64_add(nr_pages, &dlab_stats.refs_dropped);
	if (dirty)
		atomic64_add(nr_pages, &dlab_stats.pages_dirtied);
}
