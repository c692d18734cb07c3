// SPDX-License-Identifier: GPL-2.0
/*
 * `diotrace diff`: parse the command line, load both inputs, pair and
 * align them, print.  The work is in dload.c, dalign.c, render_diff*.c
 * and seed.c; this file only wires them together.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff_cmd.h"
#include "dload.h"
#include "render_diff.h"
#include "seed.h"

struct diff_env {
	const char *file[2];
	int nfiles;
	const char *path[2];
	int npath;
	const char *out;
	bool json, seed;
};

static const char diff_doc[] =
"diotrace diff: compare two recordings (or two --json outputs) of the same\n"
"operation, step by step: two kernels, or two file systems.\n"
"\n"
"  diotrace diff [OPTIONS] A B\n"
"  diotrace diff --seed [OPTIONS] B   (B against the seed's 2.6 write path)\n"
"\n"
"Exit status: 0 no differences (--seed: it ran), 1 differences, 64 usage,\n"
"65 A and B trace different operations, 66 a file cannot be read,\n"
"73 -o cannot be written.";

enum { DOPT_PATH = 2000, DOPT_JSON, DOPT_SEED };

static const struct argp_option diff_opts[] = {
	{ "path", DOPT_PATH, "PREFIX", 0,
	  "Only syscalls on files under PREFIX; given twice, the first is for A, the second for B", 0 },
	{ "json", DOPT_JSON, NULL, 0, "One JSON object (docs/diotrace.md)", 0 },
	{ "seed", DOPT_SEED, NULL, 0, "Compare B with the seed article's 2.6 write path", 0 },
	{ "output", 'o', "FILE", 0, "Write to FILE", 0 },
	{ 0 },
};

static error_t diff_parse(int key, char *arg, struct argp_state *st)
{
	struct diff_env *e = st->input;

	switch (key) {
	case DOPT_PATH:
		if (e->npath == 2)
			argp_error(st, "--path is given once (both sides) or twice (A, then B)");
		e->path[e->npath++] = arg;
		break;
	case DOPT_JSON: e->json = true; break;
	case DOPT_SEED: e->seed = true; break;
	case 'o': e->out = arg; break;
	case ARGP_KEY_ARG:
		if (e->nfiles == 2)
			argp_error(st, "diff takes two files, A and B");
		e->file[e->nfiles++] = arg;
		break;
	case ARGP_KEY_END:
		if (e->seed && e->nfiles != 1)
			argp_error(st, "diff --seed takes one file, the trace to compare with 2.6");
		if (!e->seed && e->nfiles != 2)
			argp_error(st, "diff needs two files, A and B");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int load_side(const char *file, const char *prefix, struct dd_side *s)
{
	char err[256];
	enum dd_load_err rc = dd_load(file, prefix, s, err, sizeof(err));

	if (rc == DD_LOAD_OK)
		return 0;
	fprintf(stderr, "diotrace diff: %s: %s\n", file, err);
	return DD_EXIT_NOINPUT;
}

/* One line, and a non-zero status: aligning a read with a write, or a
 * tape with a file, would only print noise. */
static int unrelated(const struct dd_side *a, const struct dd_side *b)
{
	fprintf(stderr, "diotrace diff: A and B trace different operations: A has ");
	dd_describe_side(stderr, a);
	fprintf(stderr, ", B has ");
	dd_describe_side(stderr, b);
	fprintf(stderr, "; nothing pairs (same syscall, direction, file name and size; "
		"--path chooses)\n");
	return DD_EXIT_UNRELATED;
}

static int compare(const struct diff_env *e, struct dd_side *a, struct dd_side *b, FILE *out)
{
	struct dd_result r;
	int rc;

	if (dd_compare(a, b, &r)) {
		fprintf(stderr, "diotrace diff: out of memory\n");
		return DD_EXIT_NOINPUT;
	}
	if (!r.npairs) {
		rc = unrelated(a, b);
	} else {
		if (e->json)
			render_diff_json(out, a, b, &r);
		else
			render_diff_text(out, a, b, &r);
		rc = r.ndiffer || r.nonly_a || r.nonly_b ? DD_EXIT_DIFFER : DD_EXIT_SAME;
	}
	dd_result_free(&r);
	return rc;
}

static int run(const struct diff_env *e, FILE *out)
{
	static struct dd_side a, b;
	const char *pb = e->npath == 2 ? e->path[1] : e->path[0];
	int rc;

	if (e->seed) {
		rc = load_side(e->file[0], pb, &b);
		if (!rc)
			rc = seed_compare(out, &b, e->json);
	} else {
		rc = load_side(e->file[0], e->path[0], &a);
		if (!rc)
			rc = load_side(e->file[1], pb, &b);
		if (!rc)
			rc = compare(e, &a, &b, out);
	}
	dd_side_free(&a);
	dd_side_free(&b);
	return rc;
}

int diff_main(int argc, char **argv)
{
	static const struct argp argp = { diff_opts, diff_parse, "A B", diff_doc, 0, 0, 0 };
	static char name[] = "diotrace diff";	/* argp's messages start with it */
	struct diff_env e = { 0 };
	FILE *out = stdout;
	int rc;

	argv[0] = name;
	if (argp_parse(&argp, argc, argv, 0, NULL, &e))
		return DD_EXIT_USAGE;
	if (e.out && !(out = fopen(e.out, "w"))) {
		fprintf(stderr, "diotrace diff: cannot write %s: %s\n", e.out, strerror(errno));
		return DD_EXIT_CANTCREAT;
	}
	rc = run(&e, out);
	if (out != stdout && fclose(out))
		rc = DD_EXIT_CANTCREAT;
	return rc;
}
