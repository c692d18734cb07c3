// SPDX-License-Identifier: GPL-2.0
/* The default view: an indented tree, short enough to read in class. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"
#include "dtape_ev.h"
#include "render.h"

const char *dt_note_kind(unsigned k)
{
	static const char *n[] = { "fallback", "unmap", "flush", "inval_fail", "stale",
				   "einval", "missing", "lost", "direct", "info", "netfs" };
	return k < sizeof(n) / sizeof(n[0]) ? n[k] : "?";
}

static unsigned align_of(uint64_t v)
{
	unsigned a = 1;

	if (!v)
		return 0;
	while (!(v & a) && a < 4096)
		a <<= 1;
	return a;
}

void dt_fmt_ret(const struct dt_node *n, char *buf, size_t len)
{
	const char *e;

	buf[0] = 0;
	if (n->kind != NODE_CALL)
		return;
	if (!n->exited) {
		snprintf(buf, len, "= ?");
		return;
	}
	if (dt_step_void(n->ev.step))
		return;
	if ((e = dt_errname(n->ret)))
		snprintf(buf, len, "= %s", e);
	else
		snprintf(buf, len, "= %" PRId64, n->ret);
}

void dt_fmt_args(struct dt_ctx *c, const struct dt_node *n, char *buf, size_t len)
{
	const struct dt_event *e = &n->ev;
	const struct dt_stepinfo *si = e->step < DT_STEP__N ? &c->steps[e->step] : NULL;
	size_t o = 0;
	char fl[160];

#define ADD(...) do { if (o < len) o += snprintf(buf + o, len - o, __VA_ARGS__); } while (0)
	buf[0] = 0;
	if (n->kind == NODE_TP) {
		switch (e->step) {
		case DT_TP_FILEMAP_DELETE:
		case DT_TP_FILEMAP_ADD:
			ADD("ino=%" PRIu64 " index=%" PRIu64, (uint64_t)e->obj.ino, (uint64_t)e->args[0]);
			break;
		case DT_TP_BIO_QUEUE:
			ADD("sector=%" PRIu64 " size=%u %.8s", (uint64_t)e->obj.sector,
			    e->obj.bi_size, (const char *)&e->args[0]);
			break;
		case DT_TP_IOMAP_INVAL_FAIL:
			ADD("offset=%" PRIu64 " length=%" PRIu64, (uint64_t)e->args[0],
			    (uint64_t)e->args[1]);
			break;
		default:
			if (dt_tp_is_dtape(e->step))
				dtape_ev_fmt(e, buf, len);
			break;
		}
		return;
	}
	switch (e->step) {
	case DT_FWWR: case DT_FDATAWRITE: case DT_FILEMAP_INV:
		ADD("range=[%" PRId64 ", %" PRId64 "]", (int64_t)e->args[1], (int64_t)e->args[2]);
		break;
	case DT_INV2:
		ADD("index=%" PRIu64 "..%" PRIu64 " nrpages=%" PRIu64, (uint64_t)e->args[1],
		    (uint64_t)e->args[2], (uint64_t)e->obj.nrpages);
		break;
	case DT_UNMAP_PAGES:
		ADD("index=%" PRIu64 " nr=%" PRIu64, (uint64_t)e->args[1], (uint64_t)e->args[2]);
		break;
	case DT_UNMAP_RANGE:
		ADD("offset=%" PRIu64 " len=%" PRIu64, (uint64_t)e->args[1], (uint64_t)e->args[2]);
		break;
	case DT_KIOCB_INV: case DT_INV_POST: case DT_KIOCB_WAW:
		ADD("pos=%" PRIu64 " count=%" PRIu64, (uint64_t)e->io.pos, (uint64_t)e->args[1]);
		break;
	case DT_GUP_FAST: case DT_PUP_FAST: case DT_GUP_SLOW: case DT_PUP_SLOW:
		ADD("start=%#" PRIx64 " (align %u) nr_pages=%" PRIu64 " %s",
		    (uint64_t)e->args[0], align_of(e->args[0]), (uint64_t)e->args[1],
		    e->step == DT_PUP_FAST || e->step == DT_PUP_SLOW ? "FOLL_PIN" : "FOLL_GET");
		if (e->args[2]) {
			dt_decode_flags(c->foll, c->nfoll, e->args[2], fl, sizeof(fl));
			ADD(" gup_flags=%s%s", fl, c->foll_from_btf ? "" : "(pre-enum)");
		}
		break;
	case DT_GUP_INTERNAL:
		dt_decode_flags(c->foll, c->nfoll, e->args[2], fl, sizeof(fl));
		ADD("nr_pages=%" PRIu64 " gup_flags=%#" PRIx64 "=%s%s", (uint64_t)e->args[1],
		    (uint64_t)e->args[2], fl, c->foll_from_btf ? "" : "(pre-enum)");
		break;
	case DT_IOV_GET_PAGES: case DT_IOV_EXTRACT:
		ADD("maxsize=%" PRIu64 " maxpages=%" PRIu64 " ", (uint64_t)e->args[2],
		    (uint64_t)e->args[3]);
		break;
	default:
		break;
	}
	if (e->obj.has_bio) {
		unsigned op = e->obj.bi_opf & 0xff;

		ADD("sector=%" PRIu64 " size=%u %s", (uint64_t)e->obj.sector, e->obj.bi_size,
		    op == 0 ? "READ" : op == 1 ? "WRITE" : "OP");
		if (e->obj.bi_flags && c->nbioflags) {
			/* Show only pinning-related flags: they teach GET vs PIN. */
			uint64_t pinbits = 0;

			for (int i = 0; i < c->nbioflags; i++)
				if (!strcmp(c->bioflags[i].name, "PAGE_PINNED") ||
				    !strcmp(c->bioflags[i].name, "NO_PAGE_REF"))
					pinbits |= c->bioflags[i].val;
			if (e->obj.bi_flags & pinbits)
				ADD(" %s", dt_decode_flags(c->bioflags, c->nbioflags,
							    e->obj.bi_flags & pinbits, fl, sizeof(fl)));
		}
	}
	if (e->io.has_iocb && e->step != DT_KIOCB_INV && e->step != DT_INV_POST &&
	    e->step != DT_KIOCB_WAW)
		ADD("%spos=%" PRIu64 "%s", o ? " " : "", (uint64_t)e->io.pos,
		    e->io.ki_flags & (1u << 17) ? " DIRECT" : "");
	if (e->io.has_iter) {
		ADD("%siter=%s count=%" PRIu64, o ? " " : "", dt_iter_name(e->io.iter_type),
		    (uint64_t)e->io.count);
		if (e->io.uaddr)
			ADD(" buf=%#" PRIx64 " (align %u)", (uint64_t)e->io.uaddr,
			    align_of(e->io.uaddr));
	}
	if (e->obj.has_file && si && si->cat == CAT_VFS)
		ADD("%scount=%" PRIu64, o ? " " : "", (uint64_t)e->args[2]);
	if (!o && si && si->argname[0][0] && si->cat != CAT_VFS &&
	    !e->io.has_iocb && !e->obj.has_bio && !e->obj.has_mapping && !e->io.has_iter)
		ADD("%s=%#" PRIx64, si->argname[0], (uint64_t)e->args[0]);
