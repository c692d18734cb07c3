// SPDX-License-Identifier: GPL-2.0
/* Pairing syscalls and aligning their trees (the rule is in dalign.h). */
#include <stdlib.h>
#include <string.h>
#include "dalign.h"

static bool same_operation(const struct dd_tree *a, const struct dd_tree *b)
{
	return !strcmp(a->sys, b->sys) && a->is_write == b->is_write && a->count == b->count &&
	       !strcmp(dd_basename(a->path), dd_basename(b->path));
}

static size_t nkids(const struct dd_node *p)
{
	size_t n = 0;

	for (const struct dd_node *c = p->first; c; c = c->next)
		n++;
	return n;
}

static const struct dd_node **kids(const struct dd_node *p, size_t n)
{
	const struct dd_node **v = calloc(n ? n : 1, sizeof(const struct dd_node *));
	size_t i = 0;

	for (const struct dd_node *c = p->first; v && c; c = c->next)
		v[i++] = c;
	return v;
}

static struct dd_mnode *mnode(struct dd_mnode ***tail, const struct dd_node *a,
			      const struct dd_node *b, enum dd_mark mark)
{
	struct dd_mnode *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->a = a;
	m->b = b;
	m->mark = mark;
	**tail = m;
	*tail = &m->next;
	return m;
}

static unsigned node_changes(const struct dd_node *a, const struct dd_node *b)
{
	unsigned c = 0;

	if (a->foll || b->foll) {
		if (a->foll != b->foll || (a->has_ret && b->has_ret && a->ret != b->ret))
			c |= DD_C_PIN;
	} else if (strcmp(a->fn, b->fn) != 0) {
		c |= DD_C_SYM;
	}
	if (strcmp(a->attach, b->attach) != 0)
		c |= DD_C_ATTACH;
	if (!a->foll && (a->has_ret != b->has_ret || (a->has_ret && a->ret != b->ret)))
		c |= DD_C_RET;
	if (a->run != b->run)
		c |= DD_C_RUN;
	return c;
}

static void align_children(const struct dd_node *pa, const struct dd_node *pb,
			   struct dd_mnode *out, int *changed);

/* Only one side has this subtree: everything under it is only there too. */
static void one_sided(const struct dd_node *p, bool is_a, struct dd_mnode *out, int *changed)
{
	struct dd_mnode **tail = &out->first;

	for (const struct dd_node *c = p->first; c; c = c->next) {
		struct dd_mnode *m = mnode(&tail, is_a ? c : NULL, is_a ? NULL : c,
					   is_a ? DD_ONLY_A : DD_ONLY_B);

		if (!m)
			return;
		(*changed)++;
		one_sided(c, is_a, m, changed);
	}
}

struct gap {
	const struct dd_node **a, **b;
	size_t na, nb;
};

/* Tracepoints are left out: every invalidation drops pages, whoever calls it. */
static bool share_a_callee(const struct dd_node *x, const struct dd_node *y)
{
	for (const struct dd_node *a = x->first; a; a = a->next)
		for (const struct dd_node *b = y->first; b && !a->tp; b = b->next)
			if (!b->tp && !strcmp(dd_align_key(a), dd_align_key(b)))
				return true;
	return false;
}

static bool reaches(const struct dd_node *n, const char *key)
{
	for (const struct dd_node *c = n->first; c; c = c->next)
		if ((!c->tp && !strcmp(dd_align_key(c), key)) || reaches(c, key))
			return true;
	return false;
}

/* Some call below @x is also below @y. */
static bool share_a_descendant(const struct dd_node *x, const struct dd_node *y)
{
	for (const struct dd_node *a = x->first; a; a = a->next)
		if ((!a->tp && reaches(y, dd_align_key(a))) || share_a_descendant(a, y))
			return true;
	return false;
}

/* Two steps of one kind (steps.def's category): an ->write_iter for an
 * ->write_iter, a cache helper for a cache helper, never a completion for
 * an entry into the direct path. */
static bool same_kind(const struct dd_node *x, const struct dd_node *y)
{
	unsigned cx = dd_step_cat(dd_step_id(x->step));

	return !x->tp && !y->tp && cx != CAT__N && cx == dd_step_cat(dd_step_id(y->step));
}

