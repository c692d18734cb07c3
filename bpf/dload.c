// SPDX-License-Identifier: GPL-2.0
/* Load a recording or a --json file for `diotrace diff` (dload.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dload.h"
#include "djson.h"
#include "record.h"

struct loader {
	struct dt_ctx *c;
	struct dd_side *s;
	const char *prefix;
	bool oom;
};

/* The same trees `report` prints by default (diotrace.c's on_tree). */
static bool shown(const struct dd_tree *t, const char *prefix)
{
	if (prefix && !dt_path_under(t->path, prefix))
		return false;
	if (t->on_9p)
		return false;
	return !(t->vfs_only && !t->o_direct && t->exited && t->ret >= 0);
}

bool dd_keep(struct dd_side *s, struct dd_tree *t, const char *prefix)
{
	if (!shown(t, prefix) || !dd_side_add(s, t)) {
		dd_tree_free(t);
		return false;
	}
	return true;
}

static void on_tree(struct dt_tree *t, void *arg)
{
	struct loader *l = arg;
	struct dd_tree *d = dd_from_tree(l->c, t);

	if (!d) {
		l->oom = true;
		return;
	}
	dd_keep(l->s, d, l->prefix);
}

static int on_event(const void *data, size_t len, void *arg)
{
	dt_builder_feed(arg, data, len);
	return 0;
}

static enum dd_load_err load_recording(const char *file, const char *prefix,
				       struct dd_side *s, char *err, size_t errlen)
{
	static const struct dt_callbacks cb = { .tree = on_tree };
	struct dt_ctx *c = calloc(1, sizeof(*c));
	struct loader l = { .c = c, .s = s, .prefix = prefix };
	struct dt_builder *b = c ? dt_builder_new(c, &cb, &l) : NULL;
	FILE *f = b ? record_open(file) : NULL;
	int rc = -1;

	if (f) {
		dt_ctx_init_static(c);
		rc = record_read(f, c, on_event, b, err, errlen);
		fclose(f);
	} else {
		snprintf(err, errlen, "%s", strerror(errno ? errno : ENOMEM));
	}
	if (!rc) {
		dt_builder_flush(b);
		dd_side_set_ctx(s, c);
	}
	if (l.oom)
		snprintf(err, errlen, "out of memory");
	dt_builder_free(b);
	free(c ? c->syms : NULL);
	free(c);
	return rc || l.oom ? DD_LOAD_FORMAT : DD_LOAD_OK;
}

/* The first bytes tell a recording ("DIOTRACE") from JSON ('{'). */
static int sniff(const char *file, char *err, size_t errlen)
{
	FILE *f = record_open(file);
	char m[8] = { 0 };
	size_t n;

	if (!f) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	n = fread(m, 1, sizeof(m), f);
	fclose(f);
	if (n == sizeof(m) && !memcmp(m, "DIOTRACE", 8))
		return 'R';
	if (n && m[0] == '{')
		return 'J';
	snprintf(err, errlen, "neither a diotrace recording nor diotrace --json output");
	return 0;
}

enum dd_load_err dd_load(const char *file, const char *path_prefix, struct dd_side *s,
			 char *err, size_t errlen)
{
	int kind;

	snprintf(s->file, sizeof(s->file), "%s", file);
	kind = sniff(file, err, errlen);
	if (kind < 0)
		return DD_LOAD_OPEN;
	if (kind == 'R')
		return load_recording(file, path_prefix, s, err, errlen);
	if (kind == 'J')
		return dd_load_json(file, path_prefix, s, err, errlen);
	return DD_LOAD_FORMAT;
}