#undef ADD
}

static bool same_leaf(const struct dt_node *a, const struct dt_node *b)
{
	return a->kind == b->kind && a->ev.step == b->ev.step && !a->first && !b->first;
}

/* The children drawn under parent: a folded child's own children take its
 * place, so that "last" (└─) is decided among what is actually drawn. */
static size_t visible_children(struct dt_ctx *c, const struct dt_node *parent,
			       const struct render_opts *o, const struct dt_node **out,
			       size_t n, size_t max)
{
	for (const struct dt_node *ch = parent->first; ch; ch = ch->next) {
		if (dt_node_hidden(c, ch) && !o->show_folded)
			n = visible_children(c, ch, o, out, n, max);
		else if (out && n < max)
			out[n++] = ch;
		else
			n++;
	}
	return n;
}

static void print_children(FILE *f, struct dt_ctx *c, const struct dt_node *parent,
			   const char *prefix, int depth, const struct render_opts *o)
{
	size_t nvis = visible_children(c, parent, o, NULL, 0, 0), i = 0;
	const struct dt_node **vis = calloc(nvis ? nvis : 1, sizeof(struct dt_node *));

	if (!vis)
		return;
	visible_children(c, parent, o, vis, 0, nvis);
	while (i < nvis && vis[i]) {
		const struct dt_node *n = vis[i], *nx;
		size_t run_end = i;
		int run = 1;
		char args[320], ret[64], dur[32], pfx[256];
		bool last;

		if (!o->no_collapse)
			while (run_end + 1 < nvis && same_leaf(n, vis[run_end + 1])) {
				run_end++;
				run++;
			}
		nx = run_end + 1 < nvis ? vis[run_end + 1] : NULL;
		last = !nx;
		dt_fmt_args(c, n, args, sizeof(args));
		dt_fmt_ret(n, ret, sizeof(ret));
		dur[0] = 0;
		if (n->kind == NODE_CALL && n->exited)
			dt_fmt_dur(dt_node_dur(n), dur, sizeof(dur));
		if (n->ev.type == EV_WORKER)
			snprintf(dur, sizeof(dur), "+%.3f ms after submission",
				 (double)n->ev.ret / 1e6);
		fprintf(f, "%s%s %s%s", prefix, dt_branch(last), dt_node_name(c, n),
			n->ev.type == EV_WORKER ? " [tp, drive worker]" :
			n->kind == NODE_TP ? " [tp]" : "");
		if (run > 1) {
			uint64_t bytes = 0;

			for (size_t k = i; k <= run_end; k++)
				bytes += vis[k]->ev.obj.bi_size;
			fprintf(f, " ×%d", run);
			if (bytes)
				fprintf(f, " (%" PRIu64 " KiB total)", bytes >> 10);
			fprintf(f, ", first: ");
		} else {
			fputc(' ', f);
		}
		fprintf(f, "%s%s%s%s%s\n", args, *ret ? " " : "", ret, *dur ? "  " : "", dur);
		dt_child_prefix(pfx, sizeof(pfx), prefix, last);
		if (n->first) {
			if (o->max_depth && depth >= o->max_depth)
				fprintf(f, "%s└─ …\n", pfx);
			else
				print_children(f, c, n, pfx, depth + 1, o);
		}
		i = run_end + 1;
	}
	free(vis);
}