/* The B-only step of the gap that takes A-only @x's place, if any. */
static const struct dd_node *replacement(const struct dd_node *x, struct gap *g, bool *direct)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < g->nb; j++) {
			const struct dd_node *y = g->b[j];

			if (!y || !same_kind(x, y) ||
			    !(pass ? share_a_descendant(x, y) : share_a_callee(x, y)))
				continue;
			g->b[j] = NULL;
			*direct = !pass;
			return y;
		}
	return NULL;
}

/* Longest common subsequence of the children's keys: lcs[i][j] for the
 * suffixes a[i..], b[j..], laid out row by row. */
static int *lcs_table(const struct dd_node **a, size_t na, const struct dd_node **b, size_t nb)
{
	int *t = calloc((na + 1) * (nb + 1), sizeof(int));

	for (size_t i = na; t && i-- > 0;)
		for (size_t j = nb; j-- > 0;) {
			int *cell = &t[i * (nb + 1) + j];

			if (!strcmp(dd_align_key(a[i]), dd_align_key(b[j])))
				*cell = 1 + t[(i + 1) * (nb + 1) + j + 1];
			else
				*cell = t[(i + 1) * (nb + 1) + j] > t[i * (nb + 1) + j + 1] ?
					t[(i + 1) * (nb + 1) + j] : t[i * (nb + 1) + j + 1];
		}
	return t;
}

/* The steps between two matches: A-only ones, each taking a B-only one
 * with a common callee as its replacement, then what is left of B. */
static void emit_gap(struct gap *g, struct dd_mnode ***tail, int *changed)
{
	for (size_t i = 0; i < g->na; i++) {
		bool direct = false;
		const struct dd_node *y = replacement(g->a[i], g, &direct);
		struct dd_mnode *m = mnode(tail, g->a[i], y, y ? DD_REPLACED : DD_ONLY_A);

		if (!m)
			return;
		m->same_callees = direct;
		(*changed)++;
		if (y)
			align_children(g->a[i], y, m, changed);
		else
			one_sided(g->a[i], true, m, changed);
	}
	for (size_t j = 0; j < g->nb; j++) {
		struct dd_mnode *m;

		if (!g->b[j])
			continue;
		m = mnode(tail, NULL, g->b[j], DD_ONLY_B);
		if (!m)
			return;
		(*changed)++;
		one_sided(g->b[j], false, m, changed);
	}
	g->na = g->nb = 0;
}

static void emit_match(const struct dd_node *a, const struct dd_node *b,
		       struct dd_mnode ***tail, int *changed)
{
	unsigned c = node_changes(a, b);
	struct dd_mnode *m = mnode(tail, a, b, c ? DD_CHANGED : DD_SAME);

	if (!m)
		return;
	m->changes = c;
	*changed += c != 0;
	align_children(a, b, m, changed);
}

static void align_children(const struct dd_node *pa, const struct dd_node *pb,
			   struct dd_mnode *out, int *changed)
{
	size_t na = nkids(pa), nb = nkids(pb), i = 0, j = 0;
	const struct dd_node **a = kids(pa, na), **b = kids(pb, nb);
	int *t = a && b ? lcs_table(a, na, b, nb) : NULL;
	struct dd_mnode **tail = &out->first;
	struct gap g = { .a = a, .b = b };

	while (t && (i < na || j < nb)) {
		if (i < na && j < nb && !strcmp(dd_align_key(a[i]), dd_align_key(b[j]))) {
			emit_gap(&g, &tail, changed);
			emit_match(a[i++], b[j++], &tail, changed);
			g.a = a + i;
			g.b = b + j;
		} else if (j >= nb || (i < na && t[(i + 1) * (nb + 1) + j] >= t[i * (nb + 1) + j + 1])) {
			g.na++;
			i++;
		} else {
			g.nb++;
			j++;
		}
	}
	if (t)
		emit_gap(&g, &tail, changed);
	free(t);
	free(a);
	free(b);
}

/* Who had the file mapped is a pid, different in every run: the same note
 * whatever the numbers. */
static bool same_note(const struct dd_note *a, const struct dd_note *b)
{
	static const char mappers[] = "processes that had the file mapped:";

	if (!strcmp(a->text, b->text))
		return true;
	return !strncmp(a->text, mappers, sizeof(mappers) - 1) &&
	       !strncmp(b->text, mappers, sizeof(mappers) - 1);
}

