// SPDX-License-Identifier: GPL-2.0
/*
 * The symbol tables diotrace resolves against, read from files in the
 * formats of /proc/kallsyms and available_filter_functions.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "ksyms.h"

static char path[64];

static void write_file(const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_ksyms.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* a table read from a file holding @text */
static struct ksyms *load(const char *text, bool with_addr)
{
	struct ksyms *k;

	write_file(text);
	k = ksyms_load(path, with_addr);
	unlink(path);
	assert_non_null(k);
	return k;
}

static const char kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 t iomap_dio_bio_iter\n"
	"ffffffff81001100 d some_data\n"
	"ffffffff81002000 T submit_bio\n"
	"ffffffff81003000 t dio_complete.part.0\n"
	"ffffffff81003400 t dio_complete.cold\n"
	"ffffffff81003800 t dio_complete\n"
	"ffffffffc0a02000 t ext4_file_write_iter\t[ext4]\n"
	"ffffffffc0a01000 t ext4_dio_write_iter\t[ext4]\n"
	"ffffffff81004000 T dio_completeness\n"
	"ffffffff81005000 T last_one";	/* no newline at the end */

static void test_kallsyms_text_only(void **state)
{
	struct ksyms *k;
	const struct ksym *s;

	(void)state;
	k = load(kallsyms, true);
	/* the data symbol is not a function */
	assert_int_equal(ksyms_count(k), 10);
	assert_null(ksyms_find(k, "some_data"));
	s = ksyms_find(k, "submit_bio");
	assert_non_null(s);
	assert_true(s->addr == 0xffffffff81002000ull);
	assert_null(s->mod);
	s = ksyms_find(k, "ext4_file_write_iter");
	assert_non_null(s);
	assert_string_equal(s->mod, "ext4");
	assert_non_null(ksyms_find(k, "last_one"));
	assert_null(ksyms_find(k, "submit"));
	assert_null(ksyms_find(k, "submit_bio_wait"));
	ksyms_free(k);
}

/* BPF programs and trampolines come and go on their own: never a step. */
static void test_bpf_symbols_left_out(void **state)
{
	struct ksyms *k;

	(void)state;
	k = load("ffffffff81002000 T submit_bio\n"
		 "ffffffffc0012000 t bpf_prog_6deef7357e7b4530_tp_enter_rw\t[bpf]\n"
		 "ffffffffc0014000 t bpf_trampoline_6442491234\t[bpf]\n"
		 "ffffffffc0016000 t ftrace_trampoline\t[__builtin__ftrace]\n"
		 "ffffffffc0a02000 t ext4_file_write_iter\t[ext4]\n", true);
	assert_int_equal(ksyms_count(k), 2);
	assert_null(ksyms_find(k, "bpf_prog_6deef7357e7b4530_tp_enter_rw"));
	assert_null(ksyms_find(k, "ftrace_trampoline"));
	assert_non_null(ksyms_find(k, "ext4_file_write_iter"));
	ksyms_free(k);
}

static void test_clones_by_name_not_prefix(void **state)
{
	const struct ksym *cl[4];
	struct ksyms *k;

	(void)state;
	k = load(kallsyms, true);
	/* dio_completeness starts with the name but is another function */
	assert_int_equal(ksyms_clones(k, "dio_complete", cl, 4), 2);
	assert_string_equal(cl[0]->name, "dio_complete.cold");
	assert_string_equal(cl[1]->name, "dio_complete.part.0");
	assert_int_equal(ksyms_clones(k, "dio_complete", cl, 1), 2);
	assert_int_equal(ksyms_clones(k, "submit_bio", cl, 4), 0);
	ksyms_free(k);
}

static void test_addr_lookup_across_modules(void **state)
{
	struct ksyms *k;
	const struct ksym *s;

	(void)state;
	k = load(kallsyms, true);
	assert_null(ksyms_at(k, 0xffffffff80000000ull));
	assert_string_equal(ksyms_at(k, 0xffffffff81000000ull)->name, "_stext");
	/* inside iomap_dio_bio_iter: the data symbol is not a candidate */
	assert_string_equal(ksyms_at(k, 0xffffffff81001180ull)->name, "iomap_dio_bio_iter");
	/* the module lists its symbols out of order */
	s = ksyms_at(k, 0xffffffffc0a01010ull);
	assert_string_equal(s->name, "ext4_dio_write_iter");
	s = ksyms_at(k, 0xffffffffc0a02000ull);
	assert_string_equal(s->name, "ext4_file_write_iter");
	ksyms_free(k);
}

static void test_hidden_addresses(void **state)
{
	struct ksyms *k;

	(void)state;
	/* what a user without CAP_SYSLOG reads */
	k = load("0000000000000000 T submit_bio\n0000000000000000 t dio_complete\n", true);
	assert_non_null(ksyms_find(k, "dio_complete"));
	assert_null(ksyms_at(k, 0xffffffff81002000ull));
	/* no address to hand to a kprobe.multi link */
	assert_null(ksyms_find_one(k, "dio_complete"));
	ksyms_free(k);
}

