// SPDX-License-Identifier: GPL-2.0
#include "tap_parse.h"

#include <stdlib.h>
#include <string.h>

static const char FILE_MARK[] = "# diolab-file: ";
static const char EXIT_MARK[] = "# diolab-exit: ";

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "ok" must stand alone: "okay, done" is program output, not a result. */
static bool is_result(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncmp(s, word, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

static const char *section_name(const struct tap_state *st)
{
	return st->cur.name[0] ? st->cur.name : "(unnamed)";
}

/*
 * The lab VM has every tool and kernel feature the tests need, so a skip
 * there means a test quietly stopped testing: it fails.
 */
static bool in_lab_vm(const struct tap_state *st)
{
	return starts_with(st->cur.name, "vm/");
}

static void fail(struct tap_state *st, const char *why, const char *detail)
{
	st->totals.failed++;
	st->cur.failed++;
	if (st->failures)
		fprintf(st->failures, "FAIL %s: %s%s\n", section_name(st), why, detail);
}

/* A directive is "# SKIP" or "# TODO", in any case, after the description. */
static bool has_directive(const char *line, const char *word)
{
	const char *hash = strchr(line, '#');
	size_t n = strlen(word);

	while (hash) {
		const char *p = hash + 1;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, word, n) == 0)
			return true;
		hash = strchr(hash + 1, '#');
	}
	return false;
}

static void skipped(struct tap_state *st, const char *line)
{
	if (in_lab_vm(st)) {
		fail(st, "skipped in the lab VM, where everything must run: ", line);
		return;
	}
	st->totals.skipped++;
	if (st->failures)
		fprintf(st->failures, "SKIP %s: %s\n", section_name(st), line);
}

static void close_section(struct tap_state *st, long status, bool finished)
{
	struct tap_section *s = &st->cur;
	char detail[64];

	if (!s->open)
		return;
	if (!finished) {
		fail(st, "did not finish (crashed, timed out, or the VM died)", "");
	} else if (!s->has_plan) {
		fail(st, "printed no TAP plan (1..N)", "");
	} else if (s->planned != s->ran) {
		snprintf(detail, sizeof(detail), " (planned %ld, ran %ld)",
			 s->planned, s->ran);
		fail(st, "plan mismatch", detail);
	} else if (status != 0 && s->failed == 0) {
		snprintf(detail, sizeof(detail), " %ld", status);
		fail(st, "exited with status", detail);
	}
	memset(s, 0, sizeof(*s));
}

void tap_init(struct tap_state *st, FILE *failures)
{
	memset(st, 0, sizeof(*st));
	st->failures = failures;
}

void tap_line(struct tap_state *st, const char *line)
{
	struct tap_section *s = &st->cur;

	/* Runners indent or prefix nothing; tolerate leading blanks anyway. */
	while (*line == ' ' || *line == '\t')
		line++;

	if (starts_with(line, FILE_MARK)) {
		close_section(st, 0, false);
		s->open = true;
		snprintf(s->name, sizeof(s->name), "%s", line + strlen(FILE_MARK));
		return;
	}
	if (starts_with(line, EXIT_MARK)) {
		close_section(st, strtol(line + strlen(EXIT_MARK), NULL, 10), true);
		return;
	}
	if (is_result(line, "not ok")) {
		s->ran++;
		if (has_directive(line, "TODO"))
			skipped(st, line);
		else
			fail(st, "", line);
		return;
	}
	if (is_result(line, "ok")) {
		s->ran++;
		if (has_directive(line, "SKIP"))
			skipped(st, line);
		else
			st->totals.passed++;
		return;
	}
	if (starts_with(line, "Bail out!")) {
		fail(st, "", line);
		return;
	}
	if (starts_with(line, "1..")) {
		s->has_plan = true;
		s->planned = strtol(line + 3, NULL, 10);
		/* "1..0 # SKIP why": the whole file dropped out; say so. */
		if (s->planned == 0)
			skipped(st, line);
	}
}

void tap_finish(struct tap_state *st)
{
	close_section(st, 0, false);
}
