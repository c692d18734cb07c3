/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sum TAP streams from many test files into one verdict.
 *
 * The runner wraps each test program's output in section markers:
 *   # diolab-file: NAME
 *   ... TAP ...
 *   # diolab-exit: STATUS
 * so a program that crashes, skips its plan, or dies with the VM counts as a
 * failure even when every "ok" line it printed was fine.
 *
 * Skips are counted and listed, never silent: a skipped check ("# SKIP",
 * "# TODO") and a skipped file ("1..0 # SKIP why") each count once.  In the
 * lab VM (sections named "vm/...") a skip is a failure.
 */
#ifndef DIOLAB_TAP_PARSE_H
#define DIOLAB_TAP_PARSE_H

#include <stdbool.h>
#include <stdio.h>

#define TAP_NAME_MAX 256

struct tap_totals {
	unsigned int passed;
	unsigned int failed;
	unsigned int skipped;	/* checks and whole files */
};

struct tap_section {
	char name[TAP_NAME_MAX];
	bool open;
	bool has_plan;
	long planned;
	long ran;
	unsigned int failed;
};

struct tap_state {
	struct tap_totals totals;
	struct tap_section cur;
	/* Failures are described here as they are found (may be NULL). */
	FILE *failures;
};

void tap_init(struct tap_state *st, FILE *failures);
/* Feed one line, without its trailing newline. */
void tap_line(struct tap_state *st, const char *line);
/* End of input: close a section that never reported its exit status. */
void tap_finish(struct tap_state *st);

#endif
