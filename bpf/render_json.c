// SPDX-License-Identifier: GPL-2.0
/* One JSON object per line; the schema is docs/diotrace-json.md. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "dtape_ev.h"
#include "render.h"

/*
 * A live --json run renders every write's tree while the traced program
 * runs, so rendering is part of what tracing costs it.  Measured on a
 * recording, vfprintf() and the lock that each stdio call takes were over
 * a third of the report's time; the writers below take the FILE lock once
 * per object (flockfile) and format numbers themselves.
 */
static void put(FILE *f, const char *s)
{
	fputs_unlocked(s, f);
}

static void put_u64(FILE *f, uint64_t v)
{
	char b[20];
	int i = sizeof(b);

	do {
		b[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	fwrite_unlocked(b + i, 1, sizeof(b) - i, f);
}

static void put_i64(FILE *f, int64_t v)
{
	if (v < 0) {
		fputc_unlocked('-', f);
		put_u64(f, -(uint64_t)v);
	} else {
		put_u64(f, v);
	}
}

static void put_bool(FILE *f, bool v)
{
	put(f, v ? "true" : "false");
}

static void put_dev(FILE *f, uint32_t dev)
{
	fputc_unlocked('"', f);
	put_u64(f, dev >> 20);
	fputc_unlocked(':', f);
	put_u64(f, dev & 0xfffff);
	fputc_unlocked('"', f);
}

static bool json_plain(unsigned char ch)
{
	return ch >= 0x20 && ch != '"' && ch != '\\';
}

static void json_str_unlocked(FILE *f, const char *s)
{
	fputc_unlocked('"', f);
	while (s && *s) {
		const char *run = s;
		unsigned char ch;

		while (json_plain(*s))
			s++;
		fwrite_unlocked(run, 1, s - run, f);
		ch = *s;
		if (!ch)
			break;
		if (ch == '"' || ch == '\\') {
			fputc_unlocked('\\', f);
			fputc_unlocked(ch, f);
		} else {
			fprintf(f, "\\u%04x", ch);
		}
		s++;
	}
	fputc_unlocked('"', f);
}

void json_str(FILE *f, const char *s)
{
	flockfile(f);
	json_str_unlocked(f, s);
	funlockfile(f);
}

/* "key": followed by a number, a string or a literal */
static void key_u64(FILE *f, const char *k, uint64_t v)
{
	put(f, k);
	put_u64(f, v);
}

static void key_i64(FILE *f, const char *k, int64_t v)
{
	put(f, k);
	put_i64(f, v);
}

static void key_str(FILE *f, const char *k, const char *v)
{
	put(f, k);
	json_str_unlocked(f, v);
}

/* a string, or null when there is none */
static void key_str_or_null(FILE *f, const char *k, const char *v)
{
	put(f, k);
	if (v)
		json_str_unlocked(f, v);
	else
		put(f, "null");
}

static void key_bool(FILE *f, const char *k, bool v)
{
	put(f, k);
	put_bool(f, v);
}

static void json_args_unlocked(FILE *f, struct dt_ctx *c, const struct dt_node *n, bool first)
{
	const struct dt_event *e = &n->ev;
	const struct dt_stepinfo *si = e->step < DT_STEP__N && n->kind == NODE_CALL ?
				       &c->steps[e->step] : NULL;
	char buf[320];

	if (!c)
		return;
#define KEY(k) do { put(f, first ? "\"" : ",\""); put(f, k); put(f, "\":"); first = false; } while (0)
	if (si && e->method != M_TP) {
		for (int i = 0; i < DT_NARGS && si->argname[i][0]; i++) {
			KEY(si->argname[i]);
			put_u64(f, (uint64_t)e->args[i]);
		}
	}
	if (e->io.has_iocb) {
		KEY("ki_pos");
		put_u64(f, (uint64_t)e->io.pos);
		KEY("ki_flags");
		put_u64(f, e->io.ki_flags);
		KEY("iocb_direct");
		put_bool(f, e->io.ki_flags & (1u << 17));
	}
	if (e->io.has_iter) {
		KEY("iter_type");
		json_str_unlocked(f, dt_iter_name(e->io.iter_type));
		KEY("iter_count");
		put_u64(f, (uint64_t)e->io.count);
		KEY("iter_source");
		put_bool(f, e->io.data_source);
		KEY("nr_segs");
		put_u64(f, (uint64_t)e->io.nr_segs);
		KEY("user_addr");
		put_u64(f, (uint64_t)e->io.uaddr);
	}
	if (n->kind == NODE_TP && dt_tp_is_dtape(e->step)) {
		if (!first)
			fputc_unlocked(',', f);
		dtape_ev_json(f, e);
		return;
	}
	if (e->obj.has_mapping || n->kind == NODE_TP) {
		KEY("ino");
		put_u64(f, (uint64_t)e->obj.ino);
		KEY("dev");
		put_dev(f, e->obj.dev);
	}
	if (e->obj.has_mapping && n->kind == NODE_CALL) {
		KEY("nrpages");
		put_u64(f, (uint64_t)e->obj.nrpages);
	}
	if (e->obj.has_bio) {
		KEY("sector");
		put_u64(f, (uint64_t)e->obj.sector);
		KEY("size");
		put_u64(f, e->obj.bi_size);
		KEY("op");
		json_str_unlocked(f, (e->obj.bi_opf & 0xff) == 0 ? "READ" :
				     (e->obj.bi_opf & 0xff) == 1 ? "WRITE" : "OTHER");
		KEY("bi_flags");
		json_str_unlocked(f, dt_decode_flags(c->bioflags, c->nbioflags, e->obj.bi_flags,
						     buf, sizeof(buf)));
	}
	if (n->kind == NODE_CALL && (e->step == DT_GUP_FAST || e->step == DT_PUP_FAST ||
				     e->step == DT_GUP_INTERNAL || e->step == DT_GUP_SLOW ||
				     e->step == DT_PUP_SLOW)) {
		KEY("foll");
		json_str_unlocked(f, e->step == DT_PUP_FAST || e->step == DT_PUP_SLOW ? "PIN" :
				     e->step == DT_GUP_FAST || e->step == DT_GUP_SLOW ? "GET" : "");
		KEY("gup_flags_decoded");
		json_str_unlocked(f, dt_decode_flags(c->foll, c->nfoll, e->args[2], buf, sizeof(buf)));
		KEY("foll_from_btf");
		put_bool(f, c->foll_from_btf);
	}
	if (n->kind == NODE_TP && (e->step == DT_TP_FILEMAP_DELETE || e->step == DT_TP_FILEMAP_ADD)) {
		KEY("index");
		put_u64(f, (uint64_t)e->args[0]);
	}
#undef KEY
}

void render_json_args(FILE *f, struct dt_ctx *c, const struct dt_node *n, bool first)
{
	flockfile(f);
	json_args_unlocked(f, c, n, first);
	funlockfile(f);
}

static void json_nodes(FILE *f, struct dt_ctx *c, const struct dt_node *parent, int depth,
		       const struct render_opts *o)
{
	bool first = true;

	fputc_unlocked('[', f);
	for (const struct dt_node *n = parent->first; n; n = n->next) {
		put(f, first ? "{" : ",{");
		first = false;
		if (n->kind == NODE_TP) {
			key_str(f, "\"tp\":", dt_tp_name(n->ev.step));
		} else {
			const struct dt_stepinfo *si = &c->steps[n->ev.step < DT_STEP__N ?
								  n->ev.step : 0];

			key_str(f, "\"fn\":", dt_node_name(c, n));
			key_str(f, ",\"step\":", si->label);
			key_str(f, ",\"cat\":", dt_cat_name(si->cat));
			key_str(f, ",\"attach\":", dt_method_name(n->ev.method));
			if (n->exited) {
				key_i64(f, ",\"ret\":", n->ret);
				key_u64(f, ",\"dur_ns\":", dt_node_dur(n));
			} else {
				put(f, ",\"ret\":null");
			}
		}
		key_i64(f, ",\"depth\":", depth);
		put(f, ",\"args\":{");
		json_args_unlocked(f, c, n, true);
		fputc_unlocked('}', f);
		if (n->first && (!o->max_depth || depth < o->max_depth)) {
			put(f, ",\"children\":");
			json_nodes(f, c, n, depth + 1, o);
		}
		fputc_unlocked('}', f);
	}
	fputc_unlocked(']', f);
}

static void json_chain(FILE *f, struct dt_ctx *c, const struct dt_node *parent, bool *first)
{
	for (const struct dt_node *n = parent->first; n; n = n->next) {
		if (n->kind == NODE_CALL) {
			if (!*first)
				fputc_unlocked(',', f);
			*first = false;
			json_str_unlocked(f, dt_node_name(c, n));
		}
		json_chain(f, c, n, first);
	}
}

static void json_tree(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o)
{
	const struct dt_root *r = &t->root;
	char comm[DT_COMM_LEN + 1];
	bool first = true;

	memcpy(comm, r->comm, DT_COMM_LEN);
	comm[DT_COMM_LEN] = 0;
	key_u64(f, "{\"type\":\"syscall\",\"seq\":", t->seq);
	key_str(f, ",\"syscall\":", dt_sys_name(r->sys));
	key_u64(f, ",\"pid\":", r->ev.pid);
	key_u64(f, ",\"tid\":", r->ev.tid);
	key_str(f, ",\"comm\":", comm);
	key_i64(f, ",\"fd\":", r->fd);
	key_str(f, ",\"path\":", t->path);
	key_u64(f, ",\"ino\":", r->ev.obj.ino);
	put(f, ",\"dev\":");
	put_dev(f, r->ev.obj.dev);
	key_u64(f, ",\"count\":", r->count);
	key_i64(f, ",\"offset\":", r->offset);
	key_u64(f, ",\"buf\":", r->buf);
	key_u64(f, ",\"f_flags\":", r->ev.obj.f_flags);
	key_bool(f, ",\"o_direct\":", t->o_direct);
	key_bool(f, ",\"write\":", t->is_write);
	if (t->exited) {
		key_i64(f, ",\"ret\":", t->ret);
		key_u64(f, ",\"dur_ns\":", t->ts_exit >= r->ev.ts ? t->ts_exit - r->ev.ts : 0);
	} else {
		put(f, ",\"ret\":null");
	}
	key_bool(f, ",\"complete\":", t->exited && !t->lost);
	key_u64(f, ",\"lost\":", t->lost);
	key_str(f, ",\"write_iter\":", t->write_iter);
	key_str(f, ",\"direct_IO\":", t->direct_io_aop);
	key_bool(f, ",\"dio\":", t->did_dio);
	key_str(f, ",\"dio_engine\":", t->dio_engine);
	key_bool(f, ",\"fallback\":", t->fell_back);
	key_str_or_null(f, ",\"fallback_reason\":", t->fell_back ? t->fallback_reason : NULL);
	key_u64(f, ",\"pages_pinned\":", t->pages_pinned);
	key_str_or_null(f, ",\"pin_kind\":", dt_pin_kind(t));
	key_u64(f, ",\"pages_foll_pin\":", t->pages_foll_pin);
	key_u64(f, ",\"pages_foll_get\":", t->pages_foll_get);
	key_u64(f, ",\"pages_dropped\":", t->pages_dropped);
	key_u64(f, ",\"flushed_bytes\":", t->pages_flushed_bytes);
	put(f, ",\"chain\":[");
	json_chain(f, c, &t->top, &first);
	put(f, "],\"notes\":[");
	for (int i = 0; i < t->nnotes; i++) {
		key_str(f, i ? ",{\"kind\":" : "{\"kind\":", dt_note_kind(t->notes[i].kind));
		key_str(f, ",\"text\":", t->notes[i].text);
		fputc_unlocked('}', f);
	}
	put(f, "],\"calls\":");
	json_nodes(f, c, &t->top, 1, o);
	put(f, "}\n");
}

void render_json(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o)
{
	flockfile(f);
	json_tree(f, c, t, o);
	funlockfile(f);
}

void render_json_worker(FILE *f, struct dt_ctx *c, const struct dt_worker *w)
{
	const char *name = dt_tp_name(w->ev.step);

	(void)c;
	fprintf(f, "{\"type\":\"dtape\",\"event\":");
	json_str(f, name + 6);	/* past "dtape_" */
	fprintf(f, ",\"pid\":%u,\"tid\":%u,\"comm\":", w->ev.pid, w->ev.tid);
	json_str(f, w->comm);
	fputc(',', f);
	dtape_ev_json(f, &w->ev);
	fprintf(f, "}\n");
}

void render_json_refault(FILE *f, struct dt_ctx *c, const struct dt_refault *r)
{
	(void)c;
	fprintf(f, "{\"type\":\"refault\",\"pid\":%u,\"tid\":%u,\"comm\":", r->ev.pid, r->ev.tid);
	json_str(f, r->comm);
	fprintf(f, ",\"ino\":%" PRIu64 ",\"dev\":\"%u:%u\",\"index\":%" PRIu64
		",\"dropped_by_pid\":%" PRIu64 ",\"attach\":", (uint64_t)r->ev.obj.ino,
		r->ev.obj.dev >> 20, r->ev.obj.dev & 0xfffff, (uint64_t)r->ev.args[0],
		(uint64_t)r->ev.args[1]);
	json_str(f, dt_method_name(r->ev.method));
	fprintf(f, "}\n");
}

void render_json_end(FILE *f, const struct dt_ctx *c, const uint64_t *fired, long trees,
		     double attach_ms)
{
	bool first = true;

	fprintf(f, "{\"type\":\"end\",\"schema\":%d,\"kernel\":", DT_JSON_SCHEMA);
	json_str(f, c->release);
	fprintf(f, ",\"emulated\":%s,\"accel\":", dt_emul_json(c->emulated));
	json_str(f, c->accel[0] ? c->accel : "unknown");
	fprintf(f, ",\"trees\":%ld,\"lost\":%" PRIu64 ",\"attach_ms\":%.1f,\"never_fired\":[",
		trees, c->lost_total, attach_ms);
	for (unsigned i = 0; i < DT_STEP__N; i++)
		if (c->steps[i].method && !fired[i]) {
			fprintf(f, "%s", first ? "" : ",");
			json_str(f, c->steps[i].sym);
			first = false;
		}
	fprintf(f, "]}\n");
}
