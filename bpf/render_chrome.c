// SPDX-License-Identifier: GPL-2.0
/*
 * The trees as a Chrome trace-event timeline (the JSON Object Format that
 * Perfetto's UI and chrome://tracing open): per thread, a syscall is a
 * complete ("X") slice and each call a slice nested in it; tracepoints are
 * thread-scoped instants ("i").  dtape's drive worker gets a track of its
 * own, with a flow arrow ("s" -> "f") from the submission to the worker's
 * first work on the record.
 *
 * Trees reach a renderer when their syscall returns, and AIO worker events
 * on their own, so the worker's events are kept and laid out at the end,
 * sorted by time: a record's events form one slice on the worker's track
 * while no other record's events come between them (the worker places one
 * record at a time; a completion may come much later, as its own slice).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtape_ev.h"
#include "render.h"

/* PID_MAX_LIMIT: no real task has this id, so a worker whose thread id the
 * recording lacks (before it was noted) gets 4194304 + drive. */
#define CT_SYNTH_PID 4194304u

struct ct_thread {
	uint32_t pid, tid;
};

/* A dtape_submit instant in a rendered tree: where a flow starts. */
struct ct_submit {
	uint32_t pid, tid;
	uint64_t drive, uaddr, len, ts;
	bool used;
};

struct ct_wev {
	struct dt_event ev;
	char comm[DT_COMM_LEN + 1];
};

struct chrome_trace {
	FILE *f;
	bool first;
	struct ct_thread *thr;
	size_t nthr, capthr;
	struct ct_submit *sub;
	size_t nsub, capsub;
	struct ct_wev *wev;
	size_t nwev, capwev;
	uint64_t flows;
	bool nomem;
};

/* Room for one more element in *arr; false (and a note) when out of memory. */
static bool grow(struct chrome_trace *ct, void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t nc;
	void *na;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 32;
	na = realloc(*arr, nc * elem);
	if (!na) {
		ct->nomem = true;
		return false;
	}
	*arr = na;
	*cap = nc;
	return true;
}

struct chrome_trace *chrome_open(FILE *f)
{
	struct chrome_trace *ct = calloc(1, sizeof(*ct));

	if (!ct)
		return NULL;
	ct->f = f;
	ct->first = true;
	fprintf(f, "{\"traceEvents\":[");
	return ct;
}

/* Microseconds, the format's unit, to the nanosecond: no float rounding. */
static void put_us(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%03u", ns / 1000, (unsigned int)(ns % 1000));
}

/* Opens one event object; the caller adds its fields and the closing brace. */
static void ev_open(struct chrome_trace *ct, const char *ph, const char *name, const char *cat,
		    uint32_t pid, uint32_t tid, uint64_t ts)
{
	FILE *f = ct->f;

	fputs(ct->first ? "\n" : ",\n", f);
	ct->first = false;
	fprintf(f, "{\"ph\":\"%s\",\"name\":", ph);
	json_str(f, name);
	fprintf(f, ",\"cat\":");
	json_str(f, cat);
	fprintf(f, ",\"pid\":%u,\"tid\":%u,\"ts\":", pid, tid);
	put_us(f, ts);
}

static void metadata(struct chrome_trace *ct, const char *what, uint32_t pid, uint32_t tid,
		     const char *name)
{
	ev_open(ct, "M", what, "__metadata", pid, tid, 0);
	fprintf(ct->f, ",\"args\":{\"name\":");
	json_str(ct->f, name);
	fprintf(ct->f, "}}");
}

/* Name a process and a thread the first time they appear. */
static void see_thread(struct chrome_trace *ct, uint32_t pid, uint32_t tid, const char *comm)
{
	bool pid_seen = false;

	for (size_t i = 0; i < ct->nthr; i++) {
		if (ct->thr[i].tid == tid && ct->thr[i].pid == pid)
			return;
		pid_seen |= ct->thr[i].pid == pid;
	}
	if (!grow(ct, (void **)&ct->thr, &ct->capthr, ct->nthr, sizeof(*ct->thr)))
		return;
	ct->thr[ct->nthr++] = (struct ct_thread){ pid, tid };
	if (!pid_seen)
		metadata(ct, "process_name", pid, tid, comm);
	metadata(ct, "thread_name", pid, tid, comm);
}

/* The last thing this thread did under @n: where a call without an exit ends. */
static uint64_t last_ts(const struct dt_node *n)
{
	uint64_t end = n->exited && n->ts_exit > n->ev.ts ? n->ts_exit : n->ev.ts;

	for (const struct dt_node *ch = n->first; ch; ch = ch->next) {
		uint64_t e;

		if (ch->ev.type == EV_WORKER)	/* another thread's */
			continue;
		e = last_ts(ch);
		if (e > end)
			end = e;
	}
	return end;
}

