// SPDX-License-Identifier: GPL-2.0
/*
 * Tree builder.  The ring buffer is globally ordered, and one task runs on
 * one CPU at a time, so per task the entry/exit events arrive in call
 * order: nesting needs no depth from the kernel, only a stack per task.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtape_ev.h"
#include "tree.h"

#define IOCB_DIRECT_BIT (1u << 17)	/* same in every kernel since 4.x; used only without a file */

struct open_tree {
	uint32_t tid;
	struct dt_tree *t;
};

/* Recent submitters' names, for worker events that outlive their syscall. */
#define DT_COMMS 32

struct dt_builder {
	struct dt_ctx *c;
	struct dt_callbacks cb;
	void *arg;
	struct open_tree *open;
	size_t nopen, capopen;
	uint64_t seq;
	struct {
		uint32_t pid;
		char comm[DT_COMM_LEN];
	} comms[DT_COMMS];
	unsigned ncomms, next_comm;	/* entries in use; the oldest, once full */
};

struct dt_builder *dt_builder_new(struct dt_ctx *c, const struct dt_callbacks *cb, void *arg)
{
	struct dt_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->c = c;
	b->cb = *cb;
	b->arg = arg;
	return b;
}

static void remember_comm(struct dt_builder *b, const struct dt_root *r)
{
	unsigned slot;

	for (unsigned i = 0; i < b->ncomms; i++)
		if (b->comms[i].pid == r->ev.pid) {
			memcpy(b->comms[i].comm, r->comm, DT_COMM_LEN);
			return;
		}
	if (b->ncomms < DT_COMMS) {
		slot = b->ncomms++;
	} else {
		slot = b->next_comm;
		b->next_comm = (b->next_comm + 1) % DT_COMMS;
	}
	b->comms[slot].pid = r->ev.pid;
	memcpy(b->comms[slot].comm, r->comm, DT_COMM_LEN);
}

static const char *comm_of(const struct dt_builder *b, uint32_t pid)
{
	for (unsigned i = 0; i < b->ncomms; i++)
		if (b->comms[i].pid == pid)
			return b->comms[i].comm;
	return NULL;
}

static void free_nodes(struct dt_node *n)
{
	struct dt_node *ch = n->first;

	while (ch) {
		struct dt_node *nx = ch->next;

		free_nodes(ch);
		free(ch);
		ch = nx;
	}
}

static void tree_free(struct dt_tree *t)
{
	free_nodes(&t->top);
	free(t);
}

static struct open_tree *find_open(struct dt_builder *b, uint32_t tid)
{
	for (size_t i = 0; i < b->nopen; i++)
		if (b->open[i].tid == tid)
			return &b->open[i];
	return NULL;
}

static void finish(struct dt_builder *b, struct open_tree *o)
{
	struct dt_tree *t = o->t;

	*o = b->open[--b->nopen];
	dt_analyze(b->c, t);
	if (b->cb.tree)
		b->cb.tree(t, b->arg);
	tree_free(t);
}

static void build_path(struct dt_tree *t)
{
	size_t o = 0;
	int n = t->root.path_n > DT_PATH_DEPTH ? DT_PATH_DEPTH : t->root.path_n;

	t->path[0] = 0;
	for (int i = n - 1; i >= 0; i--) {
		char comp[DT_NAME_LEN + 1];

		memcpy(comp, t->root.path[i], DT_NAME_LEN);
		comp[DT_NAME_LEN] = 0;
		o += snprintf(t->path + o, sizeof(t->path) - o, "/%s", comp);
		if (o >= sizeof(t->path))
			break;
	}
	if (!n && t->root.ev.obj.has_file)
		snprintf(t->path, sizeof(t->path), "/");
}

static struct dt_node *add_child(struct dt_node *parent, const struct dt_event *e, uint8_t kind)
{
	struct dt_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->ev = *e;
	n->kind = kind;
	n->parent = parent;
	n->depth = parent->depth + 1;
	if (parent->last)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
	return n;
}

