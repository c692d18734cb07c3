/* SPDX-License-Identifier: GPL-2.0 */
/* A small JSON reader for one line of `diotrace --json` output: enough of
 * RFC 8259 for what diotrace writes (no \u escapes beyond Latin-1 are
 * needed, numbers fit in 64 bits), into a tree of values. */
#ifndef JPARSE_H
#define JPARSE_H

#include <stdbool.h>
#include <stdint.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;
	int64_t i;		/* numbers: integers as diotrace writes them */
	char *s;		/* J_STR; the key of an object member */
	char *key;
	struct jval *first, *next;	/* J_ARR elements, J_OBJ members */
};

/* NULL on a syntax error (then *err says where). */
struct jval *jparse(const char *text, const char **err);
void jfree(struct jval *v);
/* Member @key of object @o, or NULL. */
const struct jval *jget(const struct jval *o, const char *key);
const char *jstr(const struct jval *o, const char *key);	/* "" if absent */
int64_t jint(const struct jval *o, const char *key);		/* 0 if absent */
bool jbool(const struct jval *o, const char *key);
bool jnull(const struct jval *o, const char *key);		/* absent counts */

#endif
