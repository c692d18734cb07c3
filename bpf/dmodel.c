// SPDX-License-Identifier: GPL-2.0
/* A finished syscall tree, reduced to what `diotrace diff` compares
 * (dmodel.h).  The builder frees its trees after the callback, so this
 * copies what it keeps. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dmodel.h"
#include "render.h"

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

const char *dd_foll_of(unsigned step)
{
	if (step == DT_PUP_FAST || step == DT_PUP_SLOW)
		return "PIN";
	if (step == DT_GUP_FAST || step == DT_GUP_SLOW)
		return "GET";
	return NULL;
}

static struct dd_node *node_from(struct dt_ctx *c, const struct dt_node *n)
{
	struct dd_node *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->tp = n->kind == NODE_TP;
	d->run = 1;
	if (d->tp) {
		copy_str(d->step, sizeof(d->step), dt_tp_name(n->ev.step));
		copy_str(d->fn, sizeof(d->fn), d->step);
		copy_str(d->attach, sizeof(d->attach), "tracepoint");
		return d;
	}
	copy_str(d->step, sizeof(d->step), dt_step_label(c, n->ev.step));
	copy_str(d->fn, sizeof(d->fn), dt_node_name(c, n));
	copy_str(d->attach, sizeof(d->attach), dt_method_name(n->ev.method));
	d->exited = n->exited;
	d->has_ret = n->exited && !dt_step_void(n->ev.step);
	d->ret = n->ret;
	d->dur_ns = dt_node_dur(n);
	d->foll = dd_foll_of(n->ev.step);
	return d;
}

/* Identical tracepoints in a row (16 pages dropped) are one line in
 * `report`; here too, with their number. */
static bool same_tp_run(const struct dd_node *last, const struct dt_node *n)
{
	return last && last->tp && n->kind == NODE_TP && !n->first &&
	       !strcmp(last->step, dt_tp_name(n->ev.step));
}

void dd_sink_append(struct dd_sink *s, struct dd_node *d)
{
	if (s->last)
		s->last->next = d;
	else
		s->parent->first = d;
	s->last = d;
}

/* Folded helpers (SF_FOLD) give their children to their parent, as in
 * `report`, so they never stand between two kernels' steps. */
static void copy_children(struct dt_ctx *c, const struct dt_node *from, struct dd_sink *s)
{
	for (const struct dt_node *n = from->first; n; n = n->next) {
		struct dd_node *d;

		if (dt_node_hidden(c, n)) {
			copy_children(c, n, s);
			continue;
		}
		if (s->last && same_tp_run(s->last, n)) {
			s->last->run++;
			continue;
		}
		d = node_from(c, n);
		if (!d)
			return;
		dd_sink_append(s, d);
		if (n->first) {
			struct dd_sink sub = { .parent = d };

			copy_children(c, n, &sub);
		}
	}
}

static void copy_root(struct dd_tree *d, const struct dt_tree *t)
{
	const struct dt_root *r = &t->root;

	d->seq = t->seq;
	copy_str(d->sys, sizeof(d->sys), dt_sys_name(r->sys));
	memcpy(d->comm, r->comm, DT_COMM_LEN);
	copy_str(d->path, sizeof(d->path), t->path);
	d->count = r->count;
	d->offset = r->offset;
	d->is_write = t->is_write;
	d->o_direct = t->o_direct;
	d->exited = t->exited;
	d->vfs_only = t->vfs_only;
	d->on_9p = r->ev.obj.on_9p;
	d->ret = t->ret;
	d->dur_ns = t->exited && t->ts_exit >= r->ev.ts ? t->ts_exit - r->ev.ts : 0;
}

struct dd_tree *dd_from_tree(struct dt_ctx *c, const struct dt_tree *t)
{
	struct dd_tree *d = calloc(1, sizeof(*d));
	struct dd_sink s;