static int64_t ret_of(const struct dt_ctx *c, unsigned step, int64_t ret)
{
	return step < DT_STEP__N && c->steps[step].ret_s32 ? (int32_t)ret : ret;
}

int dt_builder_feed(struct dt_builder *b, const void *data, size_t len)
{
	const struct dt_event *e = data;
	struct open_tree *o;
	struct dt_node *n;

	if (len < sizeof(*e))
		return -1;
	o = find_open(b, e->tid);
	switch (e->type) {
	case EV_ROOT_ENTER: {
		struct dt_tree *t;

		if (len < sizeof(struct dt_root))
			return -1;
		if (o) {	/* lost the exit: emit what we have */
			o->t->lost++;
			finish(b, o);
		}
		t = calloc(1, sizeof(*t));
		if (!t)
			return -1;
		memcpy(&t->root, data, sizeof(t->root));
		remember_comm(b, &t->root);
		t->seq = ++b->seq;
		t->cur = &t->top;
		build_path(t);
		if (b->nopen == b->capopen) {
			size_t cap = b->capopen ? b->capopen * 2 : 16;
			struct open_tree *no = realloc(b->open, cap * sizeof(*no));

			if (!no) {
				free(t);
				return -1;
			}
			b->open = no;
			b->capopen = cap;
		}
		b->open[b->nopen].tid = e->tid;
		b->open[b->nopen++].t = t;
		break;
	}
	case EV_ENTER:
		if (!o)
			return 0;
		n = add_child(o->t->cur, e, NODE_CALL);
		if (n)
			o->t->cur = n;
		if (e->step < DT_STEP__N)
			b->c->steps[e->step].fired++;
		break;
	case EV_FILE:
		/* an async request's file: the tree's first one names it */
		if (len < sizeof(struct dt_root))
			return -1;
		if (o && !o->t->root.ev.obj.has_file) {
			const struct dt_root *fr = data;
			struct dt_root *r = &o->t->root;

			r->ev.obj = fr->ev.obj;
			r->path_n = fr->path_n;
			memcpy(r->path, fr->path, sizeof(r->path));
			memcpy(r->mapper_pid, fr->mapper_pid, sizeof(r->mapper_pid));
			memcpy(r->mapper_comm, fr->mapper_comm, sizeof(r->mapper_comm));
			build_path(o->t);
		}
		break;
	case EV_EXIT:
		if (!o)
			return 0;
		/* Pop to the matching frame; frames without an exit (lost
		 * event, missing kretprobe) are closed on the way. */
		for (n = o->t->cur; n && n != &o->t->top; n = n->parent)
			if (n->kind == NODE_CALL && n->ev.step == e->step && !n->exited)
				break;
		if (!n || n == &o->t->top)
			return 0;
		n->exited = true;
		n->ret = ret_of(b->c, e->step, e->ret);
		n->ts_exit = e->ts;
		o->t->cur = n->parent;
		break;
	case EV_TP:
		if (!o)
			return 0;
		add_child(o->t->cur, e, NODE_TP);
		break;
	case EV_ROOT_EXIT:
		if (!o)
			return 0;
		o->t->exited = true;
		/* an io-wq root returns what its first step returned */
		o->t->ret = o->t->root.sys == SYS_ASYNC_WORKER ?
			    ret_of(b->c, o->t->root.ev.step, e->ret) : e->ret;
		o->t->ts_exit = e->ts;
		o->t->lost += e->lost;
		finish(b, o);
		break;
	case EV_WORKER:
		/* a sync caller still waits in its syscall: part of its tree */
		if (o) {
			add_child(o->t->cur, e, NODE_TP);
			break;
		}
		if (b->cb.worker) {
			struct dt_worker w = { .ev = *e };
			const char *comm = comm_of(b, e->pid);

			if (comm)
				memcpy(w.comm, comm, DT_COMM_LEN);
			b->cb.worker(&w, b->arg);
		}
		break;
	case EV_REFAULT: {
		struct dt_refault r = { .ev = *e };

		memcpy(r.comm, &e->args[2], DT_COMM_LEN);
		if (b->cb.refault)
			b->cb.refault(&r, b->arg);
		if (e->step < DT_STEP__N)
			b->c->steps[e->step].fired++;
		break;
	}
	default:
		return -1;
	}
	return 0;
}

