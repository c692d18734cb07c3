// SPDX-License-Identifier: GPL-2.0
/*
 * `diotrace diff --seed B`: walk the seed article's 2.6 write path
 * (seed-2.6.def) and say, for each 2.6 name, which step does its job today
 * and what B's trace shows of it, or that it is gone.
 */
#include <inttypes.h>
#include <string.h>
#include "dexplain.h"
#include "diff_cmd.h"
#include "draw.h"
#include "render.h"
#include "render_diff.h"
#include "seed.h"

const struct seed_entry seed_chain[] = {
#define SEED(n, d, g, t1, t2, note, cite) { n, d, g, t1, t2, note, cite },
#include "seed-2.6.def"
#undef SEED
};
const unsigned seed_chain_n = sizeof(seed_chain) / sizeof(seed_chain[0]);

static const struct dd_node *find_step(const struct dd_node *n, const char *step)
{
	for (const struct dd_node *c = n->first; c; c = c->next) {
		const struct dd_node *hit;

		if (!c->tp && !strcmp(c->step, step))
			return c;
		if ((hit = find_step(c, step)))
			return hit;
	}
	return NULL;
}

/* B's first O_DIRECT write that reached a direct-I/O engine, else its
 * first write: the seed's chain is the write path. */
static const struct dd_tree *pick_write(const struct dd_side *b)
{
	const struct dd_tree *w = NULL;

	for (size_t i = 0; i < b->n; i++) {
		const struct dd_tree *t = b->trees[i];

		if (t->is_write && t->o_direct && t->engine[0])
			return t;
		if (t->is_write && !w)
			w = t;
	}
	return w;
}

/* The node of B that does this entry's job today, if B shows one. */
static const struct dd_node *today_node(const struct seed_entry *e, const struct dd_tree *t,
					const char **name)
{
	const struct dd_node *n = NULL;

	*name = dd_step_name(e->today);
	if (*name)
		n = find_step(&t->top, *name);
	if (!n && dd_step_name(e->today2)) {
		n = find_step(&t->top, dd_step_name(e->today2));
		if (n || !*name)
			*name = dd_step_name(e->today2);
	}
	return n;
}

static bool last_at_depth(unsigned i)
{
	for (unsigned j = i + 1; j < seed_chain_n; j++) {
		if (seed_chain[j].depth < seed_chain[i].depth)
			return true;
		if (seed_chain[j].depth == seed_chain[i].depth)
			return false;
	}
	return true;
}

/* "│  " for each open ancestor level: the prefix of entry @i. */
static void prefix_of(unsigned i, char *buf, size_t len)
{
	size_t o = snprintf(buf, len, "   ");

	for (int d = 1; d < seed_chain[i].depth && o < len; d++) {
		bool open = false;

		for (unsigned j = i; j-- > 0;)
			if (seed_chain[j].depth == d) {
				open = !last_at_depth(j);
				break;
			}
		o += snprintf(buf + o, len - o, "%s", open ? "│  " : "   ");
	}
}

static void text_entry(FILE *f, unsigned i, const struct dd_tree *t)
{
	const struct seed_entry *e = &seed_chain[i];
	const char *name = NULL;
	const struct dd_node *n = e->today == SEED_ROOT ? NULL : today_node(e, t, &name);
	char pfx[128], sub[160], dur[32], ret[64];

	prefix_of(i, pfx, sizeof(pfx));
	if (e->depth)
		fprintf(f, "%s%s ", pfx, dt_branch(last_at_depth(i)));
	else
		fprintf(f, "%s", pfx);
	if (e->today == SEED_ROOT) {
		dt_fmt_dur(t->dur_ns, dur, sizeof(dur));
		fprintf(f, "%s → %s (the tree's root)  %s\n", e->name, t->sys, dur);
	} else if (n) {
		dt_fmt_dur(n->dur_ns, dur, sizeof(dur));
		dd_fmt_ret(n, ret, sizeof(ret));
		fprintf(f, "%s%s → %s%s%s  %s\n", e->gone ? "- " : "", e->name, n->fn,
			*ret ? " " : "", ret, dur);
	} else {
		fprintf(f, "- %s → %s: not in this trace\n", e->name, name ? name : "?");
	}
	if (e->depth)
		dt_child_prefix(sub, sizeof(sub), pfx, last_at_depth(i));
	else
		snprintf(sub, sizeof(sub), "%s", pfx);
	fprintf(f, "%s  ↳ %s [%s]\n", sub, e->note, e->cite);
}