static void keep_worker(struct chrome_trace *ct, const struct dt_event *e, const char *comm)
{
	struct ct_wev *w;

	if (!grow(ct, (void **)&ct->wev, &ct->capwev, ct->nwev, sizeof(*ct->wev)))
		return;
	w = &ct->wev[ct->nwev++];
	w->ev = *e;
	snprintf(w->comm, sizeof(w->comm), "%s", comm ? comm : "");
}

static void keep_submit(struct chrome_trace *ct, const struct dt_event *e)
{
	if (!grow(ct, (void **)&ct->sub, &ct->capsub, ct->nsub, sizeof(*ct->sub)))
		return;
	ct->sub[ct->nsub++] = (struct ct_submit){ .pid = e->pid, .tid = e->tid,
		.drive = e->args[0], .uaddr = e->args[1], .len = e->args[2], .ts = e->ts };
}

static void tp_instant(struct chrome_trace *ct, struct dt_ctx *c, const struct dt_node *n,
		       uint32_t pid, uint32_t tid)
{
	ev_open(ct, "i", dt_tp_name(n->ev.step), dt_tp_is_dtape(n->ev.step) ? "dtape" : "tracepoint",
		pid, tid, n->ev.ts);
	fprintf(ct->f, ",\"s\":\"t\",\"args\":{");
	render_json_args(ct->f, c, n, true);
	fprintf(ct->f, "}}");
}

struct ct_walk {
	struct chrome_trace *ct;
	struct dt_ctx *c;
	const struct render_opts *o;
	uint32_t pid, tid;
	const char *comm;
};

static void call_slice(const struct ct_walk *w, const struct dt_node *n)
{
	const struct dt_stepinfo *si = &w->c->steps[n->ev.step < DT_STEP__N ? n->ev.step : 0];
	FILE *f = w->ct->f;
	uint64_t end = n->exited ? n->ts_exit : last_ts(n);

	ev_open(w->ct, "X", dt_node_name(w->c, n), dt_cat_name(si->cat), w->pid, w->tid, n->ev.ts);
	fprintf(f, ",\"dur\":");
	put_us(f, end > n->ev.ts ? end - n->ev.ts : 0);
	fprintf(f, ",\"args\":{\"step\":");
	json_str(f, si->label);
	fprintf(f, ",\"attach\":");
	json_str(f, dt_method_name(n->ev.method));
	if (n->exited && !dt_step_void(n->ev.step))
		fprintf(f, ",\"ret\":%" PRId64, n->ret);
	else if (!n->exited)
		fprintf(f, ",\"exit_seen\":false");
	render_json_args(f, w->c, n, false);
	fprintf(f, "}}");
}

static void walk(const struct ct_walk *w, const struct dt_node *parent, int depth)
{
	for (const struct dt_node *n = parent->first; n; n = n->next) {
		if (n->kind == NODE_TP && n->ev.type == EV_WORKER) {
			keep_worker(w->ct, &n->ev, w->comm);
			continue;
		}
		if (n->kind == NODE_TP) {
			tp_instant(w->ct, w->c, n, w->pid, w->tid);
			if (n->ev.step == DT_TP_DTAPE_SUBMIT)
				keep_submit(w->ct, &n->ev);
			continue;
		}
		if (dt_node_hidden(w->c, n) && !w->o->show_folded) {
			walk(w, n, depth);
			continue;
		}
		if (w->o->max_depth && depth > w->o->max_depth)
			continue;
		call_slice(w, n);
		walk(w, n, depth + 1);
	}
}

static void syscall_args(FILE *f, const struct dt_tree *t)
{
	const struct dt_root *r = &t->root;

	fprintf(f, ",\"args\":{\"seq\":%" PRIu64 ",\"fd\":%d,\"path\":", t->seq, r->fd);
	json_str(f, t->path);
	fprintf(f, ",\"count\":%" PRIu64 ",\"offset\":%" PRId64 ",\"o_direct\":%s",
		(uint64_t)r->count, (int64_t)r->offset, t->o_direct ? "true" : "false");
	if (t->exited)
		fprintf(f, ",\"ret\":%" PRId64, t->ret);
	fprintf(f, ",\"complete\":%s,\"dio_engine\":", t->exited && !t->lost ? "true" : "false");
	json_str(f, t->dio_engine);
	fprintf(f, ",\"pages_foll_pin\":%" PRIu64 ",\"pages_foll_get\":%" PRIu64 ",\"notes\":[",
		t->pages_foll_pin, t->pages_foll_get);
	for (int i = 0; i < t->nnotes; i++) {
		if (i)
			fputc(',', f);
		json_str(f, t->notes[i].text);
	}
	fprintf(f, "]}}");
}

