// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis of one finished tree: which path the syscall took (direct,
 * buffered, a fallback and why), how many pages were pinned or referenced,
 * what the page cache went through, and which expected steps never fired.
 * It fills the tree's fields and notes; renderers only print them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "analyze.h"
#include "dtape_ev.h"

#define IOCB_DIRECT_BIT (1u << 17)	/* same in every kernel since 4.x; used only without a file */

static void note(struct dt_tree *t, uint8_t kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct dt_tree *t, uint8_t kind, const char *fmt, ...)
{
	va_list ap;

	if (t->nnotes >= DT_MAX_NOTES)
		return;
	t->notes[t->nnotes].kind = kind;
	va_start(ap, fmt);
	vsnprintf(t->notes[t->nnotes].text, sizeof(t->notes[0].text), fmt, ap);
	va_end(ap);
	t->nnotes++;
}

struct scan {
	struct dt_ctx *c;
	struct dt_tree *t;
	bool seen[DT_STEP__N];
	struct dt_node *first[DT_STEP__N];
	int tp_count[DT_TP__N];
	uint64_t bios, bio_bytes, flush_bytes;
	uint64_t unmap_lo, unmap_n;
	bool unmap_seen;
	int64_t fat_ret;
	bool fat_seen;
	bool inval_busy;
	/* first node of each dtape tracepoint, indexed from DT_TP_DTAPE_SUBMIT */
	const struct dt_node *dtape[DT_TP_DTAPE_STALL - DT_TP_DTAPE_SUBMIT + 1];
};

static bool under_flush(const struct dt_node *n)
{
	for (const struct dt_node *p = n->parent; p; p = p->parent)
		if (p->kind == NODE_CALL &&
		    (p->ev.step == DT_FWWR || p->ev.step == DT_FDATAWRITE ||
		     p->ev.step == DT_KIOCB_WAW))
			return true;
	return false;
}

static void scan_node(struct scan *s, struct dt_node *n)
{
	for (; n; n = n->next) {
		if (n->kind == NODE_TP) {
			if (n->ev.step < DT_TP__N)
				s->tp_count[n->ev.step]++;
			if (dt_tp_is_dtape(n->ev.step) &&
			    !s->dtape[n->ev.step - DT_TP_DTAPE_SUBMIT])
				s->dtape[n->ev.step - DT_TP_DTAPE_SUBMIT] = n;
			if (n->ev.step == DT_TP_BIO_QUEUE) {
				if (under_flush(n))
					s->flush_bytes += n->ev.obj.bi_size;
				else {
					s->bios++;
					s->bio_bytes += n->ev.obj.bi_size;
				}
			}
		} else if (n->ev.step < DT_STEP__N) {
			unsigned st = n->ev.step;

			if (!s->seen[st])
				s->first[st] = n;
			s->seen[st] = true;
			switch (st) {
			case DT_SUBMIT_BIO:
			case DT_SUBMIT_BIO_WAIT:
				if (under_flush(n))
					s->flush_bytes += n->ev.obj.bi_size;
				else if (st == DT_SUBMIT_BIO || !s->seen[DT_SUBMIT_BIO]) {
					s->bios++;
					s->bio_bytes += n->ev.obj.bi_size;
				}
				break;
			case DT_GUP_FAST:
			case DT_PUP_FAST:
			case DT_GUP_SLOW:
			case DT_PUP_SLOW:
				if (n->exited && n->ret > 0) {
					s->t->pages_pinned += n->ret;
					if (st == DT_PUP_FAST || st == DT_PUP_SLOW)
						s->t->pages_foll_pin += n->ret;
					else
						s->t->pages_foll_get += n->ret;
				}
				break;
			case DT_FAT_DIRECT_IO:
				s->fat_seen = true;
				s->fat_ret = n->ret;
				break;
			case DT_INV2:
			case DT_KIOCB_INV:
			case DT_FILEMAP_INV:
				if (n->exited && n->ret == -EBUSY)
					s->inval_busy = true;
				break;
			case DT_UNMAP_PAGES:
				if (!s->unmap_seen) {
					s->unmap_lo = n->ev.args[1];
					s->unmap_n = n->ev.args[2];
				}
				s->unmap_seen = true;
				break;
			case DT_UNMAP_RANGE:
				if (!s->unmap_seen) {
					s->unmap_lo = n->ev.args[1] / s->c->page_size;
					s->unmap_n = (n->ev.args[2] + s->c->page_size - 1) /
						     s->c->page_size;
				}
				s->unmap_seen = true;
				break;
			default:
				break;
			}
		}
		scan_node(s, n->first);
	}
}