	if (!d)
		return NULL;
	copy_root(d, t);
	d->foll_pin = t->pages_foll_pin;
	d->foll_get = t->pages_foll_get;
	copy_str(d->engine, sizeof(d->engine), t->dio_engine);
	copy_str(d->write_iter, sizeof(d->write_iter), t->write_iter);
	copy_str(d->direct_io, sizeof(d->direct_io), t->direct_io_aop);
	copy_str(d->fallback, sizeof(d->fallback), t->fell_back ? t->fallback_reason : "");
	for (int i = 0; i < t->nnotes; i++) {
		copy_str(d->notes[i].kind, sizeof(d->notes[i].kind), dt_note_kind(t->notes[i].kind));
		copy_str(d->notes[i].text, sizeof(d->notes[i].text), t->notes[i].text);
	}
	d->nnotes = t->nnotes;
	s = (struct dd_sink){ .parent = &d->top };
	copy_children(c, &t->top, &s);
	return d;
}

void dd_side_set_ctx(struct dd_side *s, const struct dt_ctx *c)
{
	copy_str(s->kernel, sizeof(s->kernel), c->release);
	s->emulated = c->emulated;
	copy_str(s->accel, sizeof(s->accel), c->accel);
	s->resolution_known = true;
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		const struct dt_stepinfo *si = &c->steps[i];

		copy_str(s->res[i].step, sizeof(s->res[i].step), si->label);
		copy_str(s->res[i].method, sizeof(s->res[i].method),
			 si->flags & SF_DOC ? "inlined" : dt_method_name(si->method));
		copy_str(s->res[i].why, sizeof(s->res[i].why), si->why);
	}
}

bool dd_side_add(struct dd_side *s, struct dd_tree *t)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct dd_tree **nt = realloc(s->trees, cap * sizeof(struct dd_tree *));

		if (!nt)
			return false;
		s->trees = nt;
		s->cap = cap;
	}
	s->trees[s->n++] = t;
	return true;
}

static void free_nodes(struct dd_node *n)
{
	while (n) {
		struct dd_node *next = n->next;

		free_nodes(n->first);
		free(n);
		n = next;
	}
}

void dd_tree_free(struct dd_tree *t)
{
	if (!t)
		return;
	free_nodes(t->top.first);
	free(t);
}

void dd_side_free(struct dd_side *s)
{
	for (size_t i = 0; i < s->n; i++)
		dd_tree_free(s->trees[i]);
	free(s->trees);
	s->trees = NULL;
	s->n = s->cap = 0;
}

static const struct {
	const char *name;
	unsigned cat, flags;
} steps[DT_STEP__N] = {
#define STEP(id, cat, fl, cands, tp) [DT_##id] = { cands, cat, fl },
#include "steps.def"
#undef STEP
};

const char *dd_step_name(unsigned step)
{
	return step < DT_STEP__N ? steps[step].name : NULL;
}

unsigned dd_step_id(const char *name)
{
	unsigned i = 0;

	while (i < DT_STEP__N && strcmp(steps[i].name, name) != 0)
		i++;
	return i;
}

unsigned dd_step_cat(unsigned step)
{
	return step < DT_STEP__N ? steps[step].cat : CAT__N;
}

unsigned dd_step_flags(unsigned step)
{
	return step < DT_STEP__N ? steps[step].flags : 0;
}

const char *dd_basename(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

const struct dd_stepres *dd_res(const struct dd_side *s, const char *step)
{
	if (!s->resolution_known)
		return NULL;
	for (unsigned i = 0; i < DT_STEP__N; i++)
		if (!strcmp(s->res[i].step, step))
			return &s->res[i];
	return NULL;
}

/* get_user_pages_fast (FOLL_GET) and pin_user_pages_fast (FOLL_PIN) take
 * the same place in the path: 6.5's iov_iter_extract_pages swapped one for
 * the other.  Aligned as one step, the change reads as a pin-kind change. */
const char *dd_align_key(const struct dd_node *n)
{
	if (!n->tp && (!strcmp(n->step, "get_user_pages_fast") ||
		       !strcmp(n->step, "pin_user_pages_fast")))
		return "<pin fast>";
	if (!n->tp && (!strcmp(n->step, "get_user_pages") || !strcmp(n->step, "pin_user_pages")))
		return "<pin slow>";
	return n->step;
}
