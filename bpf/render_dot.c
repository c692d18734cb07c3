// SPDX-License-Identifier: GPL-2.0
/* Graphviz call graph of one syscall, for slides.  Edges are numbered in
 * call order because a DOT layout loses sibling order. */
#include <inttypes.h>
#include <stdio.h>
#include "render.h"

static void dot_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static int dot_nodes(FILE *f, struct dt_ctx *c, const struct dt_node *parent, int pid,
		     int *next, int *order, int depth, const struct render_opts *o)
{
	for (const struct dt_node *n = parent->first; n; n = n->next) {
		char args[320], ret[48];
		int id;

		if (dt_node_hidden(c, n) && !o->show_folded) {
			dot_nodes(f, c, n, pid, next, order, depth, o);
			continue;
		}
		id = (*next)++;
		dt_fmt_args(c, n, args, sizeof(args));
		dt_fmt_ret(n, ret, sizeof(ret));
		fprintf(f, "  n%d [label=\"", id);
		dot_label(f, dt_node_name(c, n));
		fprintf(f, "\\n");
		dot_label(f, args);
		if (*ret) {
			fprintf(f, "\\n");
			dot_label(f, ret);
		}
		fprintf(f, "\"%s];\n", n->kind == NODE_TP ? ", shape=note" :
			(n->ev.step < DT_STEP__N && (c->steps[n->ev.step].cat == CAT_FALLBACK ||
						     c->steps[n->ev.step].cat == CAT_BUFFERED)) ?
			", style=filled, fillcolor=orange" : "");
		fprintf(f, "  n%d -> n%d [label=\"%d\"];\n", pid, id, ++*order);
		if (!o->max_depth || depth < o->max_depth)
			dot_nodes(f, c, n, id, next, order, depth + 1, o);
	}
	return 0;
}

void render_dot(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o)
{
	int next = 1, order = 0;

	fprintf(f, "digraph diotrace_%" PRIu64 " {\n  rankdir=LR;\n  node [shape=box, "
		"fontname=\"monospace\", fontsize=10];\n  n0 [label=\"%s(%s)%s\\n= %" PRId64
		"\", shape=oval];\n", t->seq, dt_sys_name(t->root.sys), t->path,
		t->o_direct ? " O_DIRECT" : "", t->ret);
	dot_nodes(f, c, &t->top, 0, &next, &order, 1, o);
	for (int i = 0; i < t->nnotes; i++) {
		fprintf(f, "  note%d [shape=plaintext, label=\"", i);
		dot_label(f, t->notes[i].text);
		fprintf(f, "\"];\n");
	}
	fprintf(f, "}\n");
}
