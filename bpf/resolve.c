// SPDX-License-Identifier: GPL-2.0
/*
 * Decide, per step, how to trace it on the running kernel.
 *
 * The order is fentry/fexit, then kprobe/kretprobe, then a tracepoint, and
 * every candidate is checked before anything is attached, like bcc's
 * fentry_can_attach()/kprobe_exists(): a BTF FUNC must exist for fentry,
 * and the symbol must be in available_filter_functions for either (a
 * symbol in kallsyms but not there is notrace; one in neither was inlined
 * or does not exist in this kernel).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf_funcs.h"
#include "ksyms.h"
#include "symcache.h"
#include "resolve.h"

struct modbtf {
	char name[64];
	struct btf *btf;
	struct btf_funcs *funcs;	/* func_id(): built on first use */
};

struct resolver {
	struct ksyms *syms;	/* kallsyms' text symbols */
	struct ksyms *aff;	/* available_filter_functions */
	int kmulti_mod;		/* kprobe.multi takes module functions: 0 untried, 1, -1 */
	bool syms_cached, aff_cached;	/* read from this boot's copies (symcache.c) */
	bool fentry_cached;	/* fentry's verdict too */
	struct symcache sc;	/* open from resolver_new() to resolver_free() */
	struct btf *vmlinux;
	struct btf_funcs *vmlinux_funcs;	/* func_id(): built on first use */
	struct modbtf mods[64];
	int nmods;
	const char *tracefs;
	bool fentry_ok, kprobe_ok;
	bool kprobes_first;	/* resolver_kprobes_first() */
	char fentry_err[128];
	char namebuf[DT_SYM_LEN + 32];
};

static const struct ksym *ksym_find(const struct resolver *r, const char *name)
{
	return ksyms_find(r->syms, name);
}

static bool in_aff(const struct resolver *r, const char *name)
{
	return ksyms_find(r->aff, name) != NULL;
}

const char *resolver_addr2name(uint64_t addr, void *arg)
{
	struct resolver *r = arg;
	const struct ksym *k = ksyms_at(r->syms, addr);

	if (!k)
		return NULL;
	if (k->addr == addr)
		snprintf(r->namebuf, sizeof(r->namebuf), "%s%s%s%s", k->name,
			 k->mod ? " [" : "", k->mod ? k->mod : "", k->mod ? "]" : "");
	else
		snprintf(r->namebuf, sizeof(r->namebuf), "%s+%#llx", k->name,
			 (unsigned long long)(addr - k->addr));
	return r->namebuf;
}

static struct btf *module_btf(struct resolver *r, const char *mod)
{
	char path[128];

	for (int i = 0; i < r->nmods; i++)
		if (!strcmp(r->mods[i].name, mod))
			return r->mods[i].btf;
	if (r->nmods == (int)(sizeof(r->mods) / sizeof(r->mods[0])))
		return NULL;
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", mod);
	snprintf(r->mods[r->nmods].name, sizeof(r->mods[0].name), "%s", mod);
	r->mods[r->nmods].btf = access(path, R_OK) ? NULL :
		btf__load_module_btf(mod, r->vmlinux);
	if (libbpf_get_error(r->mods[r->nmods].btf))
		r->mods[r->nmods].btf = NULL;
	return r->mods[r->nmods++].btf;
}

/*
 * The id of the FUNC called @name in @b, vmlinux's BTF or a module's, or
 * -ENOENT; by hash (btf_funcs.c), each BTF's index built on first use.
 */
static int func_id(struct resolver *r, struct btf *b, const char *name)
{
	struct btf_funcs **f = b == r->vmlinux ? &r->vmlinux_funcs : NULL;

	for (int i = 0; !f && i < r->nmods; i++)
		if (r->mods[i].btf == b)
			f = &r->mods[i].funcs;
	if (!r->vmlinux_funcs)
		r->vmlinux_funcs = btf_funcs_new(r->vmlinux, NULL);
	if (f && !*f && r->vmlinux_funcs)
		*f = btf_funcs_new(b, r->vmlinux_funcs);
	if (!f || !*f)	/* out of memory: libbpf's walk */
		return btf__find_by_name_kind(b, name, BTF_KIND_FUNC);
	return btf_funcs_find(*f, name);
}

