/* SPDX-License-Identifier: GPL-2.0 */
/* What user space knows about the kernel it traced: step resolution,
 * symbol names and flag encodings.  It travels inside a recording so that
 * `diotrace report` renders exactly what `record` saw. */
#ifndef DTCTX_H
#define DTCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "diotrace.h"
#include "machine.h"

#define DT_SYM_LEN 64
#define DT_WHY_LEN 320
#define DT_MAX_CLONES 4
#define DT_MAX_FLAGS 48

struct dt_stepinfo {
	char label[DT_SYM_LEN];		/* first candidate: the name students know */
	char sym[DT_SYM_LEN];		/* symbol actually attached */
	char why[DT_WHY_LEN];		/* why this choice, why not the others */
	char argname[DT_NARGS][24];	/* parameter names from BTF */
	char clones[DT_MAX_CLONES][DT_SYM_LEN];
	uint8_t nclones;
	uint8_t cat;
	uint8_t flags;
	uint8_t method;			/* enum dt_method, M_NONE: not traced */
	uint8_t unused;			/* never set; recordings keep their layout */
	/* returns a 32-bit int: fexit and kretprobe hand over the whole
	 * register, so -EIOCBQUEUED arrives as 4294966767 unless the tree
	 * builder sign-extends it (this byte sat in padding: recordings keep
	 * their layout) */
	uint8_t ret_s32;
	uint64_t reserved;		/* zero; recordings keep their layout */
};

struct dt_flagname {
	char name[28];
	uint64_t val;
};

struct dt_sym {
	uint64_t addr;
	char name[DT_SYM_LEN];
};

struct dt_ctx {
	char release[72];
	uint32_t page_size;
	struct dt_stepinfo steps[DT_STEP__N];
	/* FOLL_* as the kernel's BTF defines them; when the kernel has no
	 * enum (6.1 #defines) foll_from_btf is false and the table holds the
	 * pre-enum encoding, flagged as such in every output. */
	struct dt_flagname foll[DT_MAX_FLAGS];
	int nfoll;
	bool foll_from_btf;
	struct dt_flagname bioflags[DT_MAX_FLAGS];
	int nbioflags;
	struct dt_sym *syms;
	size_t nsyms, capsyms;
	/* live symbolizer, NULL when rendering a recording */
	const char *(*addr2name)(uint64_t addr, void *arg);
	void *addr2name_arg;
	uint64_t lost_total;
	bool has_fentry, has_kprobe;
	char degraded[512];		/* what is lost on this kernel, if anything */
	/* the tracing machine's CPU: enum dt_emul and "tcg", "kvm", "none"...
	 * (machine.h); a recording from before it was noted says unknown */
	uint8_t emulated;
	char accel[DT_ACCEL_LEN];
};

const char *dt_step_label(const struct dt_ctx *c, unsigned step);
const char *dt_sym_name(struct dt_ctx *c, uint64_t addr);
/* dt_sym_name(), and *@added says whether this call learnt the name. */
const char *dt_sym_resolve(struct dt_ctx *c, uint64_t addr, bool *added);
bool dt_sym_add(struct dt_ctx *c, uint64_t addr, const char *name);
/*
 * The step an event shows firing (an entry or a refault), or -1: what
 * "attached steps that never fired" is counted from.
 */
int dt_event_fired_step(const void *data, size_t len);
/* Is @path @prefix itself or a file under it (--path)? */
bool dt_path_under(const char *path, const char *prefix);
const char *dt_cat_name(unsigned cat);
const char *dt_method_name(unsigned m);
const char *dt_iter_name(unsigned t);
const char *dt_sys_name(unsigned s);
const char *dt_tp_name(unsigned tp);
void dt_ctx_init_static(struct dt_ctx *c);
/* Decode flags into "A|B|0x..", using the table; returns buf. */
char *dt_decode_flags(const struct dt_flagname *t, int n, uint64_t v, char *buf, size_t len);

#endif