static bool any_seen(const struct scan *s, unsigned cat)
{
	for (unsigned i = 0; i < DT_STEP__N; i++)
		if (s->seen[i] && s->c->steps[i].cat == cat)
			return true;
	return false;
}

static void expect(struct scan *s, const char *what, const unsigned *cats, int ncats)
{
	char attached[160] = "";
	size_t o = 0;
	bool traceable = false;

	for (int k = 0; k < ncats; k++)
		if (any_seen(s, cats[k]))
			return;
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		const struct dt_stepinfo *si = &s->c->steps[i];
		bool incat = false;

		for (int k = 0; k < ncats; k++)
			incat |= si->cat == cats[k];
		if (!incat || si->method == M_NONE)
			continue;
		traceable = true;
		if (o < sizeof(attached) - 1)
			o += snprintf(attached + o, sizeof(attached) - o, "%s%s",
				      o ? "," : "", si->sym);
	}
	if (traceable)
		note(s->t, NOTE_MISSING, "expected step '%s' never fired (attached: %s): "
		     "this kernel took a path diotrace does not know", what, attached);
	else
		note(s->t, NOTE_MISSING, "expected step '%s' not traceable on this kernel "
		     "(see diotrace --list)", what);
}

static unsigned lowbit_align(uint64_t v)
{
	unsigned a = 1;

	if (!v)
		return 0;
	while (!(v & a) && a < (1u << 30))
		a <<= 1;
	return a;
}

/* What dtape's own tracepoints say about this syscall's records. */
static const struct dt_node *dtape_node(const struct scan *s, unsigned tp)
{
	return s->dtape[tp - DT_TP_DTAPE_SUBMIT];
}

static void dtape_notes(const struct scan *s, struct dt_tree *t)
{
	const struct dt_node *sub = dtape_node(s, DT_TP_DTAPE_SUBMIT);
	const struct dt_node *done = dtape_node(s, DT_TP_DTAPE_COMPLETE);
	const struct dt_node *stall = dtape_node(s, DT_TP_DTAPE_STALL);
	const struct dt_node *fb = dtape_node(s, DT_TP_DTAPE_FALLBACK);

	t->dtape_stalls = s->tp_count[DT_TP_DTAPE_STALL];
	/* A synchronous call copies through the bounce buffer instead; a
	 * queued request cannot (the buffer serves one call at a time). */
	if (fb && s->seen[DT_DTAPE_BOUNCE])
		note(t, NOTE_FALLBACK, "dtape fell back to its bounce buffer (%s)",
		     dtape_why_name(fb->ev.args[3]));
	else if (fb)
		note(t, NOTE_FALLBACK, "dtape could not pin the buffer (%s); a queued request "
		     "has no bounce buffer to fall back to, so it failed",
		     dtape_why_name(fb->ev.args[3]));
	if (sub && !sub->ev.args[4])
		note(t, NOTE_INFO, "dtape queued %d record(s) to the drive's worker (%" PRIu64
		     " in flight after this one); the completion comes later, from the worker",
		     s->tp_count[DT_TP_DTAPE_SUBMIT], (uint64_t)sub->ev.args[5]);
	else if (sub && done && done->ev.type == EV_WORKER)
		note(t, NOTE_INFO, "the drive's worker completed the record %.3f ms after "
		     "submission; the caller slept until then", (double)done->ev.ret / 1e6);
	if (stall)
		note(t, NOTE_INFO, "the drive stalled %d time(s): data arrived slower than the "
		     "tape streams, so it stopped and repositioned (%" PRIu64 " ms each)",
		     t->dtape_stalls, (uint64_t)stall->ev.args[3]);
}