void render_text(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o)
{
	const struct dt_root *r = &t->root;
	char dur[32] = "", ret[64];
	const char *e;

	if (t->exited && t->ts_exit >= r->ev.ts)
		dt_fmt_dur(t->ts_exit - r->ev.ts, dur, sizeof(dur));
	if (!t->exited)
		snprintf(ret, sizeof(ret), "?");
	else if ((e = dt_errname(t->ret)))
		snprintf(ret, sizeof(ret), "%s", e);
	else
		snprintf(ret, sizeof(ret), "%" PRId64, t->ret);
	fprintf(f, "#%" PRIu64 " %.16s[%u/%u] %s(", t->seq, r->comm, r->ev.pid, r->ev.tid,
		dt_sys_name(r->sys));
	/* the async roots' files come from their requests (EV_FILE) */
	if (r->sys == SYS_ASYNC_WORKER)
		fprintf(f, "%s%s%s", dt_step_label(c, r->ev.step), *t->path ? ", file " : "",
			t->path);
	else if (r->sys == SYS_IO_URING_ENTER)
		fprintf(f, "ring fd=%d, to_submit=%" PRIu64 "%s%s", r->fd, (uint64_t)r->count,
			*t->path ? ", file " : "", t->path);
	else if (r->sys == SYS_IO_SUBMIT)
		fprintf(f, "nr=%" PRIu64 "%s%s", (uint64_t)r->count, *t->path ? ", file " : "",
			t->path);
	else
		fprintf(f, "fd=%d%s%s, %" PRIu64 " bytes", r->fd, *t->path ? " " : "", t->path,
			(uint64_t)r->count);
	if (r->offset >= 0)
		fprintf(f, " @ %" PRId64, (int64_t)r->offset);
	fprintf(f, ")%s = %s  %s\n", t->o_direct ? " O_DIRECT" : "", ret, dur);
	if (t->write_iter[0] || (t->direct_io_aop[0] && t->o_direct))
		fprintf(f, "   f_op->%s_iter=%s  a_ops->direct_IO=%s\n",
			t->is_write ? "write" : "read", t->write_iter[0] ? t->write_iter : "?",
			t->direct_io_aop[0] ? t->direct_io_aop : "?");
	print_children(f, c, &t->top, "   ", 1, o);
	for (int i = 0; i < t->nnotes; i++)
		fprintf(f, "   %s %s\n", t->notes[i].kind == NOTE_MISSING ||
			t->notes[i].kind == NOTE_LOST ? "!!" : "=>", t->notes[i].text);
	fputc('\n', f);
}

void render_text_worker(FILE *f, struct dt_ctx *c, const struct dt_worker *w)
{
	(void)c;
	dtape_ev_text_line(f, &w->ev, w->comm);
}

void render_text_refault(FILE *f, struct dt_ctx *c, const struct dt_refault *r)
{
	(void)c;
	fprintf(f, "refault: %.16s[%u/%u] faulted ino=%" PRIu64 " index=%" PRIu64
		" back in after a direct write by pid %" PRIu64 " dropped it (via %s)\n\n",
		r->comm, r->ev.pid, r->ev.tid, (uint64_t)r->ev.obj.ino, (uint64_t)r->ev.args[0],
		(uint64_t)r->ev.args[1], dt_method_name(r->ev.method));
}
