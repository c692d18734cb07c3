/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `diotrace diff` compares: a syscall tree reduced to what two kernels
 * or two file systems can share.  Steps are keyed by their steps.def name,
 * not by the symbol that ran, so a rename or a compiler clone lines up;
 * folded helpers are spliced out as `report` draws them.  A recording and a
 * --json file both become this, so the comparison has one input.
 */
#ifndef DMODEL_H
#define DMODEL_H

#include <stdbool.h>
#include <stdint.h>
#include "tree.h"

#define DD_NAME 64
#define DD_PATH (DT_PATH_DEPTH * DT_NAME_LEN + 16)

struct dd_node {
	bool tp;			/* a tracepoint instant, not a call */
	char step[DD_NAME];		/* steps.def name, or the tracepoint's */
	char fn[DD_NAME];		/* the symbol that ran (a clone keeps its suffix) */
	char attach[12];		/* fentry, kprobe, tracepoint */
	bool exited;
	bool has_ret;			/* exited, and not a void function */
	int64_t ret;
	uint64_t dur_ns;
	const char *foll;		/* "PIN" or "GET" on a pinning call, else NULL */
	int run;			/* identical tracepoints in a row, drawn once */
	struct dd_node *first, *next;
};

struct dd_note {
	char kind[16];
	char text[256];
};

struct dd_tree {
	uint64_t seq;
	char sys[24];
	char comm[DT_COMM_LEN + 1];
	char path[DD_PATH];
	uint64_t count;
	int64_t offset;
	bool is_write, o_direct, exited, vfs_only, on_9p;
	int64_t ret;
	uint64_t dur_ns;
	uint64_t foll_pin, foll_get;
	char engine[DD_NAME];
	char write_iter[DD_NAME + 16];
	char direct_io[DD_NAME + 16];
	char fallback[160];		/* "" unless O_DIRECT fell back */
	struct dd_note notes[DT_MAX_NOTES];
	int nnotes;
	struct dd_node top;		/* its children are depth 1 */
};

/* What one input knew about its kernel, for "why is this step missing". */
struct dd_stepres {
	char step[DD_NAME];
	char method[12];		/* fentry, kprobe, tracepoint, inlined, - */
	char why[DT_WHY_LEN];
};

struct dd_side {
	char file[256];
	char kernel[72];
	uint8_t emulated;		/* enum dt_emul: unknown for old inputs */
	char accel[DT_ACCEL_LEN];
	bool resolution_known;		/* a recording carries it; --json does not */
	struct dd_stepres res[DT_STEP__N];
	struct dd_tree **trees;
	size_t n, cap;
};

/* Appends children in order while a tree is copied (dmodel.c, djson.c). */
struct dd_sink {
	struct dd_node *parent, *last;
};

void dd_sink_append(struct dd_sink *s, struct dd_node *d);
/* "PIN" for pin_user_pages*, "GET" for get_user_pages*, else NULL. */
const char *dd_foll_of(unsigned step);

struct dd_tree *dd_from_tree(struct dt_ctx *c, const struct dt_tree *t);
/* The side's kernel and step resolution, from a recording's context. */
void dd_side_set_ctx(struct dd_side *s, const struct dt_ctx *c);
bool dd_side_add(struct dd_side *s, struct dd_tree *t);
void dd_side_free(struct dd_side *s);
void dd_tree_free(struct dd_tree *t);
/* The leaf of a path: "d.bin" for "/tmp/vf/d.bin". */
const char *dd_basename(const char *path);
/* The steps.def entry named @step, or NULL (a tracepoint, an unknown name). */
const struct dd_stepres *dd_res(const struct dd_side *s, const char *step);
/* steps.def by name: a step's name is its first candidate symbol. */
const char *dd_step_name(unsigned step);	/* NULL past the table */
unsigned dd_step_id(const char *name);		/* DT_STEP__N if unknown */
unsigned dd_step_flags(unsigned step);		/* SF_* */
unsigned dd_step_cat(unsigned step);		/* enum dt_cat, CAT__N if unknown */
/* Steps that are one idea under two names: FOLL_GET and FOLL_PIN pinning. */
const char *dd_align_key(const struct dd_node *n);

#endif