void dt_builder_flush(struct dt_builder *b)
{
	while (b->nopen)
		finish(b, &b->open[b->nopen - 1]);
}

void dt_builder_free(struct dt_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nopen; i++)
		tree_free(b->open[i].t);
	free(b->open);
	free(b);
}

/* ------------------------------------------------------------- analysis */

const char *dt_errname(int64_t ret)
{
	switch (ret) {
	case -1: return "-EPERM";
	case -5: return "-EIO";
	case -11: return "-EAGAIN";
	case -12: return "-ENOMEM";
	case -14: return "-EFAULT";
	case -15: return "-ENOTBLK";
	case -16: return "-EBUSY";
	case -22: return "-EINVAL";
	case -28: return "-ENOSPC";
	case -95: return "-EOPNOTSUPP";
	case -529: return "-529 (EIOCBQUEUED: queued, completes later)";
	default: return NULL;
	}
}

const char *dt_node_name(struct dt_ctx *c, const struct dt_node *n)
{
	const struct dt_stepinfo *si;
	const char *s;

	if (n->kind == NODE_TP)
		return dt_tp_name(n->ev.step);
	if (n->ev.step >= DT_STEP__N)
		return "?";
	si = &c->steps[n->ev.step];
	/* Name the exact symbol when a clone fired (e.g. ".part.0"). */
	if (n->ev.ip && (s = dt_sym_name(c, n->ev.ip)) && !strchr(s, '+')) {
		static char buf[DT_SYM_LEN];
		const char *sp = strchr(s, ' ');
		size_t l = sp ? (size_t)(sp - s) : strlen(s);

		if (l >= sizeof(buf))
			l = sizeof(buf) - 1;
		memcpy(buf, s, l);
		buf[l] = 0;
		return buf;
	}
	return si->sym[0] ? si->sym : si->label;
}

bool dt_node_hidden(const struct dt_ctx *c, const struct dt_node *n)
{
	return n->kind == NODE_CALL && n->ev.step < DT_STEP__N &&
	       (c->steps[n->ev.step].flags & SF_FOLD);
}

uint64_t dt_node_dur(const struct dt_node *n)
{
	return n->exited && n->ts_exit >= n->ev.ts ? n->ts_exit - n->ev.ts : 0;
}

/* FOLL_PIN pins and FOLL_GET references are different things (only pins
 * are counted in nr_foll_pin_acquired, and only they keep a page from being
 * written back under the DMA): the legacy get_user_pages path teaches that. */
char *dt_fmt_pages(const struct dt_tree *t, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	if (t->pages_foll_pin || !t->pages_foll_get)
		o = snprintf(buf, len, "%" PRIu64 " pages pinned (FOLL_PIN)", t->pages_foll_pin);
	if (t->pages_foll_get && o < len)
		snprintf(buf + o, len - o, "%s%" PRIu64 " page references (FOLL_GET, not counted "
			 "as pins)", o ? " + " : "", t->pages_foll_get);
	return buf;
}

