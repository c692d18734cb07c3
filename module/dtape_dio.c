// SPDX-License-Identifier: GPL-2.0
/*
 * Moving data between user memory and the tape.
 *
 * The direct path pins the user pages (FOLL_PIN) and copies once, between
 * them and the tape. The legacy path is the seed's protocol, LDD3 ch. 15,
 * on today's API: get_user_pages() under the mmap lock, then
 * set_page_dirty_lock() and put_page(). The buffered path copies through a
 * kernel bounce buffer, the two copies of a tape driver that buffers.
 *
 * Pinning and copying are separate steps so that read_iter/write_iter
 * can pin pages up front and copy later.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "dtape.h"
#include "dtape_trace.h"

static unsigned int dtape_nr_pages(unsigned long uaddr, size_t len)
{
	return DIV_ROUND_UP(offset_in_page(uaddr) + len, PAGE_SIZE);
}

/*
 * noinline here and below: diotrace finds these steps by name
 * (bpf/steps.def), and a function folded into its caller has no entry to
 * probe.
 */
static noinline long dtape_legacy_get_pages(unsigned long start,
					    unsigned int nr_pages,
					    unsigned int gup_flags,
					    struct page **pages)
{
	long got;

	mmap_read_lock(current->mm);
#if KERNEL_VERSION(6, 5, 0) > LINUX_VERSION_CODE
	got = get_user_pages(start, nr_pages, gup_flags, pages, NULL);
#else
	/* 6.5 dropped the vmas array: it was stale once the lock was gone. */
	got = get_user_pages(start, nr_pages, gup_flags, pages);
#endif
	mmap_read_unlock(current->mm);
	return got;
}

static void dtape_legacy_put_pages(struct page **pages, unsigned int nr_pages,
				   bool dirty)
{
	unsigned int i;

	for (i = 0; i < nr_pages; i++) {
		/* Without this, reclaim could drop what the device wrote. */
		if (dirty)
			set_page_dirty_lock(pages[i]);
		put_page(pages[i]);
	}
}

void dtape_release_user(struct dtape_drive *drive, unsigned long uaddr,
			size_t len, struct page **pages, unsigned int nr_pages,
			enum dtape_path path, bool dirty)
{
	if (path == DTAPE_PATH_LEGACY) {
		dtape_legacy_put_pages(pages, nr_pages, dirty);
		atomic64_add(nr_pages, &drive->stats.legacy_refs_dropped);
	} else {
		unpin_user_pages_dirty_lock(pages, nr_pages, dirty);
		atomic64_add(nr_pages, &drive->stats.pages_unpinned);
	}
	trace_dtape_unpin(drive->index, uaddr, len, nr_pages, path, dirty);
}

/*
 * Take every page of [uaddr, uaddr + len) or none: a partial result is
 * released at once, as st does, and reported through @why.
 */
noinline int dtape_pin_user(struct dtape_drive *drive, unsigned long uaddr,
			    size_t len, bool to_medium, enum dtape_path path,
			    struct page ***pagesp, unsigned int *nr_pagesp,
			    enum dtape_fallback *why)
{
	unsigned int nr_pages = dtape_nr_pages(uaddr, len);
	/* read() makes the device write into user memory. */
	unsigned int gup_flags = to_medium ? 0 : FOLL_WRITE;
	unsigned long start = uaddr & PAGE_MASK;
	struct page **pages;
	long got;
	int err;

	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		*why = DTAPE_FALLBACK_NOMEM;
		return -ENOMEM;
	}
	if (path == DTAPE_PATH_LEGACY)
		got = dtape_legacy_get_pages(start, nr_pages, gup_flags, pages);
	else
		got = pin_user_pages_fast(start, nr_pages, gup_flags, pages);
	trace_dtape_pin(drive->index, uaddr, len, nr_pages, got, path,
			to_medium);
	if (got > 0)
		atomic64_add(got, path == DTAPE_PATH_LEGACY ?
				  &drive->stats.legacy_refs_taken :
				  &drive->stats.pages_pinned);
	if (got == nr_pages) {
		*pagesp = pages;
		*nr_pagesp = nr_pages;
		return 0;
	}
	if (got > 0) {
		dtape_release_user(drive, uaddr, len, pages, got, path, false);
		*why = DTAPE_FALLBACK_PIN_PARTIAL;
		err = -EFAULT;
	} else {
		*why = DTAPE_FALLBACK_PIN_ERROR;
		err = got ? got : -EFAULT;
	}
	kvfree(pages);
	return err;
}