/* BTF FUNC for name: in vmlinux, else in the module that kallsyms names. */
static const struct btf_type *btf_func(struct resolver *r, const char *name,
				       const char *mod, struct btf **out)
{
	struct btf *b = mod ? module_btf(r, mod) : r->vmlinux;
	int id;

	*out = NULL;
	if (!b)
		return NULL;
	id = func_id(r, b, name);
	if (id < 0)
		return NULL;
	*out = b;
	return btf__type_by_id(b, id);
}

static int btf_nargs(struct btf *b, const struct btf_type *fn)
{
	const struct btf_type *proto = btf__type_by_id(b, fn->type);

	return proto ? btf_vlen(proto) : -1;
}

/* Argument roles by pointee struct name: survives reordered signatures,
 * e.g. xfs_file_dio_write_aligned(ip, iocb, from). */
static void arg_roles(struct btf *b, const struct btf_type *fn, struct dt_stepinfo *si,
		      struct dt_stepcfg *sc)
{
	const struct btf_type *proto = btf__type_by_id(b, fn->type);
	const struct btf_param *p = btf_params(proto);
	int n = btf_vlen(proto);
	const struct btf_type *rt = btf__type_by_id(b, proto->type);

	while (rt && (btf_is_mod(rt) || btf_is_typedef(rt)))
		rt = btf__type_by_id(b, rt->type);
	si->ret_s32 = rt && ((btf_is_int(rt) && rt->size == 4 &&
			      (btf_int_encoding(rt) & BTF_INT_SIGNED)) ||
			     (btf_is_enum(rt) && rt->size == 4));

	for (int i = 0; i < n && i < DT_NARGS; i++) {
		const struct btf_type *t = btf__type_by_id(b, p[i].type);
		const char *sname;

		snprintf(si->argname[i], sizeof(si->argname[i]), "%s",
			 btf__name_by_offset(b, p[i].name_off));
		while (t && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(b, t->type);
		if (!t || !btf_is_ptr(t))
			continue;
		t = btf__type_by_id(b, t->type);
		while (t && (btf_is_mod(t) || btf_is_typedef(t)))
			t = btf__type_by_id(b, t->type);
		if (!t || !btf_is_struct(t))
			continue;
		sname = btf__name_by_offset(b, t->name_off);
		{
			static const char *const structs[] = { "kiocb", "iov_iter", "file",
							       "address_space", "bio", "inode" };
			__s8 *roles[] = { &sc->iocb_arg, &sc->iter_arg, &sc->file_arg,
					  &sc->mapping_arg, &sc->bio_arg, &sc->inode_arg };

			/* first parameter of each type wins */
			for (size_t k = 0; k < sizeof(structs) / sizeof(structs[0]); k++)
				if (!strcmp(sname, structs[k]) && *roles[k] < 0)
					*roles[k] = (__s8)i;
		}
	}
}

/* The same check bcc's fentry_can_attach() makes: load a two-instruction
 * tracing program against the target's BTF id, and here also attach it,
 * because some kernels accept the load and refuse the trampoline. */
/* "return 0" as a program of @type, for probing what the kernel accepts. */
static int load_probe_prog(enum bpf_prog_type type, enum bpf_attach_type attach, int btf_id)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .attach_btf_id = btf_id);

	return bpf_prog_load(type, "dt_probe", "GPL", insns, 2, &opts);
}

static int try_fentry(struct resolver *r, const char *name, char *err, size_t errlen)
{
	int id = func_id(r, r->vmlinux, name);
	int fd, lfd;

	if (id < 0) {
		snprintf(err, errlen, "%s not in BTF", name);
		return -ENOENT;
	}
	fd = load_probe_prog(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, id);
	if (fd < 0) {
		snprintf(err, errlen, "test load refused: %s", strerror(errno));
		return -errno;
	}
	lfd = bpf_link_create(fd, 0, BPF_TRACE_FENTRY, NULL);
	if (lfd < 0) {
		int e = errno;

		snprintf(err, errlen, "test attach refused: %s", strerror(e));
		close(fd);
		return -e;
	}
	close(lfd);
	close(fd);
	return 0;
}

