/* SPDX-License-Identifier: GPL-2.0 */
/* `diotrace diff A B` and `diotrace diff --seed B` (docs/diotrace.md). */
#ifndef DIFF_CMD_H
#define DIFF_CMD_H

/* Exit statuses: like diff(1) for the answer, sysexits(3) for the trouble. */
#define DD_EXIT_SAME	0
#define DD_EXIT_DIFFER	1
#define DD_EXIT_UNRELATED 65	/* EX_DATAERR: nothing in A and B is the same operation */
#define DD_EXIT_USAGE	64	/* EX_USAGE */
#define DD_EXIT_NOINPUT	66	/* EX_NOINPUT: a file cannot be opened or read */
#define DD_EXIT_CANTCREAT 73	/* EX_CANTCREAT: -o FILE cannot be written */

/* argv[0] is "diff"; returns the exit status. */
int diff_main(int argc, char **argv);

#endif
