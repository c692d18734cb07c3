// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_dio.c - moving a record between user memory and the tape.
 *
 * Every transfer takes four steps, and this file has them in that order:
 *
 *   1. pin         Get hold of the user's pages so that they stay put.
 *                  The direct path pins them, pin_user_pages_fast()
 *                  (FOLL_PIN); the legacy path is the seed's protocol, LDD3
 *                  ch. 15, on today's API: get_user_pages() under the mmap
 *                  lock (FOLL_GET). Where a synchronous call cannot pin,
 *                  it copies through a kernel bounce buffer instead, as st
 *                  does: the buffered path.
 *   2. copy        Once, between those pages and the tape.
 *   3. mark dirty  A read wrote into the user's pages behind the page
 *                  tables' back, so the kernel must be told they are dirty,
 *                  or reclaim could throw the data away.
 *   4. unpin       Let the pages go.
 *
 * A synchronous call takes all four steps while the caller waits
 * (dtape_rw.c). A queued request pins in the caller's context
 * (dtape_iter.c) and takes the other three in the drive's thread
 * (dtape_queue.c), which is why the steps are separate functions.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "dtape.h"
#include "dtape_trace.h"

/*
 * noinline below: diotrace finds these steps by name (bpf/steps.def), and
 * a function folded into its caller has no entry to probe.
 */

/* Before step 1: direct or buffered, by st's rule. */

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

static unsigned int dtape_nr_pages(unsigned long uaddr, size_t len)
{
	return DIV_ROUND_UP(offset_in_page(uaddr) + len, PAGE_SIZE);
}

/* x->path could not be used: count it, and say why. */
static noinline void dtape_note_fallback(struct dtape_xfer *x,
					 enum dtape_fallback why)
{
	atomic64_inc(&x->drive->stats.fallbacks[why]);
	trace_dtape_fallback(x->drive->index, x->uaddr, x->len,
			     dtape_nr_pages(x->uaddr, x->len), x->path,
			     x->to_medium, why);
}

/* Direct when the buffer meets the device's DMA alignment. */
static int dtape_choose_path(struct dtape_xfer *x, bool strict)
{
	int mode = READ_ONCE(dtape_mode);

	if (mode == DTAPE_MODE_BUFFERED && !strict) {
		x->path = DTAPE_PATH_BUFFERED;
		return 0;
	}
	x->path = mode == DTAPE_MODE_LEGACY ? DTAPE_PATH_LEGACY :
					       DTAPE_PATH_DIRECT;
	if (dtape_aligned(x->uaddr))
		return 0;
	if (strict)
		return -EINVAL;
	dtape_note_fallback(x, DTAPE_FALLBACK_MISALIGNED);
	x->path = DTAPE_PATH_BUFFERED;
	return 0;
}

/* Step 1: pin. */

/* Steps 3 and 4, below: a partial pin is let go at once. */
static void dtape_release_user(struct dtape_xfer *x, struct page **pages,
			       unsigned int nr_pages, bool dirty);

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

/*
 * Take every page of the buffer or none: a partial result is let go at
 * once, as st does, and @why says what went wrong.
 */
static noinline int dtape_pin_user(struct dtape_xfer *x,
				   enum dtape_fallback *why)
{
	struct dtape_stats *stats = &x->drive->stats;
	unsigned int nr_pages = dtape_nr_pages(x->uaddr, x->len);
	/* read() makes the device write into user memory. */
	unsigned int gup_flags = x->to_medium ? 0 : FOLL_WRITE;
	unsigned long start = x->uaddr & PAGE_MASK;
	struct page **pages;
	long got;

	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		*why = DTAPE_FALLBACK_NOMEM;
		return -ENOMEM;
	}
	if (x->path == DTAPE_PATH_LEGACY)
		got = dtape_legacy_get_pages(start, nr_pages, gup_flags, pages);
	else
		got = pin_user_pages_fast(start, nr_pages, gup_flags, pages);
	trace_dtape_pin(x->drive->index, x->uaddr, x->len, nr_pages, x->path,
			x->to_medium, got);
	if (got > 0)
		atomic64_add(got, x->path == DTAPE_PATH_LEGACY ?
				  &stats->legacy_refs_taken :
				  &stats->pages_pinned);
	if (got == nr_pages) {
		x->pages = pages;
		x->nr_pages = nr_pages;
		return 0;
	}
	if (got > 0) {
		dtape_release_user(x, pages, got, false);
		*why = DTAPE_FALLBACK_PIN_PARTIAL;
	} else {
		*why = DTAPE_FALLBACK_PIN_ERROR;
	}
	kvfree(pages);
	return got < 0 ? got : -EFAULT;
}

/* The buffered path's step 1: the bounce buffer, and the copy into it. */

void dtape_bounce_free(struct dtape_bounce *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_pages; i++)
		__free_page(b->pages[i]);
	kvfree(b->pages);
	b->pages = NULL;
	b->nr_pages = 0;
}

/*
 * The bounce buffer grows to the largest record. Like st's buffer it is a
 * set of single pages, so a big record needs no high-order allocation,
 * and both of its copies use the same page-by-page routine as the direct
 * path.
 */