/*
 * Whether fentry attaches here, tried once per boot: a refusal is tried
 * again on the next start, since it may be passing (the kernel short of
 * memory for a trampoline), and only the verdict that fentry works is kept.
 */
static void fentry_probe(struct resolver *r)
{
	r->fentry_cached = symcache_recall(&r->sc, "fentry-ok");
	r->fentry_ok = r->fentry_cached ||
		try_fentry(r, "vfs_read", r->fentry_err, sizeof(r->fentry_err)) == 0;
	if (r->fentry_ok && !r->fentry_cached)
		symcache_note(&r->sc, "fentry-ok");
}

/*
 * kprobe.multi needs CONFIG_FPROBE, which Debian's 6.1 lacks.  A link for
 * no function at all tells without attaching anything: the kernel answers
 * EINVAL where the link type exists, EOPNOTSUPP where it does not.
 */
bool resolver_kprobe_multi_ok(struct resolver *r, char *why, size_t whylen)
{
	int fd, lfd, e;

	if (!r->kprobe_ok) {
		snprintf(why, whylen, "no kprobes in this kernel");
		return false;
	}
	fd = load_probe_prog(BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0);
	if (fd < 0) {
		snprintf(why, whylen, "test load refused: %s", strerror(errno));
		return false;
	}
	lfd = bpf_link_create(fd, 0, BPF_TRACE_KPROBE_MULTI, NULL);
	e = errno;
	if (lfd >= 0)
		close(lfd);
	close(fd);
	if (lfd < 0 && e == EINVAL)
		return true;
	snprintf(why, whylen, "%s", e == EOPNOTSUPP ? "kernel built without CONFIG_FPROBE" :
		 strerror(e));
	return false;
}

/*
 * Whether a kprobe.multi link takes a module's function: older kernels
 * look the names up in vmlinux alone.  Tried on @sym itself, and answered
 * once, the first time a module function asks; a yes is kept for the rest
 * of the boot (symcache.c), since the test link's attach and detach cost
 * as much as the real ones.
 */
bool resolver_kprobe_multi_module_ok(struct resolver *r, const char *sym)
{
	LIBBPF_OPTS(bpf_link_create_opts, o);
	unsigned long addr;
	int fd, lfd;

	if (r->kmulti_mod)
		return r->kmulti_mod > 0;
	r->kmulti_mod = -1;
	if (symcache_recall(&r->sc, "kprobe-multi-module-ok")) {
		r->kmulti_mod = 1;
		return true;
	}
	fd = load_probe_prog(BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0);
	if (fd < 0)
		return false;
	/* by address, as attach_multi() does, where kallsyms has one */
	addr = resolver_func_addr(r, sym);
	if (addr)
		o.kprobe_multi.addrs = &addr;
	else
		o.kprobe_multi.syms = &sym;
	o.kprobe_multi.cnt = 1;
	lfd = bpf_link_create(fd, 0, BPF_TRACE_KPROBE_MULTI, &o);
	if (lfd >= 0) {
		r->kmulti_mod = 1;
		symcache_note(&r->sc, "kprobe-multi-module-ok");
		close(lfd);
	}
	close(fd);
	return r->kmulti_mod > 0;
}

