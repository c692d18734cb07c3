// SPDX-License-Identifier: GPL-2.0
/* `diotrace diff --json`: one object with the same facts as the text
 * (docs/diotrace.md, "diotrace diff"). */
#include <inttypes.h>
#include <stdio.h>
#include "dexplain.h"
#include "render.h"
#include "render_diff.h"

static const char *mark_name(enum dd_mark m)
{
	static const char *const n[] = { "same", "changed", "only_a", "only_b", "replaced" };

	return n[m];
}

static void side_str(FILE *f, const struct dd_node *n, const char *s)
{
	if (n)
		json_str(f, s);
	else
		fprintf(f, "null");
}

static void side_ret(FILE *f, const struct dd_node *n)
{
	if (n && n->has_ret)
		fprintf(f, "%" PRId64, n->ret);
	else
		fprintf(f, "null");
}

static void side_dur(FILE *f, const struct dd_node *n)
{
	if (n && n->exited)
		fprintf(f, "%" PRIu64, n->dur_ns);
	else
		fprintf(f, "null");
}

static void json_changes(FILE *f, unsigned c)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ DD_C_SYM, "symbol" }, { DD_C_ATTACH, "attach" }, { DD_C_PIN, "pin" },
		{ DD_C_RET, "ret" }, { DD_C_RUN, "run" },
	};
	bool first = true;

	fputc('[', f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (c & names[i].bit) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", names[i].name);
			first = false;
		}
	fputc(']', f);
}

static void json_mnodes(FILE *f, const struct dd_ctx *x, const struct dd_mnode *parent);

static void json_mnode(FILE *f, const struct dd_ctx *x, const struct dd_mnode *m,
		       const struct dd_mnode *parent)
{
	const struct dd_node *a = m->a, *b = m->b, *one = a ? a : b;
	char why[768];

	fprintf(f, "{\"mark\":\"%s\",\"step\":", mark_name(m->mark));
	json_str(f, one->step);
	fprintf(f, ",\"tp\":%s,\"fn\":[", one->tp ? "true" : "false");
	side_str(f, a, a ? a->fn : NULL);
	fputc(',', f);
	side_str(f, b, b ? b->fn : NULL);
	fprintf(f, "],\"attach\":[");
	side_str(f, a, a ? a->attach : NULL);
	fputc(',', f);
	side_str(f, b, b ? b->attach : NULL);
	fprintf(f, "],\"foll\":[");
	side_str(f, a && a->foll ? a : NULL, a ? a->foll : NULL);
	fputc(',', f);
	side_str(f, b && b->foll ? b : NULL, b ? b->foll : NULL);
	fprintf(f, "],\"ret\":[");
	side_ret(f, a);
	fputc(',', f);
	side_ret(f, b);
	fprintf(f, "],\"dur_ns\":[");
	side_dur(f, a);
	fputc(',', f);
	side_dur(f, b);
	fprintf(f, "],\"run\":[%d,%d],\"changes\":", a ? a->run : 0, b ? b->run : 0);
	json_changes(f, m->changes);
	dd_explain_changes(m, why, sizeof(why));
	fprintf(f, ",\"what\":");
	json_str(f, why);
	dd_explain_absence(x, m, dd_mnode_fn(parent), dd_mnode_one_sided(parent), why,
			   sizeof(why));
	fprintf(f, ",\"why\":");
	json_str(f, why);
	if (m->first) {
		fprintf(f, ",\"children\":");
		json_mnodes(f, x, m);
	}
	fputc('}', f);
}

static void json_mnodes(FILE *f, const struct dd_ctx *x, const struct dd_mnode *parent)
{
	fputc('[', f);
	for (const struct dd_mnode *m = parent->first; m; m = m->next) {
		json_mnode(f, x, m, parent);
		if (m->next)
			fputc(',', f);
	}
	fputc(']', f);
}

static void json_pages(FILE *f, const struct dd_tree *t)
{
	char buf[128];

	dd_fmt_pages(t->foll_pin, t->foll_get, buf, sizeof(buf));
	fprintf(f, "{\"foll_pin\":%" PRIu64 ",\"foll_get\":%" PRIu64 ",\"text\":", t->foll_pin,
		t->foll_get);
	json_str(f, buf);
	fputc('}', f);
}

/* "key":["A","B"], */
static void json_ab(FILE *f, const char *key, const char *a, const char *b)
{
	fprintf(f, "\"%s\":[", key);
	json_str(f, a);
	fputc(',', f);
	json_str(f, b);
	fprintf(f, "],");
}

