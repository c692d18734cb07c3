// SPDX-License-Identifier: GPL-2.0
/*
 * dtape's tracepoints as diotrace shows them.  The argument layout is set
 * by the raw_tp programs in diotrace.bpf.c (see enum dt_tp); the values
 * and their names are module/dtape_abi.h's, which the module's
 * tracepoints print too.
 */
#include <inttypes.h>
#include <stdio.h>
#include "dtape_ev.h"
#include "dtctx.h"
#include "../module/dtape_abi.h"

#define NAME_OF(names, v) \
	((v) < sizeof(names) / sizeof((names)[0]) && (names)[v] ? (names)[v] : "?")

static void args_of(const struct dt_event *e, uint64_t *a)
{
	for (int i = 0; i < DT_NARGS; i++)
		a[i] = e->args[i];
}

static const char *path_name(uint64_t v)
{
	static const char *const n[DTAPE_NR_PATHS] = DTAPE_PATH_NAMES;

	return NAME_OF(n, v);
}

const char *dtape_why_name(uint64_t v)
{
	static const char *const n[DTAPE_NR_FALLBACKS] = DTAPE_FALLBACK_NAMES;

	return NAME_OF(n, v);
}

static const char *dir_name(uint64_t to_medium)
{
	static const char *const n[] = DTAPE_DIR_NAMES;

	return NAME_OF(n, to_medium);
}

void dtape_ev_fmt(const struct dt_event *e, char *buf, size_t len)
{
	uint64_t a[DT_NARGS];

	args_of(e, a);
	int o;

	if (e->step == DT_TP_DTAPE_STALL) {
		snprintf(buf, len, "drive=%" PRIu64 " %s reposition=%" PRIu64 "ms", a[0],
			 dir_name(a[4]), a[3]);
		return;
	}
	o = snprintf(buf, len, "drive=%" PRIu64 " uaddr=%#" PRIx64 " len=%" PRIu64, a[0], a[1],
		     a[2]);
	if (o < 0 || (size_t)o >= len)
		return;
	buf += o;
	len -= (size_t)o;
	switch (e->step) {
	case DT_TP_DTAPE_SUBMIT:
		snprintf(buf, len, " %s %s inflight=%" PRIu64, dir_name(a[3]),
			 a[4] ? "sync" : "async", a[5]);
		break;
	case DT_TP_DTAPE_PIN:
		snprintf(buf, len, " pages=%" PRIu64 "/%" PRId64 " path=%s %s", a[3], (int64_t)a[4],
			 path_name(a[5] & 0xff), dir_name(a[5] >> 8));
		break;
	case DT_TP_DTAPE_TRANSFER:
		snprintf(buf, len, " pages=%" PRIu64 " path=%s %s block=%" PRIu64, a[3],
			 path_name(a[4] & 0xff), dir_name(a[4] >> 8), a[5]);
		break;
	case DT_TP_DTAPE_UNPIN:
		snprintf(buf, len, " pages=%" PRIu64 " path=%s%s", a[3], path_name(a[4]),
			 a[5] ? " dirty" : "");
		break;
	case DT_TP_DTAPE_FALLBACK:
		snprintf(buf, len, " why=%s path=%s %s", dtape_why_name(a[3]), path_name(a[5]),
			 dir_name(a[4]));
		break;
	case DT_TP_DTAPE_COMPLETE:
		snprintf(buf, len, " result=%" PRId64 " %s", (int64_t)a[3], a[4] ? "sync" : "async");
		break;
	default:
		break;
	}
}