struct resolver *resolver_new(const char *btf_path, char *err, size_t errlen)
{
	struct resolver *r = calloc(1, sizeof(*r));
	char path[256];

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* Tracepoint attach and the traceability check both need tracefs;
	 * minimal systems (and some containers) boot without it mounted. */
	if (access("/sys/kernel/tracing/events", F_OK) &&
	    access("/sys/kernel/debug/tracing/events", F_OK))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	r->tracefs = access("/sys/kernel/tracing/events", F_OK) == 0 ?
		"/sys/kernel/tracing" : "/sys/kernel/debug/tracing";
	symcache_open(&r->sc);
	r->syms = ksyms_parse(symcache_read(&r->sc, "/proc/kallsyms", "kallsyms",
						   ksyms_trim_kallsyms, &r->syms_cached),
			      true);
	if (!r->syms || !ksyms_count(r->syms)) {
		snprintf(err, errlen, "cannot read /proc/kallsyms: %s",
			 r->syms ? "no text symbols" : strerror(errno));
		resolver_free(r);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/available_filter_functions", r->tracefs);
	/* NULL: ftrace unavailable */
	r->aff = ksyms_parse(symcache_read(&r->sc, path, "available_filter_functions",
					   NULL, &r->aff_cached), false);
	r->vmlinux = btf_path ? btf__parse(btf_path, NULL) : btf__load_vmlinux_btf();
	if (libbpf_get_error(r->vmlinux)) {
		r->vmlinux = NULL;
		snprintf(err, errlen, "no kernel BTF (%s): diotrace needs CONFIG_DEBUG_INFO_BTF "
			 "or --btf FILE", btf_path ? btf_path : "/sys/kernel/btf/vmlinux");
		resolver_free(r);
		return NULL;
	}
	fentry_probe(r);
	r->kprobe_ok = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
	return r;
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	symcache_close(&r->sc);
	ksyms_free(r->syms);
	ksyms_free(r->aff);
	for (int i = 0; i < r->nmods; i++) {
		btf_funcs_free(r->mods[i].funcs);
		btf__free(r->mods[i].btf);
	}
	btf_funcs_free(r->vmlinux_funcs);
	btf__free(r->vmlinux);
	free(r);
}

void resolver_kprobes_first(struct resolver *r)
{
	r->kprobes_first = true;
}

int resolver_symcache_hits(const struct resolver *r)
{
	return r->syms_cached + r->aff_cached;
}

bool resolver_fentry_cached(const struct resolver *r)
{
	return r->fentry_cached;
}

uint64_t resolver_func_addr(struct resolver *r, const char *sym)
{
	const struct ksym *k = ksyms_find_one(r->syms, sym);

	return k ? k->addr : 0;
}

bool resolver_in_vmlinux(struct resolver *r, const char *sym)
{
	const struct ksym *k = ksym_find(r, sym);

	return k && !k->mod;
}

bool resolver_tp_exists(struct resolver *r, const char *catname)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/events/%s/id", r->tracefs, catname);
	return access(path, R_OK) == 0;
}

static void whyf(struct dt_stepinfo *si, const char *fmt, const char *a, const char *b)
{
	size_t o = strlen(si->why);

	if (o >= sizeof(si->why) - 1)
		return;
	snprintf(si->why + o, sizeof(si->why) - o, "%s", o ? "; " : "");
	o = strlen(si->why);
	snprintf(si->why + o, sizeof(si->why) - o, fmt, a, b);
}

/* Modules whose functions only exist once the module is loaded. */
static const char *module_hint(const char *sym)
{
	if (!strncmp(sym, "fat_", 4))
		return "fat";
	if (!strncmp(sym, "ext4_", 5))
		return "ext4";
	if (!strncmp(sym, "xfs_", 4))
		return "xfs";
	if (!strncmp(sym, "dtape_", 6))
		return "dtape";
	return NULL;
}

static bool module_loaded(const char *mod)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", mod);
	return access(path, F_OK) == 0;
}

static bool many_args_ok(struct resolver *r, const char *sym)
{
	char e[128];

	/* Trampolines for more than six arguments arrived after 6.1 on x86;
	 * measure on each candidate itself instead of guessing by version
	 * (one answer cached for all would also hide a per-function refusal). */
	return try_fentry(r, sym, e, sizeof(e)) == 0;
}

static void find_clones(struct resolver *r, const char *sym, struct dt_stepinfo *si)
{
	const struct ksym *cl[2 * DT_MAX_CLONES + 8];
	size_t n = ksyms_clones(r->syms, sym, cl, sizeof(cl) / sizeof(cl[0]));

	if (n > sizeof(cl) / sizeof(cl[0]))
		n = sizeof(cl) / sizeof(cl[0]);
	for (size_t i = 0; i < n; i++) {
		const char *name = cl[i]->name;
		bool dup = false;

		/* .cold parts are not function entries; .isra/.constprop
		 * changed the arguments, but entry still means "it ran". */
		if (strstr(name + strlen(sym), ".cold"))
			continue;
		for (int j = 0; j < si->nclones; j++)
			dup |= !strcmp(si->clones[j], name);
		if (dup)
			continue;
		if (!r->kprobe_ok || !in_aff(r, name)) {
			whyf(si, "clone %s not traceable%s", name,
			     r->kprobe_ok ? " (notrace)" : " (no kprobes)");
			continue;
		}
		if (si->nclones < DT_MAX_CLONES)
			snprintf(si->clones[si->nclones++], DT_SYM_LEN, "%s", name);
	}
}

