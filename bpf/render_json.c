// SPDX-License-Identifier: GPL-2.0
/* One JSON object per line; the schema is docs/diotrace-json.md. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "dtape_ev.h"
#include "render.h"

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void render_json_args(FILE *f, struct dt_ctx *c, const struct dt_node *n, bool first)
{
	const struct dt_event *e = &n->ev;
	const struct dt_stepinfo *si = e->step < DT_STEP__N && n->kind == NODE_CALL ?
				       &c->steps[e->step] : NULL;
	char buf[320];

	if (!c)
		return;
#define KEY(k) do { fprintf(f, "%s\"%s\":", first ? "" : ",", k); first = false; } while (0)
	if (si && e->method != M_TP) {
		for (int i = 0; i < DT_NARGS && si->argname[i][0]; i++) {
			KEY(si->argname[i]);
			fprintf(f, "%" PRIu64, (uint64_t)e->args[i]);
		}
	}
	if (e->io.has_iocb) {
		KEY("ki_pos");
		fprintf(f, "%" PRIu64, (uint64_t)e->io.pos);
		KEY("ki_flags");
		fprintf(f, "%u", e->io.ki_flags);
		KEY("iocb_direct");
		fprintf(f, "%s", e->io.ki_flags & (1u << 17) ? "true" : "false");
	}
	if (e->io.has_iter) {
		KEY("iter_type");
		json_str(f, dt_iter_name(e->io.iter_type));
		KEY("iter_count");
		fprintf(f, "%" PRIu64, (uint64_t)e->io.count);
		KEY("iter_source");
		fprintf(f, "%s", e->io.data_source ? "true" : "false");
		KEY("nr_segs");
		fprintf(f, "%" PRIu64, (uint64_t)e->io.nr_segs);
		KEY("user_addr");
		fprintf(f, "%" PRIu64, (uint64_t)e->io.uaddr);
	}
	if (n->kind == NODE_TP && dt_tp_is_dtape(e->step)) {
		if (!first)
			fputc(',', f);
		dtape_ev_json(f, e);
		return;
	}
	if (e->obj.has_mapping || n->kind == NODE_TP) {
		KEY("ino");
		fprintf(f, "%" PRIu64, (uint64_t)e->obj.ino);
		KEY("dev");
		fprintf(f, "\"%u:%u\"", e->obj.dev >> 20, e->obj.dev & 0xfffff);
	}
	if (e->obj.has_mapping && n->kind == NODE_CALL) {
		KEY("nrpages");
		fprintf(f, "%" PRIu64, (uint64_t)e->obj.nrpages);
	}
	if (e->obj.has_bio) {
		KEY("sector");
		fprintf(f, "%" PRIu64, (uint64_t)e->obj.sector);
		KEY("size");
		fprintf(f, "%u", e->obj.bi_size);
		KEY("op");
		json_str(f, (e->obj.bi_opf & 0xff) == 0 ? "READ" :
			    (e->obj.bi_opf & 0xff) == 1 ? "WRITE" : "OTHER");
		KEY("bi_flags");
		json_str(f, dt_decode_flags(c->bioflags, c->nbioflags, e->obj.bi_flags, buf,
					    sizeof(buf)));
	}
	if (n->kind == NODE_CALL && (e->step == DT_GUP_FAST || e->step == DT_PUP_FAST ||
				     e->step == DT_GUP_INTERNAL || e->step == DT_GUP_SLOW ||
				     e->step == DT_PUP_SLOW)) {
		KEY("foll");
		json_str(f, e->step == DT_PUP_FAST || e->step == DT_PUP_SLOW ? "PIN" :
			    e->step == DT_GUP_FAST || e->step == DT_GUP_SLOW ? "GET" : "");
		KEY("gup_flags_decoded");
		json_str(f, dt_decode_flags(c->foll, c->nfoll, e->args[2], buf, sizeof(buf)));
		KEY("foll_from_btf");
		fprintf(f, "%s", c->foll_from_btf ? "true" : "false");
	}
	if (n->kind == NODE_TP && (e->step == DT_TP_FILEMAP_DELETE || e->step == DT_TP_FILEMAP_ADD)) {
		KEY("index");
		fprintf(f, "%" PRIu64, (uint64_t)e->args[0]);
	}
#undef KEY
}

static void json_args(FILE *f, struct dt_ctx *c, const struct dt_node *n)
{
	fputc('{', f);
	render_json_args(f, c, n, true);
	fputc('}', f);
}

static void json_nodes(FILE *f, struct dt_ctx *c, const struct dt_node *parent, int depth,
		       const struct render_opts *o)
{
	bool first = true;

	fputc('[', f);
	for (const struct dt_node *n = parent->first; n; n = n->next) {
		if (!first)
			fputc(',', f);
		first = false;
		fputc('{', f);
		if (n->kind == NODE_TP) {
			fprintf(f, "\"tp\":");
			json_str(f, dt_tp_name(n->ev.step));
		} else {
			const struct dt_stepinfo *si = &c->steps[n->ev.step < DT_STEP__N ?
								  n->ev.step : 0];

			fprintf(f, "\"fn\":");
			json_str(f, dt_node_name(c, n));
			fprintf(f, ",\"step\":");
			json_str(f, si->label);
			fprintf(f, ",\"cat\":");
			json_str(f, dt_cat_name(si->cat));
			fprintf(f, ",\"attach\":");
			json_str(f, dt_method_name(n->ev.method));
			if (n->exited)
				fprintf(f, ",\"ret\":%" PRId64 ",\"dur_ns\":%" PRIu64, n->ret,
					dt_node_dur(n));
			else
				fprintf(f, ",\"ret\":null");
		}
		fprintf(f, ",\"depth\":%d,\"args\":", depth);
		json_args(f, c, n);
		if (n->first && (!o->max_depth || depth < o->max_depth)) {
			fprintf(f, ",\"children\":");
			json_nodes(f, c, n, depth + 1, o);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

static void json_chain(FILE *f, struct dt_ctx *c, const struct dt_node *parent, bool *first)
{
	for (const struct dt_node *n = parent->first; n; n = n->next) {
		if (n->kind == NODE_CALL) {
			if (!*first)
				fputc(',', f);
			*first = false;
			json_str(f, dt_node_name(c, n));
		}
		json_chain(f, c, n, first);
	}
}

void render_json(FILE *f, struct dt_ctx *c, struct dt_tree *t, const struct render_opts *o)
{
	const struct dt_root *r = &t->root;
	bool first = true;

	fprintf(f, "{\"type\":\"syscall\",\"seq\":%" PRIu64 ",\"syscall\":", t->seq);
	json_str(f, dt_sys_name(r->sys));
	fprintf(f, ",\"pid\":%u,\"tid\":%u,\"comm\":", r->ev.pid, r->ev.tid);
	{
		char comm[DT_COMM_LEN + 1];

		memcpy(comm, r->comm, DT_COMM_LEN);
		comm[DT_COMM_LEN] = 0;
		json_str(f, comm);
	}
	fprintf(f, ",\"fd\":%d,\"path\":", r->fd);
	json_str(f, t->path);
	fprintf(f, ",\"ino\":%" PRIu64 ",\"dev\":\"%u:%u\"", (uint64_t)r->ev.obj.ino,
		r->ev.obj.dev >> 20, r->ev.obj.dev & 0xfffff);
	fprintf(f, ",\"count\":%" PRIu64 ",\"offset\":%" PRId64 ",\"buf\":%" PRIu64,
		(uint64_t)r->count, (int64_t)r->offset, (uint64_t)r->buf);
	fprintf(f, ",\"f_flags\":%u,\"o_direct\":%s,\"write\":%s", r->ev.obj.f_flags,
		t->o_direct ? "true" : "false", t->is_write ? "true" : "false");
	if (t->exited)
		fprintf(f, ",\"ret\":%" PRId64 ",\"dur_ns\":%" PRIu64, t->ret,
			(uint64_t)(t->ts_exit >= r->ev.ts ? t->ts_exit - r->ev.ts : 0));
	else
		fprintf(f, ",\"ret\":null");
	fprintf(f, ",\"complete\":%s,\"lost\":%u", t->exited && !t->lost ? "true" : "false",
		t->lost);
	fprintf(f, ",\"write_iter\":");
	json_str(f, t->write_iter);
	fprintf(f, ",\"direct_IO\":");
	json_str(f, t->direct_io_aop);
	fprintf(f, ",\"dio\":%s,\"dio_engine\":", t->did_dio ? "true" : "false");
	json_str(f, t->dio_engine);
	fprintf(f, ",\"fallback\":%s,\"fallback_reason\":", t->fell_back ? "true" : "false");
	if (t->fell_back)
		json_str(f, t->fallback_reason);
	else
		fprintf(f, "null");
	fprintf(f, ",\"pages_pinned\":%" PRIu64 ",\"pin_kind\":", t->pages_pinned);
	if (dt_pin_kind(t))
		json_str(f, dt_pin_kind(t));
	else
		fprintf(f, "null");
	fprintf(f, ",\"pages_foll_pin\":%" PRIu64 ",\"pages_foll_get\":%" PRIu64
		",\"pages_dropped\":%" PRIu64 ",\"flushed_bytes\":%" PRIu64, t->pages_foll_pin,
		t->pages_foll_get, t->pages_dropped, t->pages_flushed_bytes);
	fprintf(f, ",\"chain\":[");
	json_chain(f, c, &t->top, &first);
	fprintf(f, "],\"notes\":[");
	for (int i = 0; i < t->nnotes; i++) {
		fprintf(f, "%s{\"kind\":", i ? "," : "");
		json_str(f, dt_note_kind(t->notes[i].kind));
		fprintf(f, ",\"text\":");
		json_str(f, t->notes[i].text);
		fputc('}', f);
	}
	fprintf(f, "],\"calls\":");
	json_nodes(f, c, &t->top, 1, o);
	fprintf(f, "}\n");
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
