// SPDX-License-Identifier: GPL-2.0
/*
 * `diotrace diff` as text: each paired syscall's two trees laid over each
 * other, drawn like `report` draws one.  A step only in A is marked "-",
 * only in B "+", changed "~"; durations are A | B.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dexplain.h"
#include "draw.h"
#include "render_diff.h"

static const char *mark_of(enum dd_mark m)
{
	switch (m) {
	case DD_ONLY_A: return "- ";
	case DD_ONLY_B: return "+ ";
	case DD_CHANGED: case DD_REPLACED: return "~ ";
	default: return "";
	}
}

static void fmt_side_dur(const struct dd_node *n, char *buf, size_t len)
{
	if (n && !n->tp && n->exited)
		dt_fmt_dur(n->dur_ns, buf, len);
	else
		snprintf(buf, len, "%s", n && n->tp ? "" : "-");
}

/* "vfs_write = 65536  12.59ms | 13.97ms" */
static void node_line(FILE *f, const struct dd_mnode *m)
{
	const struct dd_node *one = m->a ? m->a : m->b;
	char ret[64], da[32], db[32];
	const char *b_name = m->b && m->a && strcmp(m->a->fn, m->b->fn) != 0 ? m->b->fn : NULL;

	if (!one)
		return;
	fprintf(f, "%s%s%s%s", mark_of(m->mark), one->fn, b_name ? " → " : "",
		b_name ? b_name : "");
	if (one->tp) {
		fprintf(f, " [tp]");
		if (one->run > 1 || (m->a && m->b && m->a->run != m->b->run))
			fprintf(f, " ×%d", m->a ? m->a->run : m->b->run);
		if (m->a && m->b && m->a->run != m->b->run)
			fprintf(f, " | ×%d", m->b->run);
		return;
	}
	dd_fmt_ret(one, ret, sizeof(ret));
	if (*ret)
		fprintf(f, " %s", ret);
	if ((m->changes & DD_C_RET) && m->b) {
		dd_fmt_ret(m->b, ret, sizeof(ret));
		fprintf(f, " | %s", ret);
	}
	fmt_side_dur(m->a, da, sizeof(da));
	fmt_side_dur(m->b, db, sizeof(db));
	fprintf(f, "  %s | %s", da, db);
}

static void print_mnodes(FILE *f, const struct dd_ctx *x, const struct dd_mnode *parent,
			 const char *pfx)
{
	for (const struct dd_mnode *m = parent->first; m; m = m->next) {
		char why[768], sub[256];

		fprintf(f, "%s%s ", pfx, dt_branch(!m->next));
		node_line(f, m);
		dd_explain_changes(m, why, sizeof(why));
		if (*why)
			fprintf(f, "  [%s]", why);
		fputc('\n', f);
		dt_child_prefix(sub, sizeof(sub), pfx, !m->next);
		dd_explain_absence(x, m, dd_mnode_fn(parent), dd_mnode_one_sided(parent), why,
				   sizeof(why));
		if (*why)
			fprintf(f, "%s  ↳ %s\n", sub, why);
		print_mnodes(f, x, m, sub);
	}
}

static void fmt_root_ret(const struct dd_tree *t, char *buf, size_t len)
{
	const char *e = dt_errname(t->ret);

	if (!t->exited)
		snprintf(buf, len, "?");
	else if (e)
		snprintf(buf, len, "%s", e);
	else
		snprintf(buf, len, "%" PRId64, t->ret);
}

static void pair_header(FILE *f, const struct dd_pair *p)
{
	const struct dd_tree *a = p->a, *b = p->b;
	char ra[64], rb[64], da[32], db[32];

	fmt_root_ret(a, ra, sizeof(ra));
	fmt_root_ret(b, rb, sizeof(rb));
	dt_fmt_dur(a->dur_ns, da, sizeof(da));
	dt_fmt_dur(b->dur_ns, db, sizeof(db));
	fprintf(f, "#%" PRIu64 " | #%" PRIu64 " %s(%s", a->seq, b->seq, a->sys, a->path);
	if (strcmp(a->path, b->path) != 0)
		fprintf(f, " | %s", b->path);
	fprintf(f, ", %" PRIu64 " bytes", a->count);
	if (a->offset >= 0)
		fprintf(f, " @ %" PRId64, a->offset);
	fprintf(f, ")%s = %s", a->o_direct ? " O_DIRECT" : "", ra);
	if (p->tree_changes & DD_T_RET)
		fprintf(f, " | %s", rb);
	fprintf(f, "  %s | %s\n", da, db);
}

static void tree_changes(FILE *f, const struct dd_pair *p)
{
	const struct dd_tree *a = p->a, *b = p->b;

	if (p->tree_changes & DD_T_ITER)
		fprintf(f, "   ~ f_op->%s_iter=%s  a_ops->direct_IO=%s → %s, %s\n",
			a->is_write ? "write" : "read", a->write_iter, a->direct_io,
			b->write_iter, b->direct_io);
	if (p->tree_changes & DD_T_ENGINE)
		fprintf(f, "   ~ direct-I/O engine: %s → %s\n", *a->engine ? a->engine : "none",
			*b->engine ? b->engine : "none");
	if (p->tree_changes & DD_T_PAGES) {
		char pa[128], pb[128];

		dd_fmt_pages(a->foll_pin, a->foll_get, pa, sizeof(pa));
		dd_fmt_pages(b->foll_pin, b->foll_get, pb, sizeof(pb));
		fprintf(f, "   ~ pages: %s → %s\n", pa, pb);
	}
	if (p->tree_changes & DD_T_FALLBACK)
		fprintf(f, "   ~ buffered fallback: %s → %s\n", *a->fallback ? a->fallback : "none",
			*b->fallback ? b->fallback : "none");
}

