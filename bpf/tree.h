/* SPDX-License-Identifier: GPL-2.0 */
/* Turns the flat event stream into one call tree per syscall. */
#ifndef TREE_H
#define TREE_H

#include <stdio.h>
#include "dtctx.h"

enum dt_node_kind { NODE_CALL, NODE_TP };

struct dt_node {
	struct dt_event ev;		/* the entry event (or the tracepoint) */
	int64_t ret;
	uint64_t ts_exit;
	bool exited;
	uint8_t kind;
	int depth;			/* 1 = directly under the syscall */
	struct dt_node *parent, *first, *last, *next;
};

enum dt_note_kind {
	NOTE_FALLBACK, NOTE_UNMAP, NOTE_FLUSH, NOTE_INVAL_FAIL, NOTE_STALE,
	NOTE_EINVAL, NOTE_MISSING, NOTE_LOST, NOTE_DIRECT, NOTE_INFO, NOTE_NETFS,
};

struct dt_note {
	uint8_t kind;
	char text[256];
};

#define DT_MAX_NOTES 16

struct dt_tree {
	uint64_t seq;
	struct dt_root root;
	bool exited;
	int64_t ret;
	uint64_t ts_exit;
	uint32_t lost;
	struct dt_node top;		/* pseudo node; children are depth 1 */
	struct dt_node *cur;
	char path[DT_PATH_DEPTH * DT_NAME_LEN + 16];
	struct dt_note notes[DT_MAX_NOTES];
	int nnotes;
	/* derived by dt_analyze() */
	bool o_direct, is_write, did_dio, fell_back;
	bool vfs_only;			/* nothing below vfs_read/vfs_write ran */
	int dtape_stalls;
	/* pages_pinned counts both kinds; FOLL_GET takes references, which the
	 * kernel does not count as pins */
	uint64_t pages_pinned, pages_foll_pin, pages_foll_get;
	uint64_t pages_dropped, pages_flushed_bytes;
	char fallback_reason[160];
	char dio_engine[DT_SYM_LEN];
	char write_iter[DT_SYM_LEN + 16];
	char direct_io_aop[DT_SYM_LEN + 16];
};

struct dt_refault {
	struct dt_event ev;
	char comm[DT_COMM_LEN + 1];
	char path[DT_PATH_DEPTH * DT_NAME_LEN + 16];	/* "" if no write to it was seen */
};

/* A dtape worker event whose submitting syscall had already returned (AIO). */
struct dt_worker {
	struct dt_event ev;
	char comm[DT_COMM_LEN + 1];	/* the submitter's, if its syscalls were seen */
};

typedef void (*dt_tree_cb)(struct dt_tree *t, void *arg);
typedef void (*dt_refault_cb)(struct dt_refault *r, void *arg);
typedef void (*dt_worker_cb)(struct dt_worker *w, void *arg);

/* What the builder hands out; any may be NULL. */
struct dt_callbacks {
	dt_tree_cb tree;
	dt_refault_cb refault;
	dt_worker_cb worker;
};

struct dt_builder;

struct dt_builder *dt_builder_new(struct dt_ctx *c, const struct dt_callbacks *cb, void *arg);
/* Feed one ring-buffer record; complete trees are handed to on_tree (which
 * must not keep the pointer) and freed afterwards. */
int dt_builder_feed(struct dt_builder *b, const void *data, size_t len);
/* Emit trees still open (e.g. at exit), marked incomplete. */
void dt_builder_flush(struct dt_builder *b);
void dt_builder_free(struct dt_builder *b);

/* helpers for renderers */
const char *dt_node_name(struct dt_ctx *c, const struct dt_node *n);
bool dt_node_hidden(const struct dt_ctx *c, const struct dt_node *n);
uint64_t dt_node_dur(const struct dt_node *n);
/* A void function: what fexit hands over as its return value is noise. */
bool dt_step_void(unsigned step);
const char *dt_errname(int64_t ret);
/* "16 pages pinned (FOLL_PIN)" or "16 page references (FOLL_GET, ...)" */
char *dt_fmt_pages(const struct dt_tree *t, char *buf, size_t len);
/* "PIN", "GET", "PIN+GET", or NULL when no pages were taken */
const char *dt_pin_kind(const struct dt_tree *t);

#endif