void dtape_bounce_free(struct dtape_drive *drive)
{
	unsigned int i;

	for (i = 0; i < drive->bounce_nr_pages; i++)
		__free_page(drive->bounce_pages[i]);
	kvfree(drive->bounce_pages);
	drive->bounce_pages = NULL;
	drive->bounce_nr_pages = 0;
}

/*
 * The bounce buffer grows to the largest record. Like st's buffer it is a
 * set of single pages, so a big record needs no high-order allocation,
 * and both of its copies use the same page-by-page routine as the direct
 * path.
 */
static int dtape_bounce_reserve(struct dtape_drive *drive, size_t len)
{
	unsigned int nr_pages = DIV_ROUND_UP(len, PAGE_SIZE);
	struct page **pages;

	if (drive->bounce_nr_pages >= nr_pages)
		return 0;
	pages = kvcalloc(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (drive->bounce_nr_pages)
		memcpy(pages, drive->bounce_pages,
		       drive->bounce_nr_pages * sizeof(*pages));
	kvfree(drive->bounce_pages);
	drive->bounce_pages = pages;
	while (drive->bounce_nr_pages < nr_pages) {
		pages[drive->bounce_nr_pages] = alloc_page(GFP_KERNEL);
		if (!pages[drive->bounce_nr_pages])
			return -ENOMEM;
		drive->bounce_nr_pages++;
	}
	return 0;
}

/* Between user memory and the bounce pages; either copy may fault. */
static noinline int dtape_bounce_copy_user(struct dtape_drive *drive,
					   unsigned long uaddr, size_t len,
					   bool from_user)
{
	unsigned int i;

	for (i = 0; len; i++) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE);
		void *kaddr = kmap_local_page(drive->bounce_pages[i]);
		unsigned long left;

		if (from_user)
			left = copy_from_user(kaddr, (const void __user *)uaddr,
					      chunk);
		else
			left = copy_to_user((void __user *)uaddr, kaddr, chunk);
		kunmap_local(kaddr);
		if (left)
			return -EFAULT;
		uaddr += chunk;
		len -= chunk;
	}
	return 0;
}

static noinline void dtape_note_fallback(struct dtape_xfer *x,
					 enum dtape_fallback why)
{
	atomic64_inc(&x->drive->stats.fallbacks[why]);
	trace_dtape_fallback(x->drive->index, x->uaddr, x->len, why,
			     x->to_medium);
}

static bool dtape_strict_direct(bool odirect)
{
	return odirect || READ_ONCE(dtape_mode) == DTAPE_MODE_DIRECT;
}

static bool dtape_aligned(unsigned long uaddr)
{
	return IS_ALIGNED(uaddr, READ_ONCE(dtape_dma_alignment));
}

/*
 * O_DIRECT and mode=direct make st's alignment rule a requirement, the
 * way a filesystem treats O_DIRECT: direct or EINVAL, never a silent
 * copy. Like a filesystem, refuse before anything else is looked at.
 */
int dtape_xfer_check(unsigned long uaddr, bool odirect)
{
	if (dtape_strict_direct(odirect) && !dtape_aligned(uaddr))
		return -EINVAL;
	return 0;
}

/* st's rule: go direct when the buffer meets the device's DMA alignment. */
static int dtape_choose_path(struct dtape_xfer *x, bool odirect, bool *strict)
{
	int mode = READ_ONCE(dtape_mode);
	bool aligned = dtape_aligned(x->uaddr);
	enum dtape_path zero_copy = mode == DTAPE_MODE_LEGACY ?
				    DTAPE_PATH_LEGACY : DTAPE_PATH_DIRECT;

	*strict = dtape_strict_direct(odirect);
	if (*strict) {
		if (!aligned)
			return -EINVAL;
		x->path = zero_copy;
		return 0;
	}
	if (mode == DTAPE_MODE_BUFFERED) {
		x->path = DTAPE_PATH_BUFFERED;
		return 0;
	}
	if (!aligned) {
		dtape_note_fallback(x, DTAPE_FALLBACK_MISALIGNED);
		x->path = DTAPE_PATH_BUFFERED;
		return 0;
	}
	x->path = zero_copy;
	return 0;
}

