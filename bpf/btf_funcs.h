/* SPDX-License-Identifier: GPL-2.0 */
/* BTF FUNC lookup by name, hashed once per BTF. */
#ifndef DIOTRACE_BTF_FUNCS_H
#define DIOTRACE_BTF_FUNCS_H

struct btf;
struct btf_funcs;

/*
 * An index of @btf's own FUNC types (for split BTF, those after its base),
 * or NULL when out of memory.  @base is the index of @btf's base BTF, or
 * NULL; it must outlive this one.
 */
struct btf_funcs *btf_funcs_new(const struct btf *btf, const struct btf_funcs *base);
void btf_funcs_free(struct btf_funcs *f);

/*
 * The id of the FUNC called @name, or -ENOENT: the answer
 * btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) gives, the base's
 * types first.
 */
int btf_funcs_find(const struct btf_funcs *f, const char *name);

#endif