/* Trimmed, kallsyms parses to the same table, from only the lines it keeps. */
static void test_trim_keeps_what_parse_keeps(void **state)
{
	static const char extra[] =
		"ffffffffc0012000 t bpf_prog_6deef7357e7b4530_tp_enter_rw\t[bpf]\n"
		"ffffffffc0016000 t ftrace_trampoline\t[__builtin__ftrace]\n"
		"ffffffff82000000 D init_task\n"
		"ffffffff82001000 b a_bss_symbol\n"
		"ffffffffc0a03000 r ext4_rodata\t[ext4]\n"
		"not a kallsyms line\n";
	static const char data_line[] = "ffffffff81001100 d some_data\n";
	char *whole = malloc(sizeof(extra) + sizeof(kallsyms));
	char *trimmed, *expected, *data;
	struct ksyms *a, *b;

	(void)state;
	assert_non_null(whole);
	memcpy(whole, extra, sizeof(extra) - 1);
	memcpy(whole + sizeof(extra) - 1, kallsyms, sizeof(kallsyms));
	trimmed = strdup(whole);
	assert_non_null(trimmed);
	ksyms_trim_kallsyms(trimmed);
	/* the fixture's ten function lines, in order, and nothing else */
	expected = strdup(kallsyms);
	assert_non_null(expected);
	data = strstr(expected, data_line);
	assert_non_null(data);
	memmove(data, data + strlen(data_line), strlen(data + strlen(data_line)) + 1);
	assert_string_equal(trimmed, expected);
	free(expected);
	a = ksyms_parse(whole, true);
	b = ksyms_parse(trimmed, true);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(ksyms_count(a), ksyms_count(b));
	assert_int_equal(ksyms_count(b), 10);
	assert_true(ksyms_find(b, "ext4_file_write_iter")->addr == 0xffffffffc0a02000ull);
	assert_string_equal(ksyms_find(b, "ext4_file_write_iter")->mod, "ext4");
	assert_null(ksyms_find(b, "ftrace_trampoline"));
	ksyms_free(a);
	ksyms_free(b);
}

/* A name two static functions share has no one address. */
static void test_find_one(void **state)
{
	struct ksyms *k;
	const struct ksym *s;

	(void)state;
	k = load("ffffffff81001000 t cleanup\n"
		 "ffffffff81002000 T submit_bio\n"
		 "ffffffff81003000 t cleanup\n"
		 "ffffffffc0a02000 t ext4_file_write_iter\t[ext4]\n", true);
	s = ksyms_find_one(k, "submit_bio");
	assert_non_null(s);
	assert_true(s->addr == 0xffffffff81002000ull);
	s = ksyms_find_one(k, "ext4_file_write_iter");
	assert_non_null(s);
	assert_true(s->addr == 0xffffffffc0a02000ull);
	assert_non_null(ksyms_find(k, "cleanup"));
	assert_null(ksyms_find_one(k, "cleanup"));
	assert_null(ksyms_find_one(k, "submit"));
	ksyms_free(k);
}

static void test_filter_functions(void **state)
{
	struct ksyms *k;

	(void)state;
	k = load("vfs_write\niomap_dio_rw\next4_file_write_iter [ext4]\n"
		 "dio_complete.part.0\n\n", false);
	assert_int_equal(ksyms_count(k), 4);
	assert_non_null(ksyms_find(k, "iomap_dio_rw"));
	assert_string_equal(ksyms_find(k, "ext4_file_write_iter")->mod, "ext4");
	assert_non_null(ksyms_find(k, "dio_complete.part.0"));
	assert_null(ksyms_find(k, "dio_complete"));
	ksyms_free(k);
}

static void test_missing_file(void **state)
{
	(void)state;
	errno = 0;
	assert_null(ksyms_load("/nonexistent/kallsyms", true));
	assert_int_equal(errno, ENOENT);
	assert_null(ksyms_find(NULL, "x"));
}

static void test_many_symbols(void **state)
{
	char *buf = malloc((size_t)200000 * 48);
	size_t o = 0;
	struct ksyms *k;
	char name[32];

	(void)state;
	assert_non_null(buf);
	for (int i = 0; i < 200000; i++)
		o += (size_t)sprintf(buf + o, "%016llx t fn_%d\n",
				     0xffffffff81000000ull + (unsigned long long)i * 16, i);
	k = load(buf, true);
	free(buf);
	assert_int_equal(ksyms_count(k), 200000);
	for (int i = 0; i < 200000; i += 9973) {
		const struct ksym *s;

		snprintf(name, sizeof(name), "fn_%d", i);
		s = ksyms_find(k, name);
		assert_non_null(s);
		assert_true(s->addr == 0xffffffff81000000ull + (unsigned long long)i * 16);
		assert_ptr_equal(ksyms_at(k, s->addr + 8), s);
	}
	ksyms_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kallsyms_text_only),
		cmocka_unit_test(test_bpf_symbols_left_out),
		cmocka_unit_test(test_clones_by_name_not_prefix),
		cmocka_unit_test(test_addr_lookup_across_modules),
		cmocka_unit_test(test_hidden_addresses),
		cmocka_unit_test(test_find_one),
		cmocka_unit_test(test_trim_keeps_what_parse_keeps),
		cmocka_unit_test(test_filter_functions),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_many_symbols),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
