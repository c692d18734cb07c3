// SPDX-License-Identifier: GPL-2.0
/*
 * Tree builder.  The ring buffer is globally ordered, and one task runs on
 * one CPU at a time, so per task the entry/exit events arrive in call
 * order: nesting needs no depth from the kernel, only a stack per task.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "tree.h"

struct open_tree {
	uint32_t tid;
	struct dt_tree *t;
};

/* Recent submitters' names, for worker events that outlive their syscall. */
#define DT_COMMS 32
#define DT_FILES 32

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
	/* the paths of the files trees wrote, for a refault's, which has only
	 * the inode: the write that dropped the page came first */
	struct {
		uint64_t ino;
		uint32_t dev;
		char path[sizeof(((struct dt_tree *)0)->path)];
	} files[DT_FILES];
	unsigned nfiles, next_file;
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

/* A new entry's slot in a table of @cap: the next free one, once full the oldest. */
static unsigned new_slot(unsigned *used, unsigned *oldest, unsigned cap)
{
	unsigned slot;

	if (*used < cap)
		return (*used)++;
	slot = *oldest;
	*oldest = (*oldest + 1) % cap;
	return slot;
}

static void remember_comm(struct dt_builder *b, const struct dt_root *r)
{
	unsigned slot;

	for (unsigned i = 0; i < b->ncomms; i++)
		if (b->comms[i].pid == r->ev.pid) {
			memcpy(b->comms[i].comm, r->comm, DT_COMM_LEN);
			return;
		}
	slot = new_slot(&b->ncomms, &b->next_comm, DT_COMMS);
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

static void remember_file(struct dt_builder *b, const struct dt_tree *t)
{
	const struct dt_objdesc *obj = &t->root.ev.obj;
	unsigned slot;

	if (!obj->has_file || !t->path[0])
		return;
	for (slot = 0; slot < b->nfiles; slot++)
		if (b->files[slot].ino == obj->ino && b->files[slot].dev == obj->dev)
			break;
	if (slot == b->nfiles)
		slot = new_slot(&b->nfiles, &b->next_file, DT_FILES);
	b->files[slot].ino = obj->ino;
	b->files[slot].dev = obj->dev;
	memcpy(b->files[slot].path, t->path, sizeof(b->files[slot].path));
}

static const char *path_of(const struct dt_builder *b, uint64_t ino, uint32_t dev)
{
	for (unsigned i = 0; i < b->nfiles; i++)
		if (b->files[i].ino == ino && b->files[i].dev == dev)
			return b->files[i].path;
	return "";
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

/* A syscall's entry starts its thread's tree. */
static int open_tree(struct dt_builder *b, struct open_tree *o, const void *data, size_t len)
{
	const struct dt_event *e = data;
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
	remember_file(b, t);
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
	return 0;
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
	case EV_ROOT_ENTER:
		return open_tree(b, o, data, len);
	case EV_ENTER:
		if (!o)
			return 0;
		n = add_child(o->t->cur, e, NODE_CALL);
		if (n)
			o->t->cur = n;
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
			remember_file(b, o->t);
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
		snprintf(r.path, sizeof(r.path), "%s", path_of(b, e->obj.ino, e->obj.dev));
		if (b->cb.refault)
			b->cb.refault(&r, b->arg);
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

bool dt_step_void(unsigned step)
{
	switch (step) {
	case DT_SUBMIT_BIO: case DT_UNMAP_PAGES: case DT_UNMAP_RANGE:
	case DT_INV_POST: case DT_DIO_WARN_STALE: case DT_BIO_RELEASE:
	case DT_UNPIN_PAGES:
		return true;
	default:
		return false;
	}
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