static void resolve_step(struct resolver *r, const char *cands, const char *tp,
			 struct dt_stepinfo *si, struct dt_stepcfg *sc)
{
	sc->iocb_arg = sc->iter_arg = sc->file_arg = -1;
	sc->mapping_arg = sc->bio_arg = sc->inode_arg = -1;
	sc->flags = si->flags;
	si->method = M_NONE;

	for (const char *c = cands; *c; c += strlen(c) + 1) {
		const struct ksym *k = ksym_find(r, c);
		bool traceable = in_aff(r, c);
		const char *mod = k ? k->mod : module_hint(c);
		struct btf *b = NULL;
		const struct btf_type *fn;

		if (!k) {
			if (mod && !module_loaded(mod))
				whyf(si, "%s: module %s not loaded", c, mod);
			else if (si->flags & SF_DOC)
				whyf(si, "%s: inlined into its callers (not in kallsyms)", c, "");
			else
				whyf(si, "%s: not in kallsyms (inlined, or absent in this kernel)", c, "");
			continue;
		}
		if (!traceable && !r->aff) {
			whyf(si, "%s: no available_filter_functions (ftrace unavailable)", c, "");
			continue;
		}
		if (!traceable) {
			whyf(si, "%s: in kallsyms but not in available_filter_functions (notrace)", c, "");
			continue;
		}
		fn = btf_func(r, c, k->mod, &b);
		if (fn)
			arg_roles(b, fn, si, sc);
		snprintf(si->sym, sizeof(si->sym), "%s", c);
		if (!r->fentry_ok) {
			whyf(si, "fentry: %s", r->fentry_err, "");
		} else if (!fn) {
			whyf(si, "fentry %s: no BTF FUNC%s", c, k->mod ? " in module BTF" : "");
		} else if (btf_nargs(b, fn) > 6 && !(r->kprobes_first && r->kprobe_ok && !k->mod) &&
			   !many_args_ok(r, c)) {
			whyf(si, "fentry %s: more than 6 arguments, trampoline refused", c, "");
		} else {
			si->method = M_FENTRY;
			break;
		}
		if (r->kprobe_ok) {
			si->method = M_KPROBE;
			break;
		}
		whyf(si, "kprobe %s: kernel has no kprobe PMU", c, "");
		si->sym[0] = 0;
	}
	if (si->method == M_NONE && tp && *tp) {
		if (resolver_tp_exists(r, tp)) {
			si->method = M_TP;
			snprintf(si->sym, sizeof(si->sym), "%s", tp);
		} else {
			whyf(si, "tracepoint %s absent", tp, "");
		}
	}
	if (si->method == M_FENTRY || si->method == M_KPROBE)
		find_clones(r, si->sym, si);
	sc->method = si->method;
}

static void collect_flags(struct resolver *r, struct dt_ctx *c)
{
	int n = btf__type_cnt(r->vmlinux);

	c->nfoll = c->nbioflags = 0;
	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(r->vmlinux, id);
		const struct btf_enum *e;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (int i = 0; i < btf_vlen(t); i++) {
			const char *nm = btf__name_by_offset(r->vmlinux, e[i].name_off);

			if (!strncmp(nm, "FOLL_", 5) && c->nfoll < DT_MAX_FLAGS &&
			    strcmp(nm, "FOLL_PIN_OR_GET") != 0 && e[i].val) {
				snprintf(c->foll[c->nfoll].name, 28, "%s", nm + 5);
				c->foll[c->nfoll++].val = (uint32_t)e[i].val;
			}
			/* bi_flags holds bit numbers, hence 1 << val */
			if ((!strcmp(nm, "BIO_PAGE_PINNED") || !strcmp(nm, "BIO_NO_PAGE_REF") ||
			     !strcmp(nm, "BIO_CLONED") || !strcmp(nm, "BIO_BOUNCED") ||
			     !strcmp(nm, "BIO_PAGE_REFFED")) && c->nbioflags < DT_MAX_FLAGS) {
				snprintf(c->bioflags[c->nbioflags].name, 28, "%s", nm + 4);
				c->bioflags[c->nbioflags++].val = 1ull << e[i].val;
			}
		}
	}
	c->foll_from_btf = c->nfoll > 0;
	if (!c->foll_from_btf) {
		/* No FOLL_* enum: the kernel still uses the #define encoding
		 * (include/linux/mm.h before the 6.4 move to mm_types.h).  It
		 * is marked "pre-enum" wherever it is printed. */
		static const struct dt_flagname legacy[] = {
			{ "WRITE", 0x01 }, { "TOUCH", 0x02 }, { "GET", 0x04 },
			{ "DUMP", 0x08 }, { "FORCE", 0x10 }, { "NOWAIT", 0x20 },
			{ "NOFAULT", 0x80 }, { "HWPOISON", 0x100 }, { "MIGRATION", 0x400 },
			{ "TRIED", 0x800 }, { "REMOTE", 0x2000 }, { "ANON", 0x8000 },
			{ "LONGTERM", 0x10000 }, { "SPLIT_PMD", 0x20000 }, { "PIN", 0x40000 },
			{ "FAST_ONLY", 0x80000 },
		};
		memcpy(c->foll, legacy, sizeof(legacy));
		c->nfoll = sizeof(legacy) / sizeof(legacy[0]);
	}
}