/* Read or write, O_DIRECT or not, and the file's operations. */
static void classify(struct scan *s)
{
	struct dt_tree *t = s->t;
	const struct dt_root *r = &t->root;
	const char *nm;

	t->is_write = r->sys == SYS_WRITE || r->sys == SYS_PWRITE64 || r->sys == SYS_WRITEV ||
		      r->sys == SYS_PWRITEV || r->sys == SYS_PWRITEV2 || s->seen[DT_VFS_WRITE] || s->seen[DT_IO_WRITE] ||
		      s->seen[DT_AIO_WRITE] || s->seen[DT_VFS_WRITEV];
	t->vfs_only = t->top.first != NULL;
	for (const struct dt_node *n = t->top.first; n && t->vfs_only; n = n->next)
		t->vfs_only = n->kind == NODE_CALL && !n->first && n->ev.step < DT_STEP__N &&
			      s->c->steps[n->ev.step].cat == CAT_VFS;
	if (r->ev.obj.has_file)
		t->o_direct = r->ev.obj.f_flags & O_DIRECT;
	else
		for (unsigned i = 0; i < DT_STEP__N && !t->o_direct; i++)
			if (s->seen[i] && s->first[i] && s->first[i]->ev.io.has_iocb)
				t->o_direct = s->first[i]->ev.io.ki_flags & IOCB_DIRECT_BIT;
	t->pages_dropped = s->tp_count[DT_TP_FILEMAP_DELETE];
	t->pages_flushed_bytes = s->flush_bytes;

	t->write_iter[0] = t->direct_io_aop[0] = 0;
	if ((nm = dt_sym_name(s->c, r->ev.obj.fn1)))
		snprintf(t->write_iter, sizeof(t->write_iter), "%s", nm);
	if (r->ev.obj.has_file) {
		nm = dt_sym_name(s->c, r->ev.obj.fn2);
		snprintf(t->direct_io_aop, sizeof(t->direct_io_aop), "%s", nm ? nm : "none");
	}
}

/*
 * Did the direct path run, and which engine ran it?  6.12's 9p reads and
 * writes go through netfs, whose unbuffered I/O pins the caller's buffer
 * to hand it to the 9p transport: a pin with no direct-I/O engine and no
 * bio, not a direct write to a disk.  Returns that netfs case.
 */
static bool find_engine(struct scan *s)
{
	struct dt_tree *t = s->t;
	const bool *seen = s->seen;
	bool netfs;

	t->did_dio = seen[DT_BDIO] || seen[DT_IOMAP_BIO_ITER] || seen[DT_BLKDEV_DIO_SIMPLE] ||
		     seen[DT_BLKDEV_DIO_MULTI] || seen[DT_BLKDEV_DIO_ASYNC] || seen[DT_GUP_FAST] ||
		     seen[DT_PUP_FAST] || seen[DT_IOV_EXTRACT] || seen[DT_BIO_GET_PAGES] ||
		     seen[DT_DTAPE_PIN] || seen[DT_DTAPE_LEGACY];
	netfs = t->root.ev.obj.on_9p && !seen[DT_BDIO] && !seen[DT_IOMAP_DIO_RW] && !s->bios &&
		!s->tp_count[DT_TP_BIO_QUEUE] && t->pages_pinned;
	if (netfs)
		t->did_dio = false;
	t->dio_engine[0] = 0;
	if (seen[DT_BDIO])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "__blockdev_direct_IO");
	else if (seen[DT_IOMAP_DIO_RW])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "iomap_dio_rw");
	else if (seen[DT_DTAPE_PIN] || seen[DT_DTAPE_LEGACY])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "dtape");
	else if (seen[DT_BLKDEV_DIO_SIMPLE] || seen[DT_BLKDEV_DIO_MULTI] ||
		 seen[DT_BLKDEV_DIO_ASYNC] || seen[DT_BLKDEV_DIRECT_IO])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "blkdev_direct_IO");
	return netfs;
}

/* Why an O_DIRECT write went buffered: the first rule that matches. */
static bool fat_extending(const struct scan *s)
{
	return s->fat_seen && s->fat_ret == 0;
}

static bool inval_busy(const struct scan *s)
{
	return s->inval_busy;
}

static bool iomap_inval_failed(const struct scan *s)
{
	return s->tp_count[DT_TP_IOMAP_INVAL_FAIL] > 0;
}

static bool iomap_notblk(const struct scan *s)
{
	return s->seen[DT_IOMAP_DIO_RW] && s->first[DT_IOMAP_DIO_RW]->ret == -ENOTBLK;
}

static bool ext4_chose_buffered(const struct scan *s)
{
	return s->seen[DT_EXT4_BUF_WRITE] && !s->seen[DT_IOMAP_DIO_RW];
}

static bool short_direct(const struct scan *s)
{
	return s->t->did_dio;
}