static void compare_notes(struct dd_pair *p)
{
	bool used[DT_MAX_NOTES] = { false };
	const struct dd_tree *a = p->a, *b = p->b;

	for (int i = 0; i < a->nnotes; i++) {
		int same = -1, kind = -1;

		for (int j = 0; j < b->nnotes && same < 0; j++) {
			if (used[j])
				continue;
			if (same_note(&a->notes[i], &b->notes[j]))
				same = j;
			else if (kind < 0 && !strcmp(a->notes[i].kind, b->notes[j].kind))
				kind = j;
		}
		if (same >= 0) {
			used[same] = true;
			continue;
		}
		if (kind >= 0)
			used[kind] = true;
		p->notes[p->nnotes++] = (struct dd_notediff){ &a->notes[i],
							      kind >= 0 ? &b->notes[kind] : NULL };
	}
	for (int j = 0; j < b->nnotes; j++)
		if (!used[j])
			p->notes[p->nnotes++] = (struct dd_notediff){ NULL, &b->notes[j] };
}

static unsigned tree_changes(const struct dd_tree *a, const struct dd_tree *b)
{
	unsigned c = 0;

	if (a->exited != b->exited || a->ret != b->ret)
		c |= DD_T_RET;
	if (strcmp(a->write_iter, b->write_iter) != 0 || strcmp(a->direct_io, b->direct_io) != 0)
		c |= DD_T_ITER;
	if (strcmp(a->engine, b->engine) != 0)
		c |= DD_T_ENGINE;
	if (strcmp(a->fallback, b->fallback) != 0)
		c |= DD_T_FALLBACK;
	if (a->foll_pin != b->foll_pin || a->foll_get != b->foll_get)
		c |= DD_T_PAGES;
	return c;
}

static void compare_pair(struct dd_pair *p)
{
	p->tree_changes = tree_changes(p->a, p->b);
	align_children(&p->a->top, &p->b->top, &p->top, &p->nodes_changed);
	compare_notes(p);
}

bool dd_pair_differs(const struct dd_pair *p)
{
	return p->tree_changes || p->nodes_changed || p->nnotes;
}

static int pair_trees(const struct dd_side *a, const struct dd_side *b, struct dd_result *r,
		      bool *used_b)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t j = 0;

		while (j < b->n && (used_b[j] || !same_operation(a->trees[i], b->trees[j])))
			j++;
		if (j == b->n) {
			r->only_a[r->nonly_a++] = a->trees[i];
			continue;
		}
		used_b[j] = true;
		r->pairs[r->npairs] = (struct dd_pair){ .a = a->trees[i], .b = b->trees[j] };
		compare_pair(&r->pairs[r->npairs]);
		r->ndiffer += dd_pair_differs(&r->pairs[r->npairs]);
		r->npairs++;
	}
	for (size_t j = 0; j < b->n; j++)
		if (!used_b[j])
			r->only_b[r->nonly_b++] = b->trees[j];
	return 0;
}

int dd_compare(const struct dd_side *a, const struct dd_side *b, struct dd_result *r)
{
	bool *used_b = calloc(b->n ? b->n : 1, sizeof(bool));
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->pairs = calloc(a->n ? a->n : 1, sizeof(*r->pairs));
	r->only_a = calloc(a->n ? a->n : 1, sizeof(const struct dd_tree *));
	r->only_b = calloc(b->n ? b->n : 1, sizeof(const struct dd_tree *));
	if (used_b && r->pairs && r->only_a && r->only_b)
		rc = pair_trees(a, b, r, used_b);
	free(used_b);
	return rc;
}

static void free_mnodes(struct dd_mnode *m)
{
	while (m) {
		struct dd_mnode *next = m->next;

		free_mnodes(m->first);
		free(m);
		m = next;
	}
}

void dd_result_free(struct dd_result *r)
{
	for (size_t i = 0; r->pairs && i < r->npairs; i++)
		free_mnodes(r->pairs[i].top.first);
	free(r->pairs);
	free(r->only_a);
	free(r->only_b);
	memset(r, 0, sizeof(*r));
}

const char *dd_mnode_fn(const struct dd_mnode *m)
{
	return m->a ? m->a->fn : m->b ? m->b->fn : "";
}

bool dd_mnode_one_sided(const struct dd_mnode *m)
{
	return m->mark == DD_ONLY_A || m->mark == DD_ONLY_B;
}

bool dd_tree_calls(const struct dd_node *n, const char *step)
{
	for (const struct dd_node *c = n->first; c; c = c->next)
		if (!strcmp(c->step, step) || dd_tree_calls(c, step))
			return true;
	return false;
}