/*
 * Get the user side of a transfer ready. A write's data is fully in
 * the kernel's hands (pinned or copied) when this returns, so the tape is
 * never touched by a transfer that faults.
 */
int dtape_xfer_prepare(struct dtape_xfer *x, struct dtape_drive *drive,
		       unsigned long uaddr, size_t len, bool to_medium,
		       bool odirect)
{
	enum dtape_fallback why;
	bool strict;
	int err;

	*x = (struct dtape_xfer) {
		.drive = drive,
		.uaddr = uaddr,
		.len = len,
		.to_medium = to_medium,
		.page_offset = offset_in_page(uaddr),
	};
	err = dtape_choose_path(x, odirect, &strict);
	if (err)
		return err;
	if (x->path != DTAPE_PATH_BUFFERED) {
		err = dtape_pin_user(drive, uaddr, len, to_medium, x->path,
				     &x->pages, &x->nr_pages, &why);
		if (!err || strict)
			return err;
		dtape_note_fallback(x, why);
		x->path = DTAPE_PATH_BUFFERED;
	}
	err = dtape_bounce_reserve(drive, len);
	if (err)
		return err;
	if (to_medium)
		return dtape_bounce_copy_user(drive, uaddr, len, true);
	return 0;
}

void dtape_xfer_copy(struct dtape_xfer *x, struct dtape_medium *m,
		     u64 offset, u64 block)
{
	if (x->path == DTAPE_PATH_BUFFERED)
		dtape_medium_copy_pages(m, offset, x->drive->bounce_pages, 0,
					x->len, x->to_medium);
	else
		dtape_medium_copy_pages(m, offset, x->pages, x->page_offset,
					x->len, x->to_medium);
	trace_dtape_transfer(x->drive->index, x->uaddr, x->len, x->nr_pages,
			     x->path, x->to_medium, block);
}

static void dtape_xfer_release(struct dtape_xfer *x, bool dirty)
{
	if (!x->pages)
		return;
	dtape_release_user(x->drive, x->uaddr, x->len, x->pages, x->nr_pages,
			   x->path, dirty);
	kvfree(x->pages);
	x->pages = NULL;
}

/* For a buffered read this is the second copy, and it can still fault. */
int dtape_xfer_finish(struct dtape_xfer *x)
{
	if (x->path == DTAPE_PATH_BUFFERED) {
		if (x->to_medium)
			return 0;
		return dtape_bounce_copy_user(x->drive, x->uaddr, x->len,
					      false);
	}
	dtape_xfer_release(x, !x->to_medium);
	return 0;
}

/*
 * The user side of a queued request. It outlives the call, and pinned
 * pages are the only hold on user memory that survives the call, so it is
 * pinned whatever the mode says (legacy mode takes page references) and
 * never copied through the bounce buffer, which serves one call at a time.
 */
int dtape_xfer_pin(struct dtape_xfer *x, struct dtape_drive *drive,
		   unsigned long uaddr, size_t len, bool to_medium,
		   bool odirect)
{
	enum dtape_fallback why;
	int err;

	err = dtape_xfer_check(uaddr, odirect);
	if (err)
		return err;
	*x = (struct dtape_xfer) {
		.drive = drive,
		.uaddr = uaddr,
		.len = len,
		.to_medium = to_medium,
		.page_offset = offset_in_page(uaddr),
		.path = READ_ONCE(dtape_mode) == DTAPE_MODE_LEGACY ?
			DTAPE_PATH_LEGACY : DTAPE_PATH_DIRECT,
	};
	return dtape_pin_user(drive, uaddr, len, to_medium, x->path, &x->pages,
			      &x->nr_pages, &why);
}

/* A queued read that delivered data dirtied its pages. */
void dtape_xfer_end(struct dtape_xfer *x, ssize_t result)
{
	dtape_xfer_release(x, !x->to_medium && result > 0);
}

void dtape_xfer_abort(struct dtape_xfer *x)
{
	dtape_xfer_release(x, false);
}