static const struct {
	bool (*applies)(const struct scan *s);
	const char *reason;
} fallback_reasons[] = {
	{ fat_extending, "fat_direct_IO returned 0 for an extending write "
			 "(pos+count past the initialised size)" },
	{ inval_busy, "page-cache invalidation failed (-EBUSY)" },
	{ iomap_inval_failed, "iomap invalidation failed (-ENOTBLK)" },
	{ iomap_notblk, "iomap_dio_rw returned -ENOTBLK" },
	{ ext4_chose_buffered, "ext4 chose buffered I/O before iomap (inline data, "
			       "data=journal, verity or encryption)" },
	{ short_direct, "short direct write: the remainder went buffered (hole?)" },
};

static void fallback_note(struct scan *s)
{
	struct dt_tree *t = s->t;

	t->fell_back = false;
	t->fallback_reason[0] = 0;
	if (t->o_direct && t->is_write &&
	    (s->seen[DT_DWF] || s->seen[DT_GPW] || s->seen[DT_EXT4_BUF_WRITE] ||
	     s->seen[DT_XFS_BUF_WRITE] || s->seen[DT_IOMAP_BUF_WRITE])) {
		const char *reason = "unknown";

		t->fell_back = true;
		for (size_t i = 0; i < sizeof(fallback_reasons) / sizeof(fallback_reasons[0]); i++)
			if (fallback_reasons[i].applies(s)) {
				reason = fallback_reasons[i].reason;
				break;
			}
		snprintf(t->fallback_reason, sizeof(t->fallback_reason), "%s", reason);
		note(t, NOTE_FALLBACK, "O_DIRECT fell back to buffered I/O: %s", reason);
	} else if (t->o_direct && !t->is_write && s->seen[DT_FILEMAP_READ] && t->did_dio) {
		note(t, NOTE_FALLBACK, "O_DIRECT read finished buffered (filemap_read) "
		     "after a short direct read");
	}
}

/* Flush, unmap, invalidation and the stale-cache warning. */
static void cache_notes(struct scan *s)
{
	struct dt_tree *t = s->t;
	const struct dt_root *r = &t->root;
	uint64_t ps = s->c->page_size;

	if (s->flush_bytes)
		note(t, NOTE_FLUSH, "dirty pages flushed before the direct %s: %" PRIu64
		     " pages (%" PRIu64 " KiB)", t->is_write ? "write" : "read",
		     (s->flush_bytes + ps - 1) / ps, s->flush_bytes >> 10);
	if (s->unmap_seen)
		note(t, NOTE_UNMAP, "mapped pages were unmapped from the page cache: "
		     "index %" PRIu64 "..%" PRIu64 ", %" PRIu64 " pages dropped; a process that "
		     "touches them again will refault", s->unmap_lo,
		     s->unmap_lo + (s->unmap_n ? s->unmap_n - 1 : 0), t->pages_dropped);
	if (s->unmap_seen && r->mapper_pid[0]) {
		/* BPF remembered who mmap(MAP_SHARED)ed this file */
		char who[160] = "";
		size_t o = 0;

		for (int i = 0; i < DT_MAPPERS && r->mapper_pid[i] && o < sizeof(who); i++)
			o += snprintf(who + o, sizeof(who) - o, "%s%u(%.16s)", o ? ", " : "",
				      r->mapper_pid[i], r->mapper_comm[i]);
		note(t, NOTE_UNMAP, "processes that had the file mapped: %s", who);
	}
	if (!s->unmap_seen && t->pages_dropped && t->o_direct)
		note(t, NOTE_INFO, "%" PRIu64 " cached pages dropped by invalidation",
		     t->pages_dropped);
	if (s->inval_busy || s->tp_count[DT_TP_IOMAP_INVAL_FAIL])
		note(t, NOTE_INVAL_FAIL, "invalidation failed (-EBUSY): stale page cache");
	if (s->seen[DT_DIO_WARN_STALE])
		note(t, NOTE_STALE, "post-write invalidation failed: the kernel warned about a "
		     "stale page cache and set -EIO in the mapping's errseq");
}

