// SPDX-License-Identifier: GPL-2.0
/* --summary: counts and latency per function and per path, at exit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render.h"

struct agg {
	uint64_t n, total, max;
};

#define MAX_PATHS 32

struct dt_summary {
	struct agg fn[DT_STEP__N];
	struct {
		char key[96];
		struct agg a;
	} path[MAX_PATHS];
	int npaths;
	uint64_t trees, incomplete;
};

struct dt_summary *summary_new(void)
{
	return calloc(1, sizeof(struct dt_summary));
}

void summary_free(struct dt_summary *s)
{
	free(s);
}

static void agg_add(struct agg *a, uint64_t v)
{
	a->n++;
	a->total += v;
	if (v > a->max)
		a->max = v;
}

static void walk(struct dt_summary *s, const struct dt_node *n)
{
	for (; n; n = n->next) {
		if (n->kind == NODE_CALL && n->ev.step < DT_STEP__N)
			agg_add(&s->fn[n->ev.step], dt_node_dur(n));
		walk(s, n->first);
	}
}

/* The engines analyze.c names, as a student knows them. */
static const char *engine_label(const char *engine)
{
	if (!engine[0])
		return "";
	if (!strcmp(engine, "iomap_dio_rw"))
		return " (iomap)";
	if (!strcmp(engine, "__blockdev_direct_IO"))
		return " (direct-io.c)";
	if (!strcmp(engine, "dtape"))
		return " (dtape)";
	return " (bdev)";
}

void summary_add(struct dt_summary *s, struct dt_ctx *c, struct dt_tree *t)
{
	char key[96];
	int i;

	(void)c;
	s->trees++;
	if (!t->exited || t->lost)
		s->incomplete++;
	walk(s, t->top.first);
	/* A "path" is what happened, not which functions: that is what a
	 * student compares between file systems. */
	snprintf(key, sizeof(key), "%s %s%s%s", t->is_write ? "write" : "read",
		 t->o_direct ? "O_DIRECT" : "buffered",
		 t->fell_back ? " -> buffered fallback" : t->did_dio ? " -> direct" : "",
		 engine_label(t->dio_engine));
	for (i = 0; i < s->npaths; i++)
		if (!strcmp(s->path[i].key, key))
			break;
	if (i == s->npaths) {
		if (s->npaths == MAX_PATHS)
			return;
		snprintf(s->path[s->npaths++].key, sizeof(s->path[0].key), "%s", key);
	}
	if (t->exited && t->ts_exit >= t->root.ev.ts)
		agg_add(&s->path[i].a, t->ts_exit - t->root.ev.ts);
}

void summary_print(FILE *f, struct dt_summary *s, struct dt_ctx *c, bool json)
{
	if (json) {
		bool first = true;

		fprintf(f, "{\"type\":\"summary\",\"trees\":%" PRIu64 ",\"incomplete\":%" PRIu64
			",\"lost\":%" PRIu64 ",\"functions\":[", s->trees, s->incomplete,
			c->lost_total);
		for (unsigned i = 0; i < DT_STEP__N; i++) {
			if (!s->fn[i].n)
				continue;
			fprintf(f, "%s{\"fn\":", first ? "" : ",");
			json_str(f, c->steps[i].sym[0] ? c->steps[i].sym : c->steps[i].label);
			fprintf(f, ",\"count\":%" PRIu64 ",\"avg_ns\":%" PRIu64 ",\"max_ns\":%" PRIu64
				"}", s->fn[i].n, s->fn[i].total / s->fn[i].n, s->fn[i].max);
			first = false;
		}
		fprintf(f, "],\"paths\":[");
		for (int i = 0; i < s->npaths; i++) {
			fprintf(f, "%s{\"path\":", i ? "," : "");
			json_str(f, s->path[i].key);
			fprintf(f, ",\"count\":%" PRIu64 ",\"avg_ns\":%" PRIu64 ",\"max_ns\":%" PRIu64
				"}", s->path[i].a.n, s->path[i].a.n ? s->path[i].a.total /
				s->path[i].a.n : 0, s->path[i].a.max);
		}
		fprintf(f, "]}\n");
		return;
	}
	fprintf(f, "== summary: %" PRIu64 " syscalls traced, %" PRIu64 " incomplete, %" PRIu64
		" events lost\n", s->trees, s->incomplete, c->lost_total);
	fprintf(f, "%-40s %8s %12s %12s\n", "PATH", "COUNT", "AVG", "MAX");
	for (int i = 0; i < s->npaths; i++)
		fprintf(f, "%-40s %8" PRIu64 " %10.1fus %10.1fus\n", s->path[i].key,
			s->path[i].a.n, s->path[i].a.n ? s->path[i].a.total / 1e3 / s->path[i].a.n : 0,
			s->path[i].a.max / 1e3);
	fprintf(f, "%-40s %8s %12s %12s\n", "FUNCTION", "COUNT", "AVG", "MAX");
	for (unsigned i = 0; i < DT_STEP__N; i++)
		if (s->fn[i].n)
			fprintf(f, "%-40s %8" PRIu64 " %10.1fus %10.1fus\n",
				c->steps[i].sym[0] ? c->steps[i].sym : c->steps[i].label,
				s->fn[i].n, s->fn[i].total / 1e3 / s->fn[i].n, s->fn[i].max / 1e3);
}