static void json_pair_facts(FILE *f, const struct dd_pair *p)
{
	const struct dd_tree *a = p->a, *b = p->b;

	json_ab(f, "write_iter", a->write_iter, b->write_iter);
	json_ab(f, "direct_IO", a->direct_io, b->direct_io);
	json_ab(f, "engine", a->engine, b->engine);
	json_ab(f, "fallback", a->fallback, b->fallback);
	fprintf(f, "\"pages\":[");
	json_pages(f, a);
	fputc(',', f);
	json_pages(f, b);
	fprintf(f, "],\"ret\":[%" PRId64 ",%" PRId64 "],\"dur_ns\":[%" PRIu64 ",%" PRIu64 "]",
		a->ret, b->ret, a->dur_ns, b->dur_ns);
}

static void json_notes(FILE *f, const struct dd_pair *p)
{
	fputc('[', f);
	for (int i = 0; i < p->nnotes; i++) {
		const struct dd_note *na = p->notes[i].a, *nb = p->notes[i].b;
		const struct dd_note *any = na ? na : nb;

		if (!any)
			continue;
		fprintf(f, "%s{\"kind\":", i ? "," : "");
		json_str(f, any->kind);
		fprintf(f, ",\"a\":");
		if (na)
			json_str(f, na->text);
		else
			fprintf(f, "null");
		fprintf(f, ",\"b\":");
		if (nb)
			json_str(f, nb->text);
		else
			fprintf(f, "null");
		fputc('}', f);
	}
	fputc(']', f);
}

static void json_pair(FILE *f, const struct dd_ctx *x)
{
	const struct dd_pair *p = x->p;

	fprintf(f, "{\"a_seq\":%" PRIu64 ",\"b_seq\":%" PRIu64 ",\"syscall\":", p->a->seq,
		p->b->seq);
	json_str(f, p->a->sys);
	fprintf(f, ",\"path\":[");
	json_str(f, p->a->path);
	fputc(',', f);
	json_str(f, p->b->path);
	fprintf(f, "],\"count\":%" PRIu64 ",\"differs\":%s,", p->a->count,
		dd_pair_differs(p) ? "true" : "false");
	json_pair_facts(f, p);
	fprintf(f, ",\"notes\":");
	json_notes(f, p);
	fprintf(f, ",\"steps\":");
	json_mnodes(f, x, &p->top);
	fputc('}', f);
}

static void json_unpaired(FILE *f, const struct dd_tree **t, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s{\"seq\":%" PRIu64 ",\"syscall\":", i ? "," : "", t[i]->seq);
		json_str(f, t[i]->sys);
		fprintf(f, ",\"path\":");
		json_str(f, t[i]->path);
		fprintf(f, ",\"count\":%" PRIu64 "}", t[i]->count);
	}
	fputc(']', f);
}

static void json_side(FILE *f, const struct dd_side *s)
{
	fprintf(f, "{\"file\":");
	json_str(f, s->file);
	fprintf(f, ",\"kernel\":");
	json_str(f, s->kernel);
	fprintf(f, ",\"emulated\":%s,\"accel\":", dt_emul_json(s->emulated));
	json_str(f, *s->accel ? s->accel : "unknown");
	fprintf(f, ",\"syscalls\":%zu}", s->n);
}

void render_diff_json(FILE *f, const struct dd_side *a, const struct dd_side *b,
		      const struct dd_result *r)
{
	char note[256];

	fprintf(f, "{\"type\":\"diff\",\"a\":");
	json_side(f, a);
	fprintf(f, ",\"b\":");
	json_side(f, b);
	fprintf(f, ",\"time\":");
	json_str(f, dd_time_note(a, b, note, sizeof(note)));
	fprintf(f, ",\"paired\":%zu,\"differ\":%zu,\"pairs\":[", r->npairs, r->ndiffer);
	for (size_t i = 0; i < r->npairs; i++) {
		struct dd_ctx x = { a, b, &r->pairs[i] };

		if (i)
			fputc(',', f);
		json_pair(f, &x);
	}
	fprintf(f, "],\"only_a\":");
	json_unpaired(f, r->only_a, r->nonly_a);
	fprintf(f, ",\"only_b\":");
	json_unpaired(f, r->only_b, r->nonly_b);
	fprintf(f, "}\n");
}