static void print_pair(FILE *f, const struct dd_ctx *x)
{
	const struct dd_pair *p = x->p;

	pair_header(f, p);
	if (!dd_pair_differs(p))
		return;
	tree_changes(f, p);
	print_mnodes(f, x, &p->top, "   ");
	for (int i = 0; i < p->nnotes; i++) {
		if (p->notes[i].a)
			fprintf(f, "   - => %s\n", p->notes[i].a->text);
		if (p->notes[i].b)
			fprintf(f, "   + => %s\n", p->notes[i].b->text);
	}
	fputc('\n', f);
}

/* "9 × read(libc.so.6, 832 bytes)", one group per operation. */
static void describe(FILE *f, const struct dd_tree *const *t, size_t n)
{
	bool *done = n ? calloc(n, sizeof(*done)) : NULL;

	if (!done) {
		fprintf(f, "no syscalls (as in report, 9p and VFS-only ones are left out)");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		if (done[i])
			continue;
		for (size_t j = i; j < n; j++)
			if (!done[j] && !strcmp(t[j]->sys, t[i]->sys) && t[j]->count == t[i]->count &&
			    !strcmp(dd_basename(t[j]->path), dd_basename(t[i]->path))) {
				done[j] = true;
				k++;
			}
		fprintf(f, "%s%zu × %s(%s, %" PRIu64 " bytes)", i ? ", " : "", k, t[i]->sys,
			dd_basename(t[i]->path), t[i]->count);
	}
	free(done);
}

void dd_describe_side(FILE *f, const struct dd_side *s)
{
	describe(f, (const struct dd_tree *const *)s->trees, s->n);
}

static void print_unpaired(FILE *f, const char *side, const struct dd_tree **t, size_t n)
{
	if (!n)
		return;
	fprintf(f, "only in %s, not paired: %zu syscall(s): ", side, n);
	describe(f, t, n);
	fputc('\n', f);
}

char *dd_time_note(const struct dd_side *a, const struct dd_side *b, char *buf, size_t len)
{
	char pa[64], pb[64];
	bool any_emul = a->emulated == DT_EMUL_YES || (b && b->emulated == DT_EMUL_YES);
	bool any_unknown = a->emulated == DT_EMUL_UNKNOWN || (b && b->emulated == DT_EMUL_UNKNOWN);
	int o;

	dt_emul_phrase(a->emulated, a->accel, pa, sizeof(pa));
	if (b)
		dt_emul_phrase(b->emulated, b->accel, pb, sizeof(pb));
	if (!b)
		o = snprintf(buf, len, "%s", pa);
	else if (!strcmp(pa, pb))
		o = snprintf(buf, len, "%s on both", pa);
	else
		o = snprintf(buf, len, "A %s, B %s", pa, pb);
	if (o < 0 || (size_t)o >= len)
		return buf;
	if (any_emul)
		snprintf(buf + o, len - o, ": emulated time, several times native");
	else if (any_unknown)
		snprintf(buf + o, len - o, ": guest time, the input does not say");
	return buf;
}

static void header(FILE *f, const struct dd_side *a, const struct dd_side *b)
{
	char note[256];

	fprintf(f, "diotrace diff\n");
	fprintf(f, "  A: %s (%s, %zu syscalls)\n", a->file, *a->kernel ? a->kernel : "kernel ?",
		a->n);
	fprintf(f, "  B: %s (%s, %zu syscalls)\n", b->file, *b->kernel ? b->kernel : "kernel ?",
		b->n);
	fprintf(f, "  pairs: same syscall, direction, file name and size, in order\n");
	fprintf(f, "  marks: - only in A, + only in B, ~ changed; times are A | B\n");
	fprintf(f, "  times: %s\n\n", dd_time_note(a, b, note, sizeof(note)));
}

void render_diff_text(FILE *f, const struct dd_side *a, const struct dd_side *b,
		      const struct dd_result *r)
{
	if (!r->ndiffer && !r->nonly_a && !r->nonly_b) {
		fprintf(f, "diotrace diff: no differences (%zu syscall(s) paired: the same steps, "
			"attach methods, pins and notes)\n", r->npairs);
		return;
	}
	header(f, a, b);
	for (size_t i = 0; i < r->npairs; i++) {
		struct dd_ctx x = { a, b, &r->pairs[i] };

		if (!dd_pair_differs(&r->pairs[i]))
			fprintf(f, "= ");
		print_pair(f, &x);
	}
	print_unpaired(f, "A", r->only_a, r->nonly_a);
	print_unpaired(f, "B", r->only_b, r->nonly_b);
	fprintf(f, "diotrace diff: %zu syscall(s) paired, %zu differ; %zu only in A, %zu only in B\n",
		r->npairs, r->ndiffer, r->nonly_a, r->nonly_b);
}
