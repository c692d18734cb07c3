// SPDX-License-Identifier: GPL-2.0
/*
 * The medium, and the one copy of a direct transfer: between it and the
 * caller's own pages, each mapped into the kernel for the moment it takes.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "dlab.h"

static u8 *dlab_medium;

int dlab_medium_init(void)
{
	dlab_medium = vzalloc(DLAB_MEDIUM_SIZE);
	return dlab_medium ? 0 : -ENOMEM;
}

void dlab_medium_exit(void)
{
	vfree(dlab_medium);
}

/* @offset: where the data starts in pages[0]. */
void dlab_medium_copy(struct page **pages, unsigned int offset, size_t len,
		      loff_t pos, bool to_user)
{
	unsigned int i;

	for (i = 0; len; i++) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset);
		/* TODO 7: map pages[i]; copy chunk bytes at offset, to or from dlab_medium + pos */
		u8 *kaddr = kmap_local_page(pages[i]);

		if (to_user)
			memcpy(kaddr + offset, dlab_medium + pos, chunk);
		else
			memcpy(dlab_medium + pos, kaddr + offset, chunk);
		kunmap_local(kaddr);

		pos += chunk;
		len -= chunk;
		offset = 0;
	}
}