/* The outcome: EINVAL, the 9p transport, or the direct path with its pins. */
static void outcome_notes(struct scan *s, bool netfs)
{
	struct dt_tree *t = s->t;
	const struct dt_root *r = &t->root;
	char pages[160];

	if (t->o_direct && t->exited && t->ret == -EINVAL) {
		uint64_t pos = r->offset >= 0 ? (uint64_t)r->offset : 0;

		note(t, NOTE_EINVAL, "misaligned: EINVAL (buffer aligned to %u bytes, "
		     "offset %" PRIu64 ", count %" PRIu64 "; direct I/O needs all three "
		     "aligned to the logical block size, usually 512)",
		     lowbit_align(r->buf), pos, (uint64_t)r->count);
	}
	if (netfs) {
		/* 6.12 reads 9p through netfs (FOLL_PIN); 6.1's 9p client takes
		 * FOLL_GET references for its zero-copy virtio transport */
		dt_fmt_pages(t, pages, sizeof(pages));
		note(t, NOTE_NETFS, "not direct I/O: %s the %s's buffer to hand it to the 9p "
		     "transport: %s; no bio, no disk (the file is on a 9p mount)",
		     t->pages_foll_pin ? (t->is_write ? "netfs's unbuffered write pinned" :
					  "netfs's unbuffered read pinned") :
		     "the 9p client referenced", t->is_write ? "writer" : "reader", pages);
	}
	if (t->did_dio) {
		const struct dt_node *g = s->seen[DT_GUP_INTERNAL] ? s->first[DT_GUP_INTERNAL] : NULL;
		char fl[160] = "";

		if (g)
			dt_decode_flags(s->c->foll, s->c->nfoll, g->ev.args[2], fl, sizeof(fl));
		dt_fmt_pages(t, pages, sizeof(pages));
		note(t, NOTE_DIRECT, "direct I/O via %s: %s%s%s%s, %" PRIu64
		     " bio(s), %" PRIu64 " KiB", t->dio_engine[0] ? t->dio_engine : "?",
		     pages, g ? " gup_flags=" : "", fl,
		     g && !s->c->foll_from_btf ? " [pre-enum encoding]" : "",
		     s->bios, s->bio_bytes >> 10);
	}
}

/*
 * Steps that should have fired, checked only where the outcome says the
 * direct path really ran to the device.  io_uring first tries a request
 * without blocking; -EAGAIN sends it to an io-wq worker, whose own tree
 * then shows the direct path.
 */
static void expected_steps(struct scan *s)
{
	static const unsigned c_iter[] = { CAT_ITER, CAT_ASYNC };
	static const unsigned c_direct[] = { CAT_DIRECT, CAT_DIO };
	static const unsigned c_pin[] = { CAT_PIN };
	static const unsigned c_bio[] = { CAT_BIO };
	struct dt_tree *t = s->t;
	const struct dt_root *r = &t->root;
	bool punted;

	punted = (r->sys == SYS_IO_URING_ENTER || r->sys == SYS_IO_SUBMIT) &&
		 ((s->seen[DT_IO_WRITE] && s->first[DT_IO_WRITE]->ret == -EAGAIN) ||
		  (s->seen[DT_IO_READ] && s->first[DT_IO_READ]->ret == -EAGAIN));
	if (punted)
		note(t, NOTE_INFO, "%s returned -EAGAIN (it would have blocked): io_uring "
		     "handed the request to an io-wq worker, whose tree follows",
		     s->seen[DT_IO_WRITE] ? "io_write" : "io_read");
	if (!t->o_direct || !t->exited || t->ret <= 0 || t->fell_back || punted)
		return;
	if (!(t->did_dio || any_seen(s, CAT_DIRECT) || s->seen[DT_FAT_DIRECT_IO] ||
	      r->ev.obj.fn2 || s->seen[DT_BLKDEV_WRITE_ITER] || s->seen[DT_BLKDEV_READ_ITER]))
		return;
	if (r->sys != SYS_ASYNC_WORKER)
		expect(s, "fs ->write_iter/->read_iter", c_iter, 2);
	expect(s, "direct-I/O entry", c_direct, 2);
	expect(s, "page pinning", c_pin, 1);
	if (!s->tp_count[DT_TP_BIO_QUEUE])
		expect(s, "bio submission", c_bio, 1);
}

void dt_analyze(struct dt_ctx *c, struct dt_tree *t)
{
	struct scan s = { .c = c, .t = t };
	bool netfs;

	t->nnotes = 0;
	t->pages_pinned = t->pages_foll_pin = t->pages_foll_get = 0;
	scan_node(&s, t->top.first);
	classify(&s);
	netfs = find_engine(&s);
	fallback_note(&s);
	cache_notes(&s);
	outcome_notes(&s, netfs);
	expected_steps(&s);
	dtape_notes(&s, t);
	if (t->lost)
		note(t, NOTE_LOST, "%u events of this syscall were lost (ring buffer full): "
		     "the tree is incomplete", t->lost);
	if (!t->exited)
		note(t, NOTE_LOST, "syscall exit not seen: tree incomplete");
}