void resolver_resolve(struct resolver *r, struct dt_ctx *c, struct dt_stepcfg *cfg)
{
	static const char *cands[DT_STEP__N] = {
#define STEP(id, cat, fl, cn, tp) [DT_##id] = (cn),
#include "steps.def"
#undef STEP
	};
	static const char *tps[DT_STEP__N] = {
#define STEP(id, cat, fl, cn, tp) [DT_##id] = (tp),
#include "steps.def"
#undef STEP
	};

	dt_ctx_init_static(c);
	c->has_fentry = r->fentry_ok;
	c->has_kprobe = r->kprobe_ok;
	c->page_size = sysconf(_SC_PAGESIZE);
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		struct dt_stepinfo *si = &c->steps[i];

		si->why[0] = 0;
		si->nclones = 0;
		resolve_step(r, cands[i], tps[i], si, &cfg[i]);
		if (si->flags & SF_DOC) {
			/* Documented steps are never probed: if one exists
			 * out of line it is still reached through its callers. */
			si->method = M_NONE;
			cfg[i].method = M_NONE;
			si->nclones = 0;
		}
	}
	collect_flags(r, c);
	if (!r->fentry_ok && !r->kprobe_ok)
		snprintf(c->degraded, sizeof(c->degraded),
			 "fentry refused (%s) and no kprobes: only tracepoints attach, so the "
			 "tree shows syscalls, page-cache and block events but no function "
			 "calls, arguments or return values", r->fentry_err);
	else if (!r->fentry_ok)
		snprintf(c->degraded, sizeof(c->degraded),
			 "fentry refused (%s): using kprobes (slower, same data)", r->fentry_err);
	else
		c->degraded[0] = 0;
}

void dt_print_resolution(FILE *f, const struct dt_ctx *c)
{
	fprintf(f, "diotrace resolution on %s: fentry %s, kprobes %s\n", c->release,
		c->has_fentry ? "yes" : "no", c->has_kprobe ? "yes" : "no");
	if (c->degraded[0])
		fprintf(f, "NOTE: %s\n", c->degraded);
	fprintf(f, "%-34s %-11s %-10s %s\n", "STEP", "CATEGORY", "ATTACH", "SYMBOL / WHY");
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		const struct dt_stepinfo *si = &c->steps[i];

		fprintf(f, "%-34s %-11s %-10s %s", si->label, dt_cat_name(si->cat),
			si->flags & SF_DOC ? "inlined" : dt_method_name(si->method),
			si->method ? si->sym : "");
		for (int j = 0; j < si->nclones; j++)
			fprintf(f, " + kprobe %s", si->clones[j]);
		if (si->why[0])
			fprintf(f, "%s(%s)", si->method ? " " : "", si->why);
		fputc('\n', f);
	}
	fprintf(f, "FOLL_* decoding: %s\n", c->foll_from_btf ? "from BTF enums" :
		"no FOLL_* enum in BTF; raw value shown with the pre-enum #define decoding");
}
