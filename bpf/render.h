/* SPDX-License-Identifier: GPL-2.0 */
/* Renderers: text tree, JSON (schema in docs/diotrace-json.md), DOT and
 * the exit summary. */
#ifndef RENDER_H
#define RENDER_H

#include <stdio.h>
#include "tree.h"

struct render_opts {
	int max_depth;		/* 0: unlimited */
	bool no_collapse;	/* print every repeated sibling */
	bool show_folded;
};

void render_text(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o);
void render_text_refault(FILE *f, struct dt_ctx *c, const struct dt_refault *r);
void render_json(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o);
void render_json_refault(FILE *f, struct dt_ctx *c, const struct dt_refault *r);
void render_text_worker(FILE *f, struct dt_ctx *c, const struct dt_worker *w);
void render_json_worker(FILE *f, struct dt_ctx *c, const struct dt_worker *w);
/* docs/diotrace-json.md's version; the end object carries it (2: the end
 * object says whether the machine was emulated) */
#define DT_JSON_SCHEMA 2
/* @fired: entries per step (DT_STEP__N of them), for "never_fired". */
void render_json_end(FILE *f, const struct dt_ctx *c, const uint64_t *fired, long trees,
		     double attach_ms);
void render_dot(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o);

/* Human-readable key arguments of one node. */
void dt_fmt_args(struct dt_ctx *c, const struct dt_node *n, char *buf, size_t len);
void dt_fmt_ret(const struct dt_node *n, char *buf, size_t len);
const char *dt_note_kind(unsigned k);
void json_str(FILE *f, const char *s);
/* A node's "args" members as --json writes them, without the braces;
 * @first: no comma before the first one. */
void render_json_args(FILE *f, struct dt_ctx *c, const struct dt_node *n, bool first);

/* Chrome trace-event JSON (render_chrome.c): the same trees as a timeline
 * for Perfetto's UI and chrome://tracing, one slice per call. */
struct chrome_trace;
struct chrome_trace *chrome_open(FILE *f);
void chrome_tree(struct chrome_trace *ct, struct dt_ctx *c, struct dt_tree *t,
		 const struct render_opts *o);
void chrome_worker(struct chrome_trace *ct, struct dt_ctx *c, const struct dt_worker *w);
void chrome_refault(struct chrome_trace *ct, struct dt_ctx *c, const struct dt_refault *r);
/* The drive workers' tracks and their flows, then the closing brackets;
 * closes the file and frees @ct.  -1 if the file could not be written. */
int chrome_close(struct chrome_trace *ct, const struct dt_ctx *c);

struct dt_summary;
struct dt_summary *summary_new(void);
void summary_add(struct dt_summary *s, struct dt_ctx *c, struct dt_tree *t);
void summary_print(FILE *f, struct dt_summary *s, struct dt_ctx *c, bool json);
void summary_free(struct dt_summary *s);

#endif
