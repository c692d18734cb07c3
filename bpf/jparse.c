// SPDX-License-Identifier: GPL-2.0
/* Recursive-descent JSON reader (jparse.h).  Depth is bounded: a call
 * tree is a few dozen levels, and a hostile file must not blow the stack. */
#include <stdlib.h>
#include <string.h>
#include "jparse.h"

#define J_MAX_DEPTH 256

struct jp {
	const char *p;
	const char *err;
	int depth;
};

static struct jval *value(struct jp *j);

static void ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static struct jval *fail(struct jp *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return NULL;
}

static struct jval *make(enum jtype t)
{
	struct jval *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One escape after the backslash; code points above 0x7f come out as
 * UTF-8 (diotrace escapes only control characters). */
static bool escape(struct jp *j, char *out, size_t *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = strchr(from, *j->p);
	unsigned cp = 0;

	if (*j->p && k) {
		out[(*o)++] = to[k - from];
		j->p++;
		return true;
	}
	if (*j->p != 'u')
		return false;
	for (int i = 1; i <= 4; i++) {
		int h = hexval(j->p[i]);

		if (h < 0)
			return false;
		cp = cp << 4 | (unsigned)h;
	}
	j->p += 5;
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
	return true;
}

/* Bytes up to the closing quote: an escape never grows when decoded. */
static size_t raw_len(const char *p)
{
	size_t n = 1;

	while (p[n] && p[n] != '"')
		n += p[n] == '\\' && p[n + 1] ? 2 : 1;
	return n;
}

static char *string(struct jp *j)
{
	size_t o = 0;
	char *s = malloc(raw_len(j->p) + 1);

	if (!s)
		return NULL;
	j->p++;	/* the opening quote */
	while (*j->p && *j->p != '"') {
		if (*j->p != '\\') {
			s[o++] = *j->p++;
			continue;
		}
		j->p++;
		if (!escape(j, s, &o)) {
			free(s);
			return NULL;
		}
	}
	if (*j->p != '"') {
		free(s);
		return NULL;
	}
	j->p++;
	s[o] = 0;
	return s;
}

static struct jval *number(struct jp *j)
{
	struct jval *v = make(J_NUM);
	char *end;

	if (!v)
		return NULL;
	/* addresses above INT64_MAX are written unsigned */
	if (*j->p == '-')
		v->i = strtoll(j->p, &end, 10);
	else
		v->i = (int64_t)strtoull(j->p, &end, 10);
	if (end == j->p) {
		free(v);
		return fail(j, "bad number");
	}
	if (*end == '.' || *end == 'e' || *end == 'E')
		(void)strtod(j->p, &end);	/* a fraction: diotrace writes none it needs */
	j->p = end;
	return v;
}

static bool literal(struct jp *j, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(j->p, word, n) != 0)
		return false;
	j->p += n;
	return true;
}

/* Elements of an array or members of an object, up to @close. */
static struct jval *items(struct jp *j, enum jtype t, char close)
{
	struct jval *v = make(t), **tail;

	if (!v)
		return fail(j, "out of memory");
	tail = &v->first;
	j->p++;
	ws(j);
	while (*j->p && *j->p != close) {
		char *key = NULL;
		struct jval *e;

		if (t == J_OBJ) {
			if (*j->p != '"' || !(key = string(j)))
				break;
			ws(j);
			if (*j->p != ':') {
				free(key);
				break;
			}
			j->p++;
		}
		e = value(j);
		if (!e) {
			free(key);
			break;
		}
		e->key = key;
		*tail = e;
		tail = &e->next;
		ws(j);
		if (*j->p == ',')
			j->p++;
		else if (*j->p != close)
			break;
		ws(j);
	}
	if (j->err || *j->p != close) {	/* an element failed, or no closing bracket */
		jfree(v);
		return fail(j, t == J_OBJ ? "bad object" : "bad array");
	}
	j->p++;
	return v;
}

static struct jval *value(struct jp *j)
{
	struct jval *v = NULL;

	ws(j);
	if (++j->depth > J_MAX_DEPTH)
		return fail(j, "nested too deep");
	if (*j->p == '{' || *j->p == '[') {
		v = items(j, *j->p == '{' ? J_OBJ : J_ARR, *j->p == '{' ? '}' : ']');
	} else if (*j->p == '"') {
		v = make(J_STR);
		if (v && !(v->s = string(j))) {
			free(v);
			v = fail(j, "bad string");
		}
	} else if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
		v = number(j);
	} else if (literal(j, "true")) {
		v = make(J_BOOL);
		if (v)
			v->b = true;
	} else if (literal(j, "false")) {
		v = make(J_BOOL);
	} else if (literal(j, "null")) {
		v = make(J_NULL);
	} else {
		v = fail(j, "unexpected character");
	}
	j->depth--;
	return v;
}

struct jval *jparse(const char *text, const char **err)
{
	struct jp j = { .p = text };
	struct jval *v = value(&j);

	ws(&j);
	if (v && *j.p) {
		jfree(v);
		v = fail(&j, "trailing characters");
	}
	if (err)
		*err = j.err ? j.err : "bad JSON";
	return v;
}

void jfree(struct jval *v)
{
	while (v) {
		struct jval *next = v->next;

		jfree(v->first);
		free(v->s);
		free(v->key);
		free(v);
		v = next;
	}
}

const struct jval *jget(const struct jval *o, const char *key)
{
	if (!o || o->type != J_OBJ)
		return NULL;
	for (const struct jval *m = o->first; m; m = m->next)
		if (m->key && !strcmp(m->key, key))
			return m;
	return NULL;
}

const char *jstr(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_STR ? v->s : "";
}

int64_t jint(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_NUM ? v->i : 0;
}

bool jbool(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_BOOL && v->b;
}

bool jnull(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return !v || v->type == J_NULL;
}
