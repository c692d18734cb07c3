// SPDX-License-Identifier: GPL-2.0
/*
 * `diotrace --json` output as `diotrace diff` input (djson.h).  The same
 * reduction as a recording gets (dmodel.c): folded helpers spliced out,
 * identical tracepoints in a row counted.  JSON has no step resolution,
 * so "why is it missing" says less; its end object names the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "djson.h"
#include "jparse.h"
#include "record.h"

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

static struct dd_node *node_from(const struct jval *j)
{
	struct dd_node *d = calloc(1, sizeof(*d));
	unsigned step;

	if (!d)
		return NULL;
	d->run = 1;
	d->tp = jget(j, "tp") != NULL;
	if (d->tp) {
		copy_str(d->step, sizeof(d->step), jstr(j, "tp"));
		copy_str(d->fn, sizeof(d->fn), d->step);
		copy_str(d->attach, sizeof(d->attach), "tracepoint");
		return d;
	}
	copy_str(d->step, sizeof(d->step), jstr(j, "step"));
	copy_str(d->fn, sizeof(d->fn), jstr(j, "fn"));
	copy_str(d->attach, sizeof(d->attach), jstr(j, "attach"));
	step = dd_step_id(d->step);
	d->exited = !jnull(j, "ret");
	d->has_ret = d->exited && !dt_step_void(step);
	d->ret = jint(j, "ret");
	d->dur_ns = (uint64_t)jint(j, "dur_ns");
	d->foll = dd_foll_of(step);
	return d;
}

static bool folded(const struct jval *j)
{
	return !jget(j, "tp") && (dd_step_flags(dd_step_id(jstr(j, "step"))) & SF_FOLD);
}

static bool same_tp_run(const struct dd_node *last, const struct jval *j)
{
	return last && last->tp && jget(j, "tp") && !jget(j, "children") &&
	       !strcmp(last->step, jstr(j, "tp"));
}

static void copy_calls(const struct jval *calls, struct dd_sink *s)
{
	for (const struct jval *j = calls ? calls->first : NULL; j; j = j->next) {
		struct dd_node *d;

		if (j->type != J_OBJ)
			continue;
		if (folded(j)) {
			copy_calls(jget(j, "children"), s);
			continue;
		}
		if (s->last && same_tp_run(s->last, j)) {
			s->last->run++;
			continue;
		}
		d = node_from(j);
		if (!d)
			return;
		dd_sink_append(s, d);
		if (jget(j, "children")) {
			struct dd_sink sub = { .parent = d };

			copy_calls(jget(j, "children"), &sub);
		}
	}
}

/* Nothing but vfs_read/vfs_write calls with nothing under them. */
static bool vfs_only(const struct jval *calls)
{
	const struct jval *j = calls ? calls->first : NULL;

	if (!j)
		return false;
	for (; j; j = j->next)
		if (strcmp(jstr(j, "cat"), "vfs") != 0 || jget(j, "children"))
			return false;
	return true;
}

static void copy_notes(struct dd_tree *d, const struct jval *notes)
{
	for (const struct jval *n = notes ? notes->first : NULL; n && d->nnotes < DT_MAX_NOTES;
	     n = n->next) {
		copy_str(d->notes[d->nnotes].kind, sizeof(d->notes[0].kind), jstr(n, "kind"));
		copy_str(d->notes[d->nnotes].text, sizeof(d->notes[0].text), jstr(n, "text"));
		d->nnotes++;
	}
}

static struct dd_tree *tree_from(const struct jval *j)
{
	struct dd_tree *d = calloc(1, sizeof(*d));
	struct dd_sink s;

	if (!d)
		return NULL;
	d->seq = (uint64_t)jint(j, "seq");
	copy_str(d->sys, sizeof(d->sys), jstr(j, "syscall"));
	copy_str(d->comm, sizeof(d->comm), jstr(j, "comm"));
	copy_str(d->path, sizeof(d->path), jstr(j, "path"));
	d->count = (uint64_t)jint(j, "count");
	d->offset = jint(j, "offset");
	d->is_write = jbool(j, "write");
	d->o_direct = jbool(j, "o_direct");
	d->exited = !jnull(j, "ret");
	d->ret = jint(j, "ret");
	d->dur_ns = (uint64_t)jint(j, "dur_ns");
	d->vfs_only = vfs_only(jget(j, "calls"));
	d->foll_pin = (uint64_t)jint(j, "pages_foll_pin");
	d->foll_get = (uint64_t)jint(j, "pages_foll_get");
	copy_str(d->engine, sizeof(d->engine), jstr(j, "dio_engine"));
	copy_str(d->write_iter, sizeof(d->write_iter), jstr(j, "write_iter"));
	copy_str(d->direct_io, sizeof(d->direct_io), jstr(j, "direct_IO"));
	copy_str(d->fallback, sizeof(d->fallback), jstr(j, "fallback_reason"));
	copy_notes(d, jget(j, "notes"));
	s = (struct dd_sink){ .parent = &d->top };
	copy_calls(jget(j, "calls"), &s);
	return d;
}

/* One line: a syscall tree, the end object (the kernel), or something
 * diff does not compare (refaults, dtape worker events). */
static int take_line(const char *line, const char *prefix, struct dd_side *s, char *err,
		     size_t errlen, long lineno)
{
	const char *why = NULL;
	struct jval *j = jparse(line, &why);
	const char *type = jstr(j, "type");
	int rc = 0;

	if (!j) {
		snprintf(err, errlen, "line %ld: not JSON (%s)", lineno, why);
		return -1;
	}
	if (!strcmp(type, "syscall")) {
		struct dd_tree *t = tree_from(j);

		if (t)
			dd_keep(s, t, prefix);
		else
			rc = -1;
	} else if (!strcmp(type, "end")) {
		const struct jval *e = jget(j, "emulated");

		copy_str(s->kernel, sizeof(s->kernel), jstr(j, "kernel"));
		/* schema 1 had no "emulated": unknown, as null says */
		s->emulated = e && e->type == J_BOOL ? (e->b ? DT_EMUL_YES : DT_EMUL_NO) :
			      DT_EMUL_UNKNOWN;
		copy_str(s->accel, sizeof(s->accel), jstr(j, "accel"));
	}
	jfree(j);
	if (rc)
		snprintf(err, errlen, "out of memory");
	return rc;
}

static bool blank(const char *line)
{
	return line[strspn(line, " \t\r\n")] == '\0';
}

enum dd_load_err dd_load_json(const char *file, const char *path_prefix, struct dd_side *s,
			      char *err, size_t errlen)
{
	FILE *f = record_open(file);	/* plain or gzipped */
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return DD_LOAD_OPEN;
	}
	while (!rc && getline(&line, &cap, f) > 0) {
		lineno++;
		if (!blank(line))
			rc = take_line(line, path_prefix, s, err, errlen, lineno);
	}
	free(line);
	fclose(f);
	return rc ? DD_LOAD_FORMAT : DD_LOAD_OK;
}
