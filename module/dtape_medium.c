// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_medium.c - the tape in RAM: records, filemarks and their data.
 *
 * A list of records and filemarks plus one byte stream that holds the
 * records' data. Both grow on demand, so a large, mostly empty tape costs
 * little memory.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "dtape.h"

#define DTAPE_CHUNK_ENTRIES	(PAGE_SIZE / sizeof(struct dtape_entry))

int dtape_medium_init(struct dtape_medium *m, u64 capacity, u64 early_warning)
{
	if (early_warning >= capacity)
		return -EINVAL;
	xa_init(&m->chunks);
	xa_init(&m->pages);
	m->nr_entries = 0;
	m->pages_ready = 0;
	m->capacity = capacity;
	m->early_warning = early_warning;
	return 0;
}

void dtape_medium_release(struct dtape_medium *m)
{
	struct dtape_entry *chunk;
	struct page *page;
	unsigned long index;

	xa_for_each(&m->chunks, index, chunk)
		kfree(chunk);
	xa_destroy(&m->chunks);
	xa_for_each(&m->pages, index, page)
		__free_page(page);
	xa_destroy(&m->pages);
	m->nr_entries = 0;
	m->pages_ready = 0;
}

static struct dtape_entry *dtape_entry(struct dtape_medium *m, u64 block)
{
	struct dtape_entry *chunk = xa_load(&m->chunks,
					    block / DTAPE_CHUNK_ENTRIES);

	return &chunk[block % DTAPE_CHUNK_ENTRIES];
}

u64 dtape_medium_data_start(struct dtape_medium *m, u64 block)
{
	return block ? dtape_entry(m, block - 1)->data_end : 0;
}

u64 dtape_medium_used(struct dtape_medium *m, u64 block)
{
	return dtape_medium_data_start(m, block) + block * DTAPE_GAP_BYTES;
}

bool dtape_medium_extent(struct dtape_medium *m, u64 block,
			 struct dtape_extent *ext)
{
	struct dtape_entry *e;

	if (block >= m->nr_entries)
		return false;
	e = dtape_entry(m, block);
	ext->start = dtape_medium_data_start(m, block);
	ext->len = e->data_end - ext->start;
	ext->filemark = ext->len == 0;
	ext->file_records = e->file_records;
	return true;
}

/*
 * Allocate everything a write at @block needs before any of it is
 * committed, so that a failed write leaves the tape as it was.
 */
int dtape_medium_reserve(struct dtape_medium *m, u64 block,
			 u64 nr_entries, u64 data_len)
{
	u64 first_chunk = block / DTAPE_CHUNK_ENTRIES;
	u64 last_chunk = (block + nr_entries - 1) / DTAPE_CHUNK_ENTRIES;
	u64 start = dtape_medium_data_start(m, block);
	u64 first, last, index;
	int err;

	for (index = first_chunk; index <= last_chunk; index++) {
		struct dtape_entry *chunk;

		if (xa_load(&m->chunks, index))
			continue;
		chunk = kzalloc(PAGE_SIZE, GFP_KERNEL);
		if (!chunk)
			return -ENOMEM;
		err = xa_err(xa_store(&m->chunks, index, chunk, GFP_KERNEL));
		if (err) {
			kfree(chunk);
			return err;
		}
	}
	if (!data_len)
		return 0;
	first = start >> PAGE_SHIFT;
	last = (start + data_len - 1) >> PAGE_SHIFT;
	/*
	 * Pages below pages_ready need no lookup: a rewrite of a tape that
	 * has held this much data, the usual case, then costs nothing here
	 * instead of one xarray walk per page.
	 */
	for (index = max(first, m->pages_ready); index <= last; index++) {
		struct page *page;

		if (xa_load(&m->pages, index))
			continue;
		/* Zeroed so no stale kernel memory can ever reach a reader. */
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		err = xa_err(xa_store(&m->pages, index, page, GFP_KERNEL));
		if (err) {
			__free_page(page);
			return err;
		}
	}
	/* Only a range that joins the allocated prefix extends it. */
	if (first <= m->pages_ready)
		m->pages_ready = max(m->pages_ready, last + 1);
	return 0;
}

/*
 * Writing in the middle of a tape makes everything after it unreadable.
 * Memory past the new end stays allocated for the writes that follow.
 */
void dtape_medium_truncate(struct dtape_medium *m, u64 block)
{
	if (block < m->nr_entries)
		m->nr_entries = block;
}

void dtape_medium_append_records(struct dtape_medium *m, u64 block,
				 u64 nr_records, u64 record_len)
{
	u64 end = dtape_medium_data_start(m, block);
	u64 i;

	for (i = 0; i < nr_records; i++) {
		struct dtape_entry *e = dtape_entry(m, block + i);

		end += record_len;
		e->data_end = end;
		e->file_records = 0;
	}
	m->nr_entries = block + nr_records;
}

void dtape_medium_append_filemark(struct dtape_medium *m, u64 block,
				  u64 file_records)
{
	struct dtape_entry *e = dtape_entry(m, block);

	e->data_end = dtape_medium_data_start(m, block);
	e->file_records = file_records;
	m->nr_entries = block + 1;
}

static struct page *dtape_data_page(struct dtape_medium *m, u64 offset)
{
	return xa_load(&m->pages, offset >> PAGE_SHIFT);
}

/*
 * The single copy of the direct path: between the user's pinned pages
 * and the tape's pages, through short-lived local mappings.
 */
void dtape_medium_copy_pages(struct dtape_medium *m, u64 offset,
			     struct page **pages, size_t first_offset,
			     size_t len, bool to_medium)
{
	size_t user_offset = first_offset;

	while (len) {
		struct page *user_page = pages[user_offset >> PAGE_SHIFT];
		size_t user_in_page = offset_in_page(user_offset);
		size_t tape_in_page = offset_in_page(offset);
		size_t chunk = min3(len, PAGE_SIZE - user_in_page,
				    PAGE_SIZE - tape_in_page);
		void *user = kmap_local_page(user_page);
		void *tape = kmap_local_page(dtape_data_page(m, offset));

		if (to_medium) {
			memcpy(tape + tape_in_page, user + user_in_page, chunk);
		} else {
			memcpy(user + user_in_page, tape + tape_in_page, chunk);
			/* User space may see this page through another alias. */
			flush_dcache_page(user_page);
		}
		kunmap_local(tape);
		kunmap_local(user);
		user_offset += chunk;
		offset += chunk;
		len -= chunk;
	}
}
