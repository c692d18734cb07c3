// SPDX-License-Identifier: GPL-2.0
/*
 * BTF FUNC lookup by name, hashed once per BTF.
 *
 * libbpf's btf__find_by_name_kind() walks every type: about 130,000 in a
 * Debian vmlinux, and a session asks for some sixty functions.  Under TCG
 * those walks took about 9 % of a diotrace session's CPU on 6.1; one pass
 * into a hash table costs about as much as one walk.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "btf_funcs.h"

struct btf_funcs {
	const struct btf *btf;
	const struct btf_funcs *base;
	int *ids;	/* open addressing; 0 is an empty slot (id 0 is void) */
	size_t mask;
};

/* FNV-1a: short identifiers, no adversary */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static const char *func_name(const struct btf *btf, int id)
{
	return btf__name_by_offset(btf, btf__type_by_id(btf, id)->name_off);
}

static void insert(struct btf_funcs *f, int id)
{
	const char *name = func_name(f->btf, id);
	size_t i = name_hash(name) & f->mask;

	while (f->ids[i]) {
		/* the first id wins, as in btf__find_by_name_kind() */
		if (!strcmp(func_name(f->btf, f->ids[i]), name))
			return;
		i = (i + 1) & f->mask;
	}
	f->ids[i] = id;
}

struct btf_funcs *btf_funcs_new(const struct btf *btf, const struct btf_funcs *base)
{
	const struct btf *b = btf__base_btf(btf);
	int first = b ? (int)btf__type_cnt(b) : 1, end = (int)btf__type_cnt(btf), n = 0;
	struct btf_funcs *f = calloc(1, sizeof(*f));
	size_t size = 16;

	if (!f)
		return NULL;
	for (int id = first; id < end; id++)
		n += btf_is_func(btf__type_by_id(btf, id));
	while (size < 2 * (size_t)n)	/* at most half full */
		size *= 2;
	f->btf = btf;
	f->base = base;
	f->mask = size - 1;
	f->ids = calloc(size, sizeof(*f->ids));
	if (!f->ids) {
		free(f);
		return NULL;
	}
	for (int id = first; id < end; id++)
		if (btf_is_func(btf__type_by_id(btf, id)))
			insert(f, id);
	return f;
}

void btf_funcs_free(struct btf_funcs *f)
{
	if (!f)
		return;
	free(f->ids);
	free(f);
}

int btf_funcs_find(const struct btf_funcs *f, const char *name)
{
	int id = f->base ? btf_funcs_find(f->base, name) : -ENOENT;

	if (id > 0)
		return id;
	for (size_t i = name_hash(name) & f->mask; f->ids[i]; i = (i + 1) & f->mask)
		if (!strcmp(func_name(f->btf, f->ids[i]), name))
			return f->ids[i];
	return -ENOENT;
}
