// SPDX-License-Identifier: GPL-2.0
/*
 * diotrace's per-boot copies of the kernel's symbol files (bpf/symcache.c):
 * a copy is used only when it was taken in this boot with these modules,
 * only from a directory and file nobody else can write, and never when
 * DIOTRACE_SYMCACHE is off; the same holds for a fact noted for the boot
 * (fentry works).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "ksyms.h"
#include "symcache.h"

static char dir[64], src[128], copy[160];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_symcache.XXXXXX");
	assert_non_null(mkdtemp(dir));	/* 0700, ours */
	snprintf(src, sizeof(src), "%s/kallsyms.src", dir);
	snprintf(copy, sizeof(copy), "%s/kallsyms", dir);
	put(src, "ffffffff81002000 T submit_bio\n");
	setenv("DIOTRACE_SYMCACHE", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[96];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("DIOTRACE_SYMCACHE");
	return 0;
}

/* The text, and whether it came from the copy: one diotrace start. */
static char *read_src(bool *cached)
{
	struct symcache sc;
	char *t;

	symcache_open(&sc);
	t = symcache_read(&sc, src, "kallsyms", NULL, cached);
	symcache_close(&sc);
	assert_non_null(t);
	return t;
}

static void test_second_read_uses_the_copy(void **state)
{
	bool cached;
	char *t;

	(void)state;
	t = read_src(&cached);
	assert_false(cached);
	assert_string_equal(t, "ffffffff81002000 T submit_bio\n");
	free(t);
	assert_int_equal(access(copy, F_OK), 0);
	/* the source changes; the copy, taken in this boot, still stands */
	put(src, "ffffffff81002000 T something_else\n");
	t = read_src(&cached);
	assert_true(cached);
	assert_string_equal(t, "ffffffff81002000 T submit_bio\n");
	free(t);
}

/* The copy is what the trim left, and so is every read, fresh or not. */
static void test_copy_is_trimmed(void **state)
{
	struct symcache sc;
	bool cached;
	char *t;

	(void)state;
	put(src, "ffffffff81001100 d some_data\nffffffff81002000 T submit_bio\n");
	for (int round = 0; round < 2; round++) {
		symcache_open(&sc);
		t = symcache_read(&sc, src, "kallsyms", ksyms_trim_kallsyms, &cached);
		symcache_close(&sc);
		assert_int_equal(cached, round == 1);
		assert_string_equal(t, "ffffffff81002000 T submit_bio\n");
		free(t);
	}
	t = ksyms_read_file(copy);
	assert_non_null(t);
	assert_non_null(strstr(t, "\nffffffff81002000 T submit_bio\n"));
	assert_null(strstr(t, "some_data"));
	free(t);
}

static void test_another_boot_reads_afresh(void **state)
{
	bool cached;
	char *t;

	(void)state;
	free(read_src(&cached));
	/* a copy from another boot: its key line names another boot id */
	put(copy, "diotrace-symcache 1 00000000-0000-0000-0000-000000000000 0000000000000000\n"
		  "ffffffff81002000 T stale\n");
	t = read_src(&cached);
	assert_false(cached);
	assert_string_equal(t, "ffffffff81002000 T submit_bio\n");
	free(t);
	/* ... and replaced it */
	t = read_src(&cached);
	assert_true(cached);
	assert_string_equal(t, "ffffffff81002000 T submit_bio\n");
	free(t);
}

static void test_copy_others_can_write_is_ignored(void **state)
{
	bool cached;

	(void)state;
	free(read_src(&cached));
	assert_int_equal(chmod(copy, 0666), 0);
	free(read_src(&cached));
	assert_false(cached);
}

static void test_open_directory_is_not_used(void **state)
{
	bool cached;

	(void)state;
	assert_int_equal(chmod(dir, 0755), 0);
	free(read_src(&cached));
	assert_false(cached);
	assert_int_equal(access(copy, F_OK), -1);
	free(read_src(&cached));
	assert_false(cached);
	assert_int_equal(chmod(dir, 0700), 0);
}

/* One start's look for a noted fact, noting it when asked and not yet known. */
static bool recall(const char *name, bool note)
{
	struct symcache sc;
	bool known;

	symcache_open(&sc);
	known = symcache_recall(&sc, name);
	if (!known && note)
		symcache_note(&sc, name);
	symcache_close(&sc);
	return known;
}

static void test_fact_noted_for_the_boot(void **state)
{
	char path[192];

	(void)state;
	assert_false(recall("fentry-ok", false));
	assert_false(recall("fentry-ok", false));	/* not noted: still unknown */
	assert_false(recall("fentry-ok", true));
	assert_true(recall("fentry-ok", false));
	assert_false(recall("other-fact", false));
	/* noted in another boot: unknown, and noted afresh */
	snprintf(path, sizeof(path), "%s/fentry-ok", dir);
	put(path, "diotrace-symcache 1 00000000-0000-0000-0000-000000000000 0000000000000000\n");
	assert_false(recall("fentry-ok", true));
	assert_true(recall("fentry-ok", false));
	/* a note others could have written is no note */
	assert_int_equal(chmod(path, 0666), 0);
	assert_false(recall("fentry-ok", false));
	assert_int_equal(chmod(path, 0600), 0);
	setenv("DIOTRACE_SYMCACHE", "off", 1);
	assert_false(recall("fentry-ok", true));
	assert_false(recall("fentry-ok", false));
}

static void test_off(void **state)
{
	bool cached;

	(void)state;
	setenv("DIOTRACE_SYMCACHE", "off", 1);
	free(read_src(&cached));
	free(read_src(&cached));
	assert_false(cached);
	assert_int_equal(access(copy, F_OK), -1);
}

/* One start reads both tables with one key and one open directory. */
static void test_two_tables_in_one_start(void **state)
{
	struct symcache sc;
	char src2[160];
	bool cached;

	(void)state;
	snprintf(src2, sizeof(src2), "%s/aff.src", dir);
	put(src2, "submit_bio\n");
	for (int round = 0; round < 2; round++) {
		char *t;

		symcache_open(&sc);
		assert_true(sc.dirfd >= 0);
		t = symcache_read(&sc, src, "kallsyms", NULL, &cached);
		assert_int_equal(cached, round == 1);
		assert_string_equal(t, "ffffffff81002000 T submit_bio\n");
		free(t);
		t = symcache_read(&sc, src2, "available_filter_functions", NULL, &cached);
		assert_int_equal(cached, round == 1);
		assert_string_equal(t, "submit_bio\n");
		free(t);
		symcache_close(&sc);
		assert_int_equal(sc.dirfd, -1);
	}
}

static void test_missing_file(void **state)
{
	struct symcache sc;
	bool cached = true;

	(void)state;
	symcache_open(&sc);
	assert_null(symcache_read(&sc, "/nonexistent/kallsyms", "kallsyms", NULL, &cached));
	assert_int_equal(errno, ENOENT);
	assert_false(cached);
	symcache_close(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_second_read_uses_the_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_is_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_another_boot_reads_afresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_others_can_write_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_directory_is_not_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_tables_in_one_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fact_noted_for_the_boot, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