void dtape_ev_json(FILE *f, const struct dt_event *e)
{
	uint64_t a[DT_NARGS];

	args_of(e, a);

	fprintf(f, "\"drive\":%" PRIu64, a[0]);
	if (e->step != DT_TP_DTAPE_STALL)
		fprintf(f, ",\"uaddr\":%" PRIu64 ",\"len\":%" PRIu64, a[1], a[2]);
	switch (e->step) {
	case DT_TP_DTAPE_SUBMIT:
		fprintf(f, ",\"dir\":\"%s\",\"sync\":%s,\"inflight\":%" PRIu64, dir_name(a[3]),
			a[4] ? "true" : "false", a[5]);
		break;
	case DT_TP_DTAPE_PIN:
		fprintf(f, ",\"nr_pages\":%" PRIu64 ",\"got\":%" PRId64 ",\"path\":\"%s\",\"dir\":\"%s\"",
			a[3], (int64_t)a[4], path_name(a[5] & 0xff), dir_name(a[5] >> 8));
		break;
	case DT_TP_DTAPE_TRANSFER:
		fprintf(f, ",\"nr_pages\":%" PRIu64 ",\"path\":\"%s\",\"dir\":\"%s\",\"block\":%" PRIu64,
			a[3], path_name(a[4] & 0xff), dir_name(a[4] >> 8), a[5]);
		break;
	case DT_TP_DTAPE_UNPIN:
		fprintf(f, ",\"nr_pages\":%" PRIu64 ",\"path\":\"%s\",\"dirty\":%s", a[3],
			path_name(a[4]), a[5] ? "true" : "false");
		break;
	case DT_TP_DTAPE_FALLBACK:
		fprintf(f, ",\"why\":\"%s\",\"path\":\"%s\",\"dir\":\"%s\"", dtape_why_name(a[3]),
			path_name(a[5]), dir_name(a[4]));
		break;
	case DT_TP_DTAPE_COMPLETE:
		fprintf(f, ",\"result\":%" PRId64 ",\"sync\":%s", (int64_t)a[3],
			a[4] ? "true" : "false");
		break;
	case DT_TP_DTAPE_STALL:
		fprintf(f, ",\"dir\":\"%s\",\"reposition_ms\":%" PRIu64, dir_name(a[4]), a[3]);
		break;
	default:
		break;
	}
	if (e->type == EV_WORKER)
		fprintf(f, ",\"in_worker\":true,\"since_submit_ns\":%" PRId64, (int64_t)e->ret);
}

void dtape_ev_text_line(FILE *f, const struct dt_event *e, const char *comm)
{
	uint64_t a[DT_NARGS];

	args_of(e, a);
	char who[48];
	double ms = (double)e->ret / 1e6;

	snprintf(who, sizeof(who), "%.16s[%u/%u]", comm && comm[0] ? comm : "?", e->pid, e->tid);
	switch (e->step) {
	case DT_TP_DTAPE_COMPLETE:
		fprintf(f, "dtape%" PRIu64 ": %s's record (%" PRIu64 " bytes) completed = %" PRId64
			" in the drive's worker, %.3f ms after submission\n", a[0], who, a[2],
			(int64_t)a[3], ms);
		break;
	case DT_TP_DTAPE_TRANSFER:
		fprintf(f, "dtape%" PRIu64 ": worker moved %s's %" PRIu64 " bytes (%" PRIu64
			" pages, %s) %s tape block %" PRIu64 ", +%.3f ms\n", a[0], who, a[2], a[3],
			path_name(a[4] & 0xff), a[4] >> 8 ? "to" : "from", a[5], ms);
		break;
	case DT_TP_DTAPE_UNPIN:
		fprintf(f, "dtape%" PRIu64 ": worker released %s's %" PRIu64 " pages (%s%s), +%.3f ms\n",
			a[0], who, a[3], path_name(a[4]), a[5] ? ", dirtied" : "", ms);
		break;
	case DT_TP_DTAPE_STALL:
		fprintf(f, "dtape%" PRIu64 ": STALL: the drive's buffer ran dry while %s streamed to "
			"it; the tape stops and repositions (%" PRIu64 " ms)\n", a[0], who, a[3]);
		break;
	default:
		fprintf(f, "dtape%" PRIu64 ": %s for %s\n", a[0], dt_tp_name(e->step), who);
		break;
	}
}