void chrome_tree(struct chrome_trace *ct, struct dt_ctx *c, struct dt_tree *t,
		 const struct render_opts *o)
{
	const struct dt_root *r = &t->root;
	char comm[DT_COMM_LEN + 1], name[DT_PATH_DEPTH * DT_NAME_LEN + 48];
	struct ct_walk w = { ct, c, o, r->ev.pid, r->ev.tid, comm };
	uint64_t end = t->exited ? t->ts_exit : last_ts(&t->top);

	memcpy(comm, r->comm, DT_COMM_LEN);
	comm[DT_COMM_LEN] = 0;
	see_thread(ct, w.pid, w.tid, comm);
	snprintf(name, sizeof(name), "%s %s", dt_sys_name(r->sys), t->path);
	ev_open(ct, "X", name, "syscall", w.pid, w.tid, r->ev.ts);
	fprintf(ct->f, ",\"dur\":");
	put_us(ct->f, end > r->ev.ts ? end - r->ev.ts : 0);
	syscall_args(ct->f, t);
	walk(&w, &t->top, 1);
}

void chrome_worker(struct chrome_trace *ct, struct dt_ctx *c, const struct dt_worker *w)
{
	(void)c;
	keep_worker(ct, &w->ev, w->comm);
}

void chrome_refault(struct chrome_trace *ct, struct dt_ctx *c, const struct dt_refault *r)
{
	FILE *f = ct->f;

	(void)c;
	see_thread(ct, r->ev.pid, r->ev.tid, r->comm);
	ev_open(ct, "i", "refault", "fault", r->ev.pid, r->ev.tid, r->ev.ts);
	fprintf(f, ",\"s\":\"t\",\"args\":{\"ino\":%" PRIu64 ",\"dev\":\"%u:%u\",\"index\":%" PRIu64
		",\"dropped_by_pid\":%" PRIu64 "}}", (uint64_t)r->ev.obj.ino, r->ev.obj.dev >> 20,
		r->ev.obj.dev & 0xfffff, (uint64_t)r->ev.args[0], (uint64_t)r->ev.args[1]);
}

/* ------------------------------------------------------- worker tracks */

static uint32_t track_of(const struct dt_event *e)
{
	return e->worker_tid ? e->worker_tid : CT_SYNTH_PID + (uint32_t)e->args[0];
}

static int by_track_then_time(const void *pa, const void *pb)
{
	const struct ct_wev *a = pa, *b = pb;
	uint32_t ta = track_of(&a->ev), tb = track_of(&b->ev);

	if (ta != tb)
		return ta < tb ? -1 : 1;
	return a->ev.ts < b->ev.ts ? -1 : a->ev.ts > b->ev.ts;
}

/* The same record: submitter, drive, user address and length, and the
 * same submission (a program that reuses its buffers submits the next
 * record under the same address; ret is the time since submission). */
static bool same_req(const struct dt_event *a, const struct dt_event *b)
{
	return a->tid == b->tid && a->args[0] == b->args[0] && a->args[1] == b->args[1] &&
	       a->args[2] == b->args[2] && a->ts - (uint64_t)a->ret == b->ts - (uint64_t)b->ret;
}

/* The rendered submission of @e's record with no flow yet: the first
 * dtape_submit instant from when BPF noted the submission (a little before
 * the instant; ret is the time since then) to the worker's slice. */
static struct ct_submit *submit_of(struct chrome_trace *ct, const struct dt_event *e, uint64_t ts)
{
	uint64_t at = e->ts - (uint64_t)e->ret;
	struct ct_submit *best = NULL;

	for (size_t i = 0; i < ct->nsub; i++) {
		struct ct_submit *s = &ct->sub[i];

		if (!s->used && s->tid == e->tid && s->drive == e->args[0] &&
		    s->uaddr == e->args[1] && s->len == e->args[2] && s->ts >= at && s->ts <= ts &&
		    (!best || s->ts < best->ts))
			best = s;
	}
	return best;
}

