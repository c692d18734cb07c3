// SPDX-License-Identifier: GPL-2.0
/*
 * btf_funcs gives the ids btf__find_by_name_kind(..., BTF_KIND_FUNC)
 * gives, on BTF built here with libbpf: the same name in other kinds, a
 * name twice, split BTF over a base, and names that are absent.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include "btf_funcs.h"

/* vmlinux-like base: an int, a struct and a FUNC both called "dup", a
 * FUNC called twice "twice", and @n filler FUNCs f0, f1, ... */
static struct btf *base_btf(int n)
{
	struct btf *b = btf__new_empty();
	int i32, proto;
	char name[32];

	assert_non_null(b);
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	proto = btf__add_func_proto(b, i32);
	assert_true(i32 > 0 && proto > 0);
	assert_true(btf__add_struct(b, "dup", 4) > 0);
	assert_true(btf__add_func(b, "dup", BTF_FUNC_GLOBAL, proto) > 0);
	assert_true(btf__add_func(b, "twice", BTF_FUNC_GLOBAL, proto) > 0);
	assert_true(btf__add_func(b, "twice", BTF_FUNC_STATIC, proto) > 0);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_true(btf__add_func(b, name, BTF_FUNC_GLOBAL, proto) > 0);
	}
	return b;
}

/* a module over @base: its own "mod_fn", and "twice" and "f1" again */
static struct btf *module_btf(struct btf *base)
{
	struct btf *m = btf__new_empty_split(base);
	int proto;

	assert_non_null(m);
	proto = btf__add_func_proto(m, 1);
	assert_true(proto > 0);
	assert_true(btf__add_func(m, "mod_fn", BTF_FUNC_GLOBAL, proto) > 0);
	assert_true(btf__add_func(m, "twice", BTF_FUNC_GLOBAL, proto) > 0);
	assert_true(btf__add_func(m, "f1", BTF_FUNC_GLOBAL, proto) > 0);
	return m;
}

static void same_as_libbpf(const struct btf *b, const struct btf_funcs *f, const char *name)
{
	int want = btf__find_by_name_kind(b, name, BTF_KIND_FUNC);

	if (want < 0)
		want = -ENOENT;
	if (btf_funcs_find(f, name) != want)
		fail_msg("%s: btf_funcs says %d, libbpf %d", name, btf_funcs_find(f, name), want);
}

static void test_base_like_libbpf(void **state)
{
	struct btf *b = base_btf(1000);
	struct btf_funcs *f = btf_funcs_new(b, NULL);
	const char *names[] = { "dup", "twice", "f0", "f1", "f999", "int", "f1000", "", "nope" };
	char name[32];

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		same_as_libbpf(b, f, names[i]);
	for (int i = 0; i < 1000; i += 7) {
		snprintf(name, sizeof(name), "f%d", i);
		same_as_libbpf(b, f, name);
	}
	/* the FUNC, not the struct of the same name; the first "twice" */
	assert_true(btf_is_func(btf__type_by_id(b, btf_funcs_find(f, "dup"))));
	assert_int_equal(btf_vlen(btf__type_by_id(b, btf_funcs_find(f, "twice"))) /* FUNC linkage */,
			 BTF_FUNC_GLOBAL);
	assert_int_equal(btf_funcs_find(f, "int"), -ENOENT);
	btf_funcs_free(f);
	btf__free(b);
}

static void test_split_like_libbpf(void **state)
{
	struct btf *b = base_btf(50), *m = module_btf(b);
	struct btf_funcs *fb = btf_funcs_new(b, NULL), *fm = btf_funcs_new(m, fb);
	const char *names[] = { "mod_fn", "twice", "f1", "f49", "dup", "int", "nope" };

	(void)state;
	assert_non_null(fb);
	assert_non_null(fm);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		same_as_libbpf(m, fm, names[i]);
	/* the module's own function, after every base type */
	assert_true(btf_funcs_find(fm, "mod_fn") >= (int)btf__type_cnt(b));
	/* a name in both: the base's, as libbpf's walk from id 1 finds it */
	assert_int_equal(btf_funcs_find(fm, "f1"), btf_funcs_find(fb, "f1"));
	btf_funcs_free(fm);
	btf_funcs_free(fb);
	btf__free(m);
	btf__free(b);
}

static void test_empty(void **state)
{
	struct btf *b = btf__new_empty();
	struct btf_funcs *f = btf_funcs_new(b, NULL);

	(void)state;
	assert_non_null(f);
	assert_int_equal(btf_funcs_find(f, "vfs_write"), -ENOENT);
	btf_funcs_free(f);
	btf_funcs_free(NULL);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_like_libbpf),
		cmocka_unit_test(test_split_like_libbpf),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