const char *dt_pin_kind(const struct dt_tree *t)
{
	if (t->pages_foll_pin && t->pages_foll_get)
		return "PIN+GET";
	return t->pages_foll_pin ? "PIN" : t->pages_foll_get ? "GET" : NULL;
}

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
				if (n->exited && n->ret == -16)
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
	if (fb)
		note(t, NOTE_FALLBACK, "dtape fell back to its bounce buffer (%s)",
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

void dt_analyze(struct dt_ctx *c, struct dt_tree *t)
{
	struct scan s = { .c = c, .t = t };
	const struct dt_root *r = &t->root;
	bool wr, rd, netfs, punted;
	const char *nm;

	t->nnotes = 0;
	t->pages_pinned = t->pages_foll_pin = t->pages_foll_get = 0;
	scan_node(&s, t->top.first);
	t->vfs_only = t->top.first != NULL;
	for (const struct dt_node *n = t->top.first; n && t->vfs_only; n = n->next)
		t->vfs_only = n->kind == NODE_CALL && !n->first && n->ev.step < DT_STEP__N &&
			      c->steps[n->ev.step].cat == CAT_VFS;
	wr = r->sys == SYS_WRITE || r->sys == SYS_PWRITE64 || r->sys == SYS_WRITEV ||
	     r->sys == SYS_PWRITEV || s.seen[DT_VFS_WRITE] || s.seen[DT_IO_WRITE] ||
	     s.seen[DT_AIO_WRITE] || s.seen[DT_VFS_WRITEV];
	rd = !wr;
	t->is_write = wr;
	if (r->ev.obj.has_file)
		t->o_direct = r->ev.obj.f_flags & O_DIRECT;
	else
		for (unsigned i = 0; i < DT_STEP__N && !t->o_direct; i++)
			if (s.seen[i] && s.first[i] && s.first[i]->ev.io.has_iocb)
				t->o_direct = s.first[i]->ev.io.ki_flags & IOCB_DIRECT_BIT;
	t->pages_dropped = s.tp_count[DT_TP_FILEMAP_DELETE];
	t->pages_flushed_bytes = s.flush_bytes;

	t->write_iter[0] = t->direct_io_aop[0] = 0;
	if ((nm = dt_sym_name(c, r->ev.obj.fn1)))
		snprintf(t->write_iter, sizeof(t->write_iter), "%s", nm);
	if (r->ev.obj.has_file) {
		if ((nm = dt_sym_name(c, r->ev.obj.fn2)))
			snprintf(t->direct_io_aop, sizeof(t->direct_io_aop), "%s", nm);
		else
			snprintf(t->direct_io_aop, sizeof(t->direct_io_aop), "none");
	}

	t->did_dio = s.seen[DT_BDIO] || s.seen[DT_IOMAP_BIO_ITER] ||
		     s.seen[DT_BLKDEV_DIO_SIMPLE] || s.seen[DT_BLKDEV_DIO_MULTI] ||
		     s.seen[DT_BLKDEV_DIO_ASYNC] || s.seen[DT_GUP_FAST] ||
		     s.seen[DT_PUP_FAST] || s.seen[DT_IOV_EXTRACT] ||
		     s.seen[DT_BIO_GET_PAGES] || s.seen[DT_DTAPE_PIN] || s.seen[DT_DTAPE_LEGACY];
	/* 6.12's 9p reads and writes go through netfs, whose unbuffered I/O
	 * pins the caller's buffer to hand it to the 9p transport: a pin with
	 * no direct-I/O engine and no bio, not a direct write to a disk. */
	netfs = r->ev.obj.on_9p && !s.seen[DT_BDIO] && !s.seen[DT_IOMAP_DIO_RW] && !s.bios &&
		!s.tp_count[DT_TP_BIO_QUEUE] && t->pages_pinned;
	if (netfs)
		t->did_dio = false;
	t->dio_engine[0] = 0;
	if (s.seen[DT_BDIO])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "__blockdev_direct_IO");
	else if (s.seen[DT_IOMAP_DIO_RW])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "iomap_dio_rw");
	else if (s.seen[DT_DTAPE_PIN] || s.seen[DT_DTAPE_LEGACY])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "dtape");
	else if (s.seen[DT_BLKDEV_DIO_SIMPLE] || s.seen[DT_BLKDEV_DIO_MULTI] ||
		 s.seen[DT_BLKDEV_DIO_ASYNC] || s.seen[DT_BLKDEV_DIRECT_IO])
		snprintf(t->dio_engine, sizeof(t->dio_engine), "blkdev_direct_IO");

	/* Buffered fallback under O_DIRECT, with the reason where known. */
	t->fell_back = false;
	t->fallback_reason[0] = 0;
	if (t->o_direct && wr && (s.seen[DT_DWF] || s.seen[DT_GPW] ||
				  s.seen[DT_EXT4_BUF_WRITE] || s.seen[DT_XFS_BUF_WRITE] ||
				  s.seen[DT_IOMAP_BUF_WRITE])) {
		t->fell_back = true;
		if (s.fat_seen && s.fat_ret == 0)
			snprintf(t->fallback_reason, sizeof(t->fallback_reason),
				 "fat_direct_IO returned 0 for an extending write "
				 "(pos+count past the initialised size)");
		else if (s.inval_busy)
			snprintf(t->fallback_reason, sizeof(t->fallback_reason),
				 "page-cache invalidation failed (-EBUSY)");
		else if (s.tp_count[DT_TP_IOMAP_INVAL_FAIL])
			snprintf(t->fallback_reason, sizeof(t->fallback_reason),
				 "iomap invalidation failed (-ENOTBLK)");
		else if (s.seen[DT_IOMAP_DIO_RW] && s.first[DT_IOMAP_DIO_RW]->ret == -15)
			snprintf(t->fallback_reason, sizeof(t->fallback_reason),
				 "iomap_dio_rw returned -ENOTBLK");
		else if (s.seen[DT_EXT4_BUF_WRITE] && !s.seen[DT_IOMAP_DIO_RW])
			snprintf(t->fallback_reason, sizeof(t->fallback_reason),
				 "ext4 chose buffered I/O before iomap (inline data, "
				 "data=journal, verity or encryption)");
		else if (t->did_dio)
			snprintf(t->fallback_reason, sizeof(t->fallback_reason),
				 "short direct write: the remainder went buffered (hole?)");
		else
			snprintf(t->fallback_reason, sizeof(t->fallback_reason), "unknown");
		note(t, NOTE_FALLBACK, "O_DIRECT fell back to buffered I/O: %s",
		     t->fallback_reason);
	} else if (t->o_direct && rd && s.seen[DT_FILEMAP_READ] && t->did_dio) {
		note(t, NOTE_FALLBACK, "O_DIRECT read finished buffered (filemap_read) "
		     "after a short direct read");
	}

	if (s.flush_bytes)
		note(t, NOTE_FLUSH, "dirty pages flushed before the direct %s: %" PRIu64
		     " pages (%" PRIu64 " KiB)", wr ? "write" : "read",
		     (s.flush_bytes + c->page_size - 1) / c->page_size, s.flush_bytes >> 10);
	if (s.unmap_seen)
		note(t, NOTE_UNMAP, "mapped pages were unmapped from the page cache: "
		     "index %" PRIu64 "..%" PRIu64 ", %" PRIu64 " pages dropped; a process that "
		     "touches them again will refault", s.unmap_lo,
		     s.unmap_lo + (s.unmap_n ? s.unmap_n - 1 : 0), t->pages_dropped);
	if (s.unmap_seen && r->mapper_pid[0]) {
		/* BPF remembered who mmap(MAP_SHARED)ed this file */
		char who[160] = "";
		size_t o = 0;

		for (int i = 0; i < DT_MAPPERS && r->mapper_pid[i] && o < sizeof(who); i++)
			o += snprintf(who + o, sizeof(who) - o, "%s%u(%.16s)", o ? ", " : "",
				      r->mapper_pid[i], r->mapper_comm[i]);
		note(t, NOTE_UNMAP, "processes that had the file mapped: %s", who);
	}
	if (!s.unmap_seen && t->pages_dropped && t->o_direct)
		note(t, NOTE_INFO, "%" PRIu64 " cached pages dropped by invalidation",
		     t->pages_dropped);
	if (s.inval_busy || s.tp_count[DT_TP_IOMAP_INVAL_FAIL])
		note(t, NOTE_INVAL_FAIL, "invalidation failed (-EBUSY): stale page cache");
	if (s.seen[DT_DIO_WARN_STALE])
		note(t, NOTE_STALE, "post-write invalidation failed: the kernel warned about a "
		     "stale page cache and set -EIO in the mapping's errseq");
	if (t->o_direct && t->exited && t->ret == -22) {
		uint64_t pos = r->offset >= 0 ? (uint64_t)r->offset : 0;

		note(t, NOTE_EINVAL, "misaligned: EINVAL (buffer aligned to %u bytes, "
		     "offset %" PRIu64 ", count %" PRIu64 "; direct I/O needs all three "
		     "aligned to the logical block size, usually 512)",
		     lowbit_align(r->buf), pos, (uint64_t)r->count);
	}
	if (netfs) {
		char pages[160];

		/* 6.12 reads 9p through netfs (FOLL_PIN); 6.1's 9p client takes
		 * FOLL_GET references for its zero-copy virtio transport */
		dt_fmt_pages(t, pages, sizeof(pages));
		note(t, NOTE_NETFS, "not direct I/O: %s the %s's buffer to hand it to the 9p "
		     "transport: %s; no bio, no disk (the file is on a 9p mount)",
		     t->pages_foll_pin ? (wr ? "netfs's unbuffered write pinned" :
					  "netfs's unbuffered read pinned") :
		     "the 9p client referenced", wr ? "writer" : "reader", pages);
	}
	if (t->did_dio) {
		char fl[160] = "", pages[160];
		const struct dt_node *g = s.seen[DT_GUP_INTERNAL] ? s.first[DT_GUP_INTERNAL] : NULL;

		if (g)
			dt_decode_flags(c->foll, c->nfoll, g->ev.args[2], fl, sizeof(fl));
		dt_fmt_pages(t, pages, sizeof(pages));
		note(t, NOTE_DIRECT, "direct I/O via %s: %s%s%s%s, %" PRIu64
		     " bio(s), %" PRIu64 " KiB", t->dio_engine[0] ? t->dio_engine : "?",
		     pages, g ? " gup_flags=" : "", fl,
		     g && !c->foll_from_btf ? " [pre-enum encoding]" : "",
		     s.bios, s.bio_bytes >> 10);
	}

	/* Steps that should have fired.  Checked only where the outcome says
	 * the direct path really ran to the device. */
	/* io_uring first tries a request without blocking; -EAGAIN sends it
	 * to an io-wq worker, whose own tree then shows the direct path */
	punted = (r->sys == SYS_IO_URING_ENTER || r->sys == SYS_IO_SUBMIT) &&
		 ((s.seen[DT_IO_WRITE] && s.first[DT_IO_WRITE]->ret == -11) ||
		  (s.seen[DT_IO_READ] && s.first[DT_IO_READ]->ret == -11));
	if (punted)
		note(t, NOTE_INFO, "%s returned -EAGAIN (it would have blocked): io_uring "
		     "handed the request to an io-wq worker, whose tree follows",
		     s.seen[DT_IO_WRITE] ? "io_write" : "io_read");
	if (t->o_direct && t->exited && t->ret > 0 && !t->fell_back && !punted &&
	    (t->did_dio || any_seen(&s, CAT_DIRECT) || s.seen[DT_FAT_DIRECT_IO] ||
	     r->ev.obj.fn2 || s.seen[DT_BLKDEV_WRITE_ITER] || s.seen[DT_BLKDEV_READ_ITER])) {
		static const unsigned c_iter[] = { CAT_ITER, CAT_ASYNC };
		static const unsigned c_direct[] = { CAT_DIRECT, CAT_DIO };
		static const unsigned c_pin[] = { CAT_PIN };
		static const unsigned c_bio[] = { CAT_BIO };

		if (r->sys != SYS_ASYNC_WORKER)
			expect(&s, "fs ->write_iter/->read_iter", c_iter, 2);
		expect(&s, "direct-I/O entry", c_direct, 2);
		expect(&s, "page pinning", c_pin, 1);
		if (!s.tp_count[DT_TP_BIO_QUEUE])
			expect(&s, "bio submission", c_bio, 1);
	}
	dtape_notes(&s, t);
	if (t->lost)
		note(t, NOTE_LOST, "%u events of this syscall were lost (ring buffer full): "
		     "the tree is incomplete", t->lost);
	if (!t->exited)
		note(t, NOTE_LOST, "syscall exit not seen: tree incomplete");
}
