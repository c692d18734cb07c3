// SPDX-License-Identifier: GPL-2.0
/* The sentences of `diotrace diff` (dexplain.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "dexplain.h"

struct out {
	char *buf;
	size_t len, o;
};

static void add(struct out *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct out *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->o >= s->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->o, s->len - s->o, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->o += (size_t)n;
}

static bool is_clone(const char *sym)
{
	return strstr(sym, ".part.") || strstr(sym, ".constprop.") || strstr(sym, ".isra.");
}

static const char *foll_name(const char *foll)
{
	return !foll ? "no pin" : !strcmp(foll, "PIN") ? "FOLL_PIN" : "FOLL_GET";
}

void dd_explain_changes(const struct dd_mnode *m, char *buf, size_t len)
{
	struct out s = { buf, len, 0 };
	const struct dd_node *a = m->a, *b = m->b;

	buf[0] = 0;
	if (m->changes & DD_C_PIN)
		add(&s, "%s%s %" PRId64 " pages → %s %" PRId64 " pages", s.o ? "; " : "",
		    foll_name(a->foll), a->ret, foll_name(b->foll), b->ret);
	if (m->changes & DD_C_SYM)
		add(&s, "%ssymbol %s → %s%s", s.o ? "; " : "", a->fn, b->fn,
		    is_clone(a->fn) || is_clone(b->fn) ? " (a compiler clone)" : "");
	if (m->changes & DD_C_ATTACH)
		add(&s, "%sattach %s → %s", s.o ? "; " : "", a->attach, b->attach);
	if (m->changes & DD_C_RET)
		add(&s, "%sreturned %" PRId64 " → %" PRId64, s.o ? "; " : "", a->ret, b->ret);
	if (m->changes & DD_C_RUN)
		add(&s, "%sfired %d → %d times", s.o ? "; " : "", a->run, b->run);
}

/* The resolver's reason without the step's own name in front of it. */
static const char *short_why(const struct dd_stepres *res)
{
	size_t n = strlen(res->step);

	if (!res->why[0])
		return res->method;
	if (!strncmp(res->why, res->step, n) && !strncmp(res->why + n, ": ", 2) &&
	    !strchr(res->why, ';'))
		return res->why + n + 2;
	return res->why;
}

static bool traceable(const struct dd_stepres *res)
{
	return res && strcmp(res->method, "-") != 0 && strcmp(res->method, "inlined") != 0;
}

/* Where @step is on the side that lacks it here (B when @on_b).  @m is
 * the replaced pair when @step gave way to another step. */
static void why_not_on(struct out *s, const struct dd_ctx *x, const char *step, bool on_b,
		       const char *parent, const struct dd_mnode *m)
{
	const struct dd_side *side = on_b ? x->b : x->a;
	const struct dd_tree *t = on_b ? x->p->b : x->p->a;
	const struct dd_stepres *res = dd_res(side, step);
	const char *who = on_b ? "B" : "A";

	if (dd_tree_calls(&t->top, step)) {
		add(s, "%s calls it elsewhere in this syscall", who);
		return;
	}
	if (res && !traceable(res)) {
		add(s, "not traceable on %s (%s)", who, short_why(res));
		return;
	}
	if (!res)
		add(s, "not called on %s", who);
	/* inlined: its replacement is a function the other kernel lacks */
	else if (m && m->same_callees && parent[0] &&
		 !traceable(dd_res(on_b ? x->a : x->b, m->b->step)) &&
		 dd_res(on_b ? x->a : x->b, m->b->step))
		add(s, "attached on %s (%s) but never called: inlined into %s", who, res->method,
		    parent);
	else
		add(s, "attached on %s (%s) but never called in this syscall", who, res->method);
	if (m && parent[0])
		add(s, "; %s's %s calls %s instead, %s", who, parent, m->b->fn,
		    m->same_callees ? "with the same callees" : "which leads to the same steps");
}

void dd_explain_absence(const struct dd_ctx *x, const struct dd_mnode *m, const char *parent,
			bool nested, char *buf, size_t len)
{
	struct out s = { buf, len, 0 };
	const struct dd_node *one = m->a ? m->a : m->b;
	const struct dd_tree *other = m->a ? x->p->b : x->p->a;

	buf[0] = 0;
	if (one->tp)
		return;
	/* inside a subtree only one side has, "not called" goes without saying */
	if (nested && !dd_tree_calls(&other->top, one->step))
		return;
	if (m->mark == DD_ONLY_A) {
		why_not_on(&s, x, m->a->step, true, parent, NULL);
	} else if (m->mark == DD_ONLY_B) {
		why_not_on(&s, x, m->b->step, false, parent, NULL);
	} else if (m->mark == DD_REPLACED) {
		add(&s, "%s: ", m->a->step);
		why_not_on(&s, x, m->a->step, true, parent, m);
		add(&s, "; %s: ", m->b->step);
		why_not_on(&s, x, m->b->step, false, parent, NULL);
	}
}

void dd_fmt_pages(uint64_t pin, uint64_t get, char *buf, size_t len)
{
	if (pin && get)
		snprintf(buf, len, "%" PRIu64 " pages pinned (FOLL_PIN) + %" PRIu64
			 " page references (FOLL_GET)", pin, get);
	else if (pin)
		snprintf(buf, len, "%" PRIu64 " pages pinned (FOLL_PIN)", pin);
	else if (get)
		snprintf(buf, len, "%" PRIu64 " page references (FOLL_GET)", get);
	else
		snprintf(buf, len, "no pages");
}

void dd_fmt_ret(const struct dd_node *n, char *buf, size_t len)
{
	const char *e;

	buf[0] = 0;
	if (!n || n->tp)
		return;
	if (!n->exited)
		snprintf(buf, len, "= ?");
	else if (!n->has_ret)
		return;
	else if ((e = dt_errname(n->ret)))
		snprintf(buf, len, "= %s", e);
	else
		snprintf(buf, len, "= %" PRId64, n->ret);
}
