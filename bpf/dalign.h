/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `diotrace diff`: which syscall of A goes with which of B, and the two
 * trees laid over each other step by step.
 *
 * Pairing: an A tree pairs with the first unpaired B tree of the same
 * syscall, direction, file name (the path's last component: the mount
 * points of two file systems differ) and byte count, in recording order.
 * Alignment: at each level the children's steps.def names are matched by a
 * longest common subsequence; in the gap between two matches an A-only and
 * a B-only step whose own callees share a step are taken as one step that
 * changed its name (kiocb_invalidate_pages inlined, filemap_invalidate_pages
 * in its place), and failing that two whose deeper calls share one
 * (generic_file_write_iter and ext4_file_write_iter both reach
 * pin_user_pages_fast); both must be of one kind (steps.def's category).
 */
#ifndef DALIGN_H
#define DALIGN_H

#include "dmodel.h"

enum dd_mark { DD_SAME, DD_CHANGED, DD_ONLY_A, DD_ONLY_B, DD_REPLACED };

/* What differs between two aligned nodes (DD_CHANGED) */
#define DD_C_SYM	0x1	/* another symbol: a clone or a rename */
#define DD_C_ATTACH	0x2	/* fentry vs kprobe */
#define DD_C_PIN	0x4	/* FOLL_GET vs FOLL_PIN, or the page count */
#define DD_C_RET	0x8
#define DD_C_RUN	0x10	/* a tracepoint fired a different number of times */

struct dd_mnode {
	const struct dd_node *a, *b;
	enum dd_mark mark;
	bool same_callees;		/* DD_REPLACED: callees in common, not only deeper steps */
	unsigned changes;
	struct dd_mnode *first, *next;
};

/* Tree-level differences */
#define DD_T_RET	0x1
#define DD_T_ITER	0x2	/* f_op->write_iter / a_ops->direct_IO */
#define DD_T_ENGINE	0x4
#define DD_T_FALLBACK	0x8
#define DD_T_PAGES	0x10

struct dd_notediff {
	const struct dd_note *a, *b;	/* one of them NULL: only in the other */
};

struct dd_pair {
	const struct dd_tree *a, *b;
	struct dd_mnode top;
	unsigned tree_changes;
	int nodes_changed;		/* nodes not DD_SAME */
	struct dd_notediff notes[2 * DT_MAX_NOTES];
	int nnotes;			/* notes that differ */
};

struct dd_result {
	struct dd_pair *pairs;
	size_t npairs, ndiffer;
	const struct dd_tree **only_a, **only_b;
	size_t nonly_a, nonly_b;
};

int dd_compare(const struct dd_side *a, const struct dd_side *b, struct dd_result *r);
void dd_result_free(struct dd_result *r);
bool dd_pair_differs(const struct dd_pair *p);
/* The symbol a merged node stands for ("" for the tree's top). */
const char *dd_mnode_fn(const struct dd_mnode *m);
/* Only A or only B has this node (and so everything under it). */
bool dd_mnode_one_sided(const struct dd_mnode *m);
/* Is @step called anywhere under @n? */
bool dd_tree_calls(const struct dd_node *n, const char *step);

#endif
