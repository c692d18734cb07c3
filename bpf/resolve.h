/* SPDX-License-Identifier: GPL-2.0 */
/* Symbol resolution: which step is attached where, and why. */
#ifndef RESOLVE_H
#define RESOLVE_H

#include <stdint.h>
#include <stdio.h>
#include "dtctx.h"

struct resolver;

/* Reads kallsyms, available_filter_functions, vmlinux and module BTF, and
 * probes once whether fentry works at all.  NULL with a message in err. */
struct resolver *resolver_new(const char *btf_path, char *err, size_t errlen);
void resolver_free(struct resolver *r);

/* Fills c->steps (method, symbol, clones, reasons) and cfg (argument roles). */
void resolver_resolve(struct resolver *r, struct dt_ctx *c, struct dt_stepcfg *cfg);
/* --attach kprobes: vmlinux functions will be kprobed, so resolution skips
 * the trampoline test it makes for a function of more than six arguments. */
void resolver_kprobes_first(struct resolver *r);

/* Which tracepoints exist ("cat/name"). */
bool resolver_tp_exists(struct resolver *r, const char *catname);

/* Whether this kernel has kprobe.multi links; if not, @why says why. */
bool resolver_kprobe_multi_ok(struct resolver *r, char *why, size_t whylen);

/* Whether a kprobe.multi link takes module function @sym (tried once). */
bool resolver_kprobe_multi_module_ok(struct resolver *r, const char *sym);

/* How many of kallsyms and available_filter_functions came from this
 * boot's copies (symcache.c): 0, 1 or 2. */
int resolver_symcache_hits(const struct resolver *r);
/* fentry's verdict came from this boot's copies, not a test attach */
bool resolver_fentry_cached(const struct resolver *r);

/* The address of function @sym, if kallsyms has exactly one; else 0. */
uint64_t resolver_func_addr(struct resolver *r, const char *sym);

/* @sym is in kallsyms and not in a module. */
bool resolver_in_vmlinux(struct resolver *r, const char *sym);

/* kallsyms address -> "name" or "name [module]". */
const char *resolver_addr2name(uint64_t addr, void *resolver);

void dt_print_resolution(FILE *f, const struct dt_ctx *c);

#endif