static void json_entry(FILE *f, const struct seed_entry *e, const struct dd_tree *t)
{
	const char *name = NULL;
	const struct dd_node *n = e->today == SEED_ROOT ? NULL : today_node(e, t, &name);

	fprintf(f, "{\"seed\":");
	json_str(f, e->name);
	fprintf(f, ",\"depth\":%d,\"gone\":%s,\"today\":", e->depth, e->gone ? "true" : "false");
	json_str(f, e->today == SEED_ROOT ? t->sys : name);
	fprintf(f, ",\"in_trace\":%s", e->today == SEED_ROOT || n ? "true" : "false");
	if (n) {
		fprintf(f, ",\"fn\":");
		json_str(f, n->fn);
		fprintf(f, ",\"dur_ns\":%" PRIu64, n->dur_ns);
	} else if (e->today == SEED_ROOT) {
		fprintf(f, ",\"dur_ns\":%" PRIu64, t->dur_ns);
	}
	fprintf(f, ",\"note\":");
	json_str(f, e->note);
	fprintf(f, ",\"cite\":");
	json_str(f, e->cite);
	fputc('}', f);
}

static void seed_json(FILE *f, const struct dd_side *b, const struct dd_tree *t)
{
	char note[256];

	fprintf(f, "{\"type\":\"seed\",\"b\":{\"file\":");
	json_str(f, b->file);
	fprintf(f, ",\"kernel\":");
	json_str(f, b->kernel);
	fprintf(f, ",\"emulated\":%s,\"accel\":", dt_emul_json(b->emulated));
	json_str(f, *b->accel ? b->accel : "unknown");
	fprintf(f, ",\"seq\":%" PRIu64 ",\"syscall\":", t->seq);
	json_str(f, t->sys);
	fprintf(f, ",\"path\":");
	json_str(f, t->path);
	fprintf(f, "},\"time\":");
	json_str(f, dd_time_note(b, NULL, note, sizeof(note)));
	fprintf(f, ",\"steps\":[");
	for (unsigned i = 0; i < seed_chain_n; i++) {
		if (i)
			fputc(',', f);
		json_entry(f, &seed_chain[i], t);
	}
	fprintf(f, "]}\n");
}

int seed_compare(FILE *f, const struct dd_side *b, bool json)
{
	char note[256];
	const struct dd_tree *t = pick_write(b);

	if (!t) {
		fprintf(stderr, "diotrace diff --seed: %s traces no write(): the seed's chain is "
			"the 2.6 write path\n", b->file);
		return DD_EXIT_UNRELATED;
	}
	if (json) {
		seed_json(f, b, t);
		return DD_EXIT_SAME;
	}
	fprintf(f, "diotrace diff --seed: the seed article's 2.6 write path (Listing 8) "
		"against B\n  B: %s (%s), #%" PRIu64 " %s(%s, %" PRIu64 " bytes)%s\n"
		"  each 2.6 name → the step that does its job today, as B ran it "
		"(- gone or not in this trace)\n  times: %s\n\n", b->file,
		*b->kernel ? b->kernel : "kernel ?", t->seq, t->sys, t->path, t->count,
		t->o_direct ? " O_DIRECT" : "", dd_time_note(b, NULL, note, sizeof(note)));
	for (unsigned i = 0; i < seed_chain_n; i++)
		text_entry(f, i, t);
	/* 2.6 always differs: the status says only that the comparison ran */
	return DD_EXIT_SAME;
}
