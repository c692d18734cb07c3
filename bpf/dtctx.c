// SPDX-License-Identifier: GPL-2.0
/* Names and small helpers shared by the live tool, report and unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtctx.h"

static const struct {
	const char *label;
	uint8_t cat, flags;
} step_static[DT_STEP__N] = {
#define STEP(id, cat, fl, cands, tp) [DT_##id] = { cands, cat, fl },
#include "steps.def"
#undef STEP
};

void dt_ctx_init_static(struct dt_ctx *c)
{
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		snprintf(c->steps[i].label, sizeof(c->steps[i].label), "%s",
			 step_static[i].label);
		c->steps[i].cat = step_static[i].cat;
		c->steps[i].flags = step_static[i].flags;
	}
	if (!c->page_size)
		c->page_size = 4096;
}

const char *dt_step_label(const struct dt_ctx *c, unsigned step)
{
	if (step >= DT_STEP__N)
		return "?";
	return c->steps[step].label;
}

const char *dt_sym_name(struct dt_ctx *c, uint64_t addr)
{
	return dt_sym_resolve(c, addr, NULL);
}

const char *dt_sym_resolve(struct dt_ctx *c, uint64_t addr, bool *added)
{
	const char *n;

	if (added)
		*added = false;
	if (!addr)
		return NULL;
	for (size_t i = 0; i < c->nsyms; i++)
		if (c->syms[i].addr == addr)
			return c->syms[i].name;
	if (!c->addr2name)
		return NULL;
	n = c->addr2name(addr, c->addr2name_arg);
	if (!n || !dt_sym_add(c, addr, n))
		return NULL;
	if (added)
		*added = true;
	return c->syms[c->nsyms - 1].name;
}

int dt_event_fired_step(const void *data, size_t len)
{
	const struct dt_event *e = data;

	if (len < sizeof(*e) || (e->type != EV_ENTER && e->type != EV_REFAULT) ||
	    e->step >= DT_STEP__N)
		return -1;
	return e->step;
}

bool dt_sym_add(struct dt_ctx *c, uint64_t addr, const char *name)
{
	if (c->nsyms == c->capsyms) {
		size_t cap = c->capsyms ? c->capsyms * 2 : 32;
		struct dt_sym *s = realloc(c->syms, cap * sizeof(*s));

		if (!s)
			return false;
		c->syms = s;
		c->capsyms = cap;
	}
	c->syms[c->nsyms].addr = addr;
	snprintf(c->syms[c->nsyms].name, DT_SYM_LEN, "%s", name);
	c->nsyms++;
	return true;
}

bool dt_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	/* "/mnt/x" holds /mnt/x and /mnt/x/f, not /mnt/x2 */
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/' || n == 1);
}

const char *dt_cat_name(unsigned cat)
{
	static const char *n[CAT__N] = {
		[CAT_VFS] = "vfs", [CAT_ASYNC] = "async", [CAT_ITER] = "write_iter",
		[CAT_DIRECT] = "direct", [CAT_DIO] = "direct_IO", [CAT_CACHE] = "cache",
		[CAT_FLUSH] = "flush", [CAT_INVAL] = "invalidate", [CAT_UNMAP] = "unmap",
		[CAT_PIN] = "pin", [CAT_BIO] = "bio", [CAT_COMPLETE] = "complete",
		[CAT_FALLBACK] = "fallback", [CAT_BUFFERED] = "buffered",
		[CAT_FAULT] = "fault", [CAT_TP] = "tracepoint",
	};
	return cat < CAT__N && n[cat] ? n[cat] : "?";
}

const char *dt_method_name(unsigned m)
{
	switch (m) {
	case M_FENTRY: return "fentry";
	case M_KPROBE: return "kprobe";
	case M_TP: return "tracepoint";
	case M_KMULTI: return "kprobe.multi";
	default: return "-";
	}
}

const char *dt_iter_name(unsigned t)
{
	static const char *n[] = { "?", "UBUF", "IOVEC", "KVEC", "BVEC", "XARRAY",
				   "DISCARD", "PIPE", "FOLIOQ" };
	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

const char *dt_sys_name(unsigned s)
{
	static const char *n[] = { "?", "write", "pwrite64", "writev", "pwritev",
				   "read", "pread64", "readv", "preadv", "io_submit",
				   "io_uring_enter", "io-wq", "pwritev2", "preadv2" };
	return s < sizeof(n) / sizeof(n[0]) ? n[s] : "?";
}

const char *dt_tp_name(unsigned tp)
{
	switch (tp) {
	case DT_TP_FILEMAP_DELETE: return "mm_filemap_delete_from_page_cache";
	case DT_TP_FILEMAP_ADD: return "mm_filemap_add_to_page_cache";
	case DT_TP_BIO_QUEUE: return "block_bio_queue";
	case DT_TP_IOMAP_INVAL_FAIL: return "iomap_dio_invalidate_fail";
	case DT_TP_FAULT: return "mm_filemap_fault";
	case DT_TP_DTAPE_SUBMIT: return "dtape_submit";
	case DT_TP_DTAPE_PIN: return "dtape_pin";
	case DT_TP_DTAPE_TRANSFER: return "dtape_transfer";
	case DT_TP_DTAPE_UNPIN: return "dtape_unpin";
	case DT_TP_DTAPE_FALLBACK: return "dtape_fallback";
	case DT_TP_DTAPE_COMPLETE: return "dtape_complete";
	case DT_TP_DTAPE_STALL: return "dtape_stall";
	default: return "?";
	}
}

char *dt_decode_flags(const struct dt_flagname *t, int n, uint64_t v, char *buf, size_t len)
{
	size_t o = 0;
	uint64_t rest = v;

	buf[0] = 0;
	for (int i = 0; i < n && o < len; i++) {
		if (!t[i].val || (v & t[i].val) != t[i].val)
			continue;
		o += snprintf(buf + o, len - o, "%s%s", o ? "|" : "", t[i].name);
		rest &= ~t[i].val;
	}
	if ((rest || !v) && o < len)
		snprintf(buf + o, len - o, "%s%#llx", o ? "|" : "", (unsigned long long)rest);
	return buf;
}
