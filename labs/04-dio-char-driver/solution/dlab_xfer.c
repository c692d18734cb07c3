// SPDX-License-Identifier: GPL-2.0
/*
 * One read() or write(): take the caller's pages, copy between them and
 * the medium, give them back. Every page or none, as st does: a short pin
 * is given back at once and the call fails.
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "dlab.h"

static void dlab_give_back(struct page **pages, unsigned int nr_pages,
			   bool dirty, bool legacy)
{
	if (legacy)
		dlab_put_pages(pages, nr_pages, dirty);
	else
		dlab_unpin_pages(pages, nr_pages, dirty);
}

ssize_t dlab_xfer(unsigned long uaddr, size_t len, loff_t pos, bool to_user)
{
	unsigned int offset = offset_in_page(uaddr);
	unsigned int nr_pages = DIV_ROUND_UP(offset + len, PAGE_SIZE);
	/* Read once: the pages go back the way they were taken. */
	bool legacy = READ_ONCE(dlab_legacy);
	struct page **pages;
	bool dirty = false;
	ssize_t ret;
	long got;

	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (legacy)
		got = dlab_get_pages(uaddr & PAGE_MASK, nr_pages, to_user, pages);
	else
		got = dlab_pin_pages(uaddr & PAGE_MASK, nr_pages, to_user, pages);
	if (got != nr_pages) {
		atomic64_inc(&dlab_stats.short_pins);
		/* TODO 2: a short pin: give back the pages you did get (clean) */
		if (got > 0)
			dlab_give_back(pages, got, false, legacy);
		ret = got < 0 ? got : -EFAULT;
		goto out;
	}
	dlab_medium_copy(pages, offset, len, pos, to_user);
	ret = len;
	/* TODO 1: should the pages be marked dirty as they go back? */
	dirty = to_user;
	dlab_give_back(pages, nr_pages, dirty, legacy);
out:
	kvfree(pages);
	return ret;
}