int dtape_bounce_reserve(struct dtape_bounce *b, size_t len)
{
	unsigned int nr_pages = DIV_ROUND_UP(len, PAGE_SIZE);
	struct page **pages;

	if (b->nr_pages >= nr_pages)
		return 0;
	pages = kvcalloc(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (b->nr_pages)
		memcpy(pages, b->pages, b->nr_pages * sizeof(*pages));
	kvfree(b->pages);
	b->pages = pages;
	while (b->nr_pages < nr_pages) {
		pages[b->nr_pages] = alloc_page(GFP_KERNEL);
		if (!pages[b->nr_pages])
			return -ENOMEM;
		b->nr_pages++;
	}
	return 0;
}

/* Between user memory and the bounce pages; either copy may fault. */
noinline int dtape_bounce_copy_user(struct dtape_bounce *b, unsigned long uaddr,
				    size_t len, bool from_user)
{
	unsigned int i;

	for (i = 0; len; i++) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE);
		void *kaddr = kmap_local_page(b->pages[i]);
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

/*
 * Step 1 for a synchronous call. A write's data is fully in the kernel's
 * hands (pinned or copied) when this returns, so the tape is never
 * touched by a transfer that faults.
 */
int dtape_xfer_prepare(struct dtape_xfer *x, struct dtape_drive *drive,
		       unsigned long uaddr, size_t len, bool to_medium,
		       bool odirect)
{
	bool strict = dtape_strict_direct(odirect);
	enum dtape_fallback why;
	int err;

	*x = (struct dtape_xfer) {
		.drive = drive,
		.uaddr = uaddr,
		.len = len,
		.to_medium = to_medium,
		.page_offset = offset_in_page(uaddr),
	};
	err = dtape_choose_path(x, strict);
	if (err)
		return err;
	if (x->path != DTAPE_PATH_BUFFERED) {
		err = dtape_pin_user(x, &why);
		if (!err || strict)
			return err;
		dtape_note_fallback(x, why);
		x->path = DTAPE_PATH_BUFFERED;
	}
	err = dtape_bounce_reserve(&drive->bounce, len);
	if (err)
		return err;
	if (to_medium)
		return dtape_bounce_copy_user(&drive->bounce, uaddr, len, true);
	return 0;
}

/*
 * Step 1 for a queued request. It outlives the call, and pinned pages are
 * the only hold on user memory that survives the call, so it is pinned
 * whatever the mode says (legacy mode takes page references) and never
 * copied through the bounce buffer, which serves one call at a time. A
 * buffer that will not pin is counted and traced as a synchronous call's
 * is, but with no bounce buffer to fall back to, the request fails.
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
	err = dtape_pin_user(x, &why);
	if (err && !dtape_strict_direct(odirect))
		dtape_note_fallback(x, why);
	return err;
}

/* Step 2: copy. */

void dtape_xfer_copy(struct dtape_xfer *x, struct dtape_medium *m,
		     u64 offset, u64 block)
{
	if (x->path == DTAPE_PATH_BUFFERED)
		dtape_medium_copy_pages(m, offset, x->drive->bounce.pages, 0,
					x->len, x->to_medium);
	else
		dtape_medium_copy_pages(m, offset, x->pages, x->page_offset,
					x->len, x->to_medium);
	trace_dtape_transfer(x->drive->index, x->uaddr, x->len, x->nr_pages,
			     x->path, x->to_medium, block);
}

/* Steps 3 and 4: mark dirty, unpin. */

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

/* Mark the pages dirty if asked to, then let them go. */
static void dtape_release_user(struct dtape_xfer *x, struct page **pages,
			       unsigned int nr_pages, bool dirty)
{
	struct dtape_stats *stats = &x->drive->stats;

	if (x->path == DTAPE_PATH_LEGACY) {
		dtape_legacy_put_pages(pages, nr_pages, dirty);
		atomic64_add(nr_pages, &stats->legacy_refs_dropped);
	} else {
		unpin_user_pages_dirty_lock(pages, nr_pages, dirty);
		atomic64_add(nr_pages, &stats->pages_unpinned);
	}
	trace_dtape_unpin(x->drive->index, x->uaddr, x->len, nr_pages,
			  x->path, x->to_medium, dirty);
}

/*
 * The end of every transfer, whichever path it took and whoever started
 * it, once it knows its @result (bytes, or -errno). Returns 0, or -EFAULT
 * if a buffered read's copy out faults.
 */
int dtape_xfer_done(struct dtape_xfer *x, ssize_t result)
{
	/* Only a read that delivered data wrote into the user's pages. */
	bool dirty = !x->to_medium && result > 0;

	if (x->path == DTAPE_PATH_BUFFERED) {
		/* The second copy: the CPU's own stores dirty the pages. */
		if (!dirty)
			return 0;
		return dtape_bounce_copy_user(&x->drive->bounce, x->uaddr,
					      x->len, false);
	}
	dtape_release_user(x, x->pages, x->nr_pages, dirty);
	kvfree(x->pages);
	x->pages = NULL;
	return 0;
}