static void worker_instant(struct chrome_trace *ct, const struct ct_wev *w, uint32_t track)
{
	ev_open(ct, "i", dt_tp_name(w->ev.step), "dtape", track, track, w->ev.ts);
	fprintf(ct->f, ",\"s\":\"t\",\"args\":{\"submitter_pid\":%u,\"submitter_tid\":%u,"
		"\"submitter_comm\":", w->ev.pid, w->ev.tid);
	json_str(ct->f, w->comm);
	fputc(',', ct->f);
	dtape_ev_json(ct->f, &w->ev);
	fprintf(ct->f, "}}");
}

/* The arrow from the submitting thread to the worker's slice [start, end]. */
static void flow(struct chrome_trace *ct, struct ct_submit *s, uint32_t track, uint64_t start,
		 uint64_t end)
{
	uint64_t id = ++ct->flows;

	s->used = true;
	ev_open(ct, "s", "dtape record", "dtape", s->pid, s->tid, s->ts);
	fprintf(ct->f, ",\"id\":%" PRIu64 "}", id);
	/* inside the slice, not on its edge, so "enclosing" is unambiguous */
	ev_open(ct, "f", "dtape record", "dtape", track, track, start + (end - start) / 2);
	fprintf(ct->f, ",\"bp\":\"e\",\"id\":%" PRIu64 "}", id);
}

/* Events [i, j) of one record in a row on one worker's track: one slice. */
static void burst(struct chrome_trace *ct, size_t i, size_t j, uint32_t track)
{
	const struct ct_wev *w = &ct->wev[i];
	uint64_t start = w->ev.ts, end = ct->wev[j - 1].ev.ts;
	struct ct_submit *s = submit_of(ct, &w->ev, start);
	char name[64];

	snprintf(name, sizeof(name), "record of %s", w->comm[0] ? w->comm : "?");
	ev_open(ct, "X", name, "dtape", track, track, start);
	fprintf(ct->f, ",\"dur\":");
	put_us(ct->f, end - start);
	fprintf(ct->f, ",\"args\":{\"drive\":%" PRIu64 ",\"uaddr\":%" PRIu64 ",\"len\":%" PRIu64
		",\"submitter_pid\":%u,\"submitter_tid\":%u,\"events\":%zu}}", (uint64_t)w->ev.args[0],
		(uint64_t)w->ev.args[1], (uint64_t)w->ev.args[2], w->ev.pid, w->ev.tid, j - i);
	if (s)
		flow(ct, s, track, start, end);
	for (size_t k = i; k < j; k++)
		worker_instant(ct, &ct->wev[k], track);
}

static void name_track(struct chrome_trace *ct, const struct dt_event *e, uint32_t track)
{
	char name[96];

	snprintf(name, sizeof(name), "dtape%" PRIu64 " drive worker%s", (uint64_t)e->args[0],
		 e->worker_tid ? "" : " (thread id not recorded)");
	metadata(ct, "process_name", track, track, name);
	snprintf(name, sizeof(name), "dtape%" PRIu64, (uint64_t)e->args[0]);
	metadata(ct, "thread_name", track, track, name);
}

static void worker_tracks(struct chrome_trace *ct)
{
	size_t i = 0;

	qsort(ct->wev, ct->nwev, sizeof(*ct->wev), by_track_then_time);
	while (i < ct->nwev) {
		uint32_t track = track_of(&ct->wev[i].ev);
		size_t j = i + 1;

		if (!i || track != track_of(&ct->wev[i - 1].ev))
			name_track(ct, &ct->wev[i].ev, track);
		if (ct->wev[i].ev.step == DT_TP_DTAPE_STALL) {
			/* the drive's, not a record's */
			worker_instant(ct, &ct->wev[i], track);
			i++;
			continue;
		}
		while (j < ct->nwev && track_of(&ct->wev[j].ev) == track &&
		       ct->wev[j].ev.step != DT_TP_DTAPE_STALL && same_req(&ct->wev[j].ev, &ct->wev[i].ev))
			j++;
		burst(ct, i, j, track);
		i = j;
	}
}

int chrome_close(struct chrome_trace *ct, const struct dt_ctx *c)
{
	FILE *f;
	int rc;

	if (!ct)
		return -1;
	f = ct->f;
	worker_tracks(ct);
	fprintf(f, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":\"diotrace\",\"kernel\":");
	json_str(f, c->release);
	fprintf(f, ",\"emulated\":%s,\"accel\":", dt_emul_json(c->emulated));
	json_str(f, c->accel[0] ? c->accel : "unknown");
	fprintf(f, ",\"lost\":%" PRIu64 "}}\n", c->lost_total);
	rc = ct->nomem || ferror(f) ? -1 : 0;
	if (fclose(f))
		rc = -1;
	free(ct->thr);
	free(ct->sub);
	free(ct->wev);
	free(ct);
	return rc;
}
