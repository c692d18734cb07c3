// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the TAP summer that produces make test's last line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tap_parse.h"

static struct tap_totals feed(const char *const *lines, size_t n)
{
	struct tap_state st;

	tap_init(&st, NULL);
	for (size_t i = 0; i < n; i++)
		tap_line(&st, lines[i]);
	tap_finish(&st);
	return st.totals;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void counts_ok_and_not_ok(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "ok 1 - x",
				   "not ok 2 - y", "ok 3 - z", "1..3",
				   "# diolab-exit: 1"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 2);
	assert_int_equal(t.failed, 1);
}

static void skip_and_todo_are_not_failures(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "1..2",
				   "ok 1 - x # SKIP no xfs",
				   "not ok 2 - y # TODO later",
				   "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 0);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.skipped, 2);
}

static void a_skipped_file_is_counted(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: host/a.t",
				   "1..0 # SKIP needs root", "# diolab-exit: 0",
				   "# diolab-file: host/b.t", "ok 1", "1..1",
				   "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 1);
	assert_int_equal(t.failed, 0);
	assert_int_equal(t.skipped, 1);
}

static void a_skip_in_the_lab_vm_fails(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: vm/6.1.0-1-amd64/a.t",
				   "ok 1 - x # SKIP no xfs", "ok 2", "1..2",
				   "# diolab-exit: 0",
				   "# diolab-file: vm/6.1.0-1-amd64/b.t",
				   "1..0 # SKIP bpftrace not installed",
				   "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 1);
	assert_int_equal(t.failed, 2);
	assert_int_equal(t.skipped, 0);
}

static void a_nonzero_exit_with_all_ok_fails_once(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "ok 1", "1..1",
				   "# diolab-exit: 139"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 1);
	assert_int_equal(t.failed, 1);
}

static void a_missing_plan_fails(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "ok 1",
				   "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.failed, 1);
}

static void a_plan_mismatch_fails(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "1..3", "ok 1",
				   "ok 2", "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 2);
	assert_int_equal(t.failed, 1);
}

static void a_section_cut_off_by_a_dead_vm_fails(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "1..1", "ok 1",
				   "# diolab-exit: 0", "# diolab-file: b.t",
				   "ok 1"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 2);
	assert_int_equal(t.failed, 1);
}

static void ok_inside_a_word_is_not_a_result(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "# ok 1 in a comment",
				   "okay this is output", "1..0",
				   "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.passed, 0);
	assert_int_equal(t.failed, 0);
}

static void an_empty_stream_passes_nothing(void **state)
{
	(void)state;
	struct tap_totals t = feed(NULL, 0);

	assert_int_equal(t.passed, 0);
	assert_int_equal(t.failed, 0);
}

static void bail_out_fails(void **state)
{
	(void)state;
	static const char *const in[] = {"# diolab-file: a.t", "Bail out! no root",
				   "1..0", "# diolab-exit: 0"};
	struct tap_totals t = feed(in, N(in));
	assert_int_equal(t.failed, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_ok_and_not_ok),
		cmocka_unit_test(skip_and_todo_are_not_failures),
		cmocka_unit_test(a_skipped_file_is_counted),
		cmocka_unit_test(a_skip_in_the_lab_vm_fails),
		cmocka_unit_test(a_nonzero_exit_with_all_ok_fails_once),
		cmocka_unit_test(a_missing_plan_fails),
		cmocka_unit_test(a_plan_mismatch_fails),
		cmocka_unit_test(a_section_cut_off_by_a_dead_vm_fails),
		cmocka_unit_test(ok_inside_a_word_is_not_a_result),
		cmocka_unit_test(an_empty_stream_passes_nothing),
		cmocka_unit_test(bail_out_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
