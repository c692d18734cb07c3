// SPDX-License-Identifier: GPL-2.0
/*
 * `diotrace diff`: pairing, alignment, what it says and its JSON, on the
 * recordings made in the lab VM (tests/unit/data) and on broken input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include "dalign.h"
#include "dexplain.h"
#include "diff_cmd.h"
#include "dload.h"
#include "jparse.h"
#include "record.h"
#include "render.h"
#include "render_diff.h"
#include "seed.h"

#ifndef DT_DATA
#define DT_DATA "tests/unit/data"
#endif

static struct dd_side sa, sb;

static void load(struct dd_side *s, const char *name, const char *prefix)
{
	char err[256] = "", path[512];

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s", DT_DATA, name);
	if (dd_load(path, prefix, s, err, sizeof(err)) != DD_LOAD_OK)
		fail_msg("%s: %s", path, err);
}

static int teardown(void **state)
{
	(void)state;
	dd_side_free(&sa);
	dd_side_free(&sb);
	return 0;
}

typedef void (*render_fn)(FILE *, const struct dd_side *, const struct dd_side *,
			  const struct dd_result *);

static char *render(render_fn fn, const struct dd_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, &sa, &sb, r);
	fclose(f);
	return buf;
}

/* The first node under @m, depth first, whose A or B step is @step. */
static const struct dd_mnode *find(const struct dd_mnode *m, const char *step)
{
	for (const struct dd_mnode *c = m->first; c; c = c->next) {
		const struct dd_mnode *hit;

		if ((c->a && !strcmp(c->a->step, step)) || (c->b && !strcmp(c->b->step, step)))
			return c;
		if ((hit = find(c, step)))
			return hit;
	}
	return NULL;
}

/* 6.1 -> 6.12 on vfat: FOLL_GET references became FOLL_PIN pins, and
 * kiocb_invalidate_pages, a call on 6.1, is inlined into
 * generic_file_direct_write on 6.12, whose trees show
 * filemap_invalidate_pages in its place with the same callees. */
static void test_vfat_61_vs_612(void **state)
{
	struct dd_result r;
	const struct dd_pair *p;
	const struct dd_mnode *pin, *inv;
	char *text;

	(void)state;
	load(&sa, "vfat-6.1.dtr", NULL);
	load(&sb, "vfat-6.12.dtr", NULL);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 4);
	assert_int_equal(r.nonly_a, 0);
	assert_int_equal(r.nonly_b, 23);	/* 6.12's 9p library reads */
	p = &r.pairs[0];
	assert_string_equal(dd_basename(p->a->path), "d.bin");
	assert_int_equal(p->a->count, 65536);
	assert_true(p->tree_changes & DD_T_PAGES);
	assert_int_equal(p->a->foll_get, 16);
	assert_int_equal(p->b->foll_pin, 16);

	pin = find(&p->top, "get_user_pages_fast");
	assert_non_null(pin);
	assert_int_equal(pin->mark, DD_CHANGED);
	assert_true(pin->changes & DD_C_PIN);
	assert_string_equal(pin->a->foll, "GET");
	assert_string_equal(pin->b->foll, "PIN");
	assert_string_equal(pin->b->fn, "pin_user_pages_fast");

	inv = find(&p->top, "kiocb_invalidate_pages");
	assert_non_null(inv);
	assert_int_equal(inv->mark, DD_REPLACED);
	assert_string_equal(inv->b->step, "filemap_invalidate_pages");
	assert_non_null(find(inv, "invalidate_inode_pages2_range"));
	assert_int_equal(find(inv, "invalidate_inode_pages2_range")->mark, DD_SAME);

	text = render(render_diff_text, &r);
	assert_non_null(strstr(text, "~ get_user_pages_fast → pin_user_pages_fast = 16"));
	assert_non_null(strstr(text, "[FOLL_GET 16 pages → FOLL_PIN 16 pages]"));
	assert_non_null(strstr(text, "~ pages: 16 page references (FOLL_GET) → 16 pages pinned "
				     "(FOLL_PIN)"));
	assert_non_null(strstr(text, "~ kiocb_invalidate_pages → filemap_invalidate_pages"));
	assert_non_null(strstr(text, "kiocb_invalidate_pages: attached on B (fentry) but never "
				     "called: inlined into generic_file_direct_write"));
	assert_non_null(strstr(text, "[attach kprobe → fentry]"));	/* __blockdev_direct_IO */
	assert_non_null(strstr(text, "(a compiler clone)"));		/* .part.0 */
	assert_non_null(strstr(text, "+ unpin_user_pages"));
	assert_non_null(strstr(text, "+ => dirty pages flushed before the direct write"));
	assert_null(strstr(text, "processes that had the file mapped"));	/* pids only */
	/* recorded before diotrace noted emulation: unknown, never native */
	assert_non_null(strstr(text, "times: emulation unknown on both: guest time, the input "
				     "does not say"));
	free(text);
	dd_result_free(&r);
}

static void test_self_diff_is_empty(void **state)
{
	struct dd_result r;
	char *text;

	(void)state;
	load(&sa, "vfat-6.12.dtr", NULL);
	load(&sb, "vfat-6.12.dtr", NULL);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 27);
	assert_int_equal(r.ndiffer, 0);
	assert_int_equal(r.nonly_a + r.nonly_b, 0);
	text = render(render_diff_text, &r);
	assert_string_equal(text, "diotrace diff: no differences (27 syscall(s) paired: the same "
			    "steps, attach methods, pins and notes)\n");
	free(text);
	dd_result_free(&r);
}

/* Nothing pairs: a tape written through io_uring is not a vfat pwrite,
 * and a read is not a write. */
static void test_unrelated_do_not_pair(void **state)
{
	struct dd_result r;

	(void)state;
	load(&sa, "vfat-6.1.dtr", NULL);
	load(&sb, "dtape-uring-6.12.dtr", NULL);
	assert_true(sb.n > 0);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 0);
	dd_result_free(&r);
	dd_side_free(&sb);
	load(&sb, "vfat-6.12.dtr", "/usr");	/* only its 9p reads */
	assert_true(sb.n > 0);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 0);
	dd_result_free(&r);
}

/* --path given twice chooses per side; the pairing then needs the names. */
static void test_path_chooses_trees(void **state)
{
	struct dd_result r;

	(void)state;
	load(&sa, "vfat-6.1.dtr", "/tmp/vf/n.bin");
	load(&sb, "vfat-6.12.dtr", "/tmp/vf");
	assert_int_equal(sa.n, 1);
	assert_int_equal(sb.n, 4);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 1);
	assert_int_equal(r.pairs[0].b->seq, 16);
	assert_int_equal(r.nonly_b, 3);
	dd_result_free(&r);
}

/* Two file systems in one recording (lab 01): vfat's and ext4's
 * ->write_iter take one place; nothing claims an inlining there. */
static void test_two_file_systems(void **state)
{
	static const char rec[] = "../../../labs/01-buffered-vs-direct/recordings/6.12/writes.dtr.gz";
	struct dd_result r;
	const struct dd_pair *p;
	const struct dd_mnode *it;
	char *text;

	(void)state;
	load(&sa, rec, "/mnt/lab01v");
	load(&sb, rec, "/mnt/lab01e");
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 2);
	p = &r.pairs[1];
	assert_string_equal(dd_basename(p->b->path), "dio.bin");
	assert_true(p->tree_changes & DD_T_ITER);
	assert_true(p->tree_changes & DD_T_ENGINE);
	it = find(&p->top, "generic_file_write_iter");
	assert_int_equal(it->mark, DD_REPLACED);
	assert_false(it->same_callees);
	assert_string_equal(it->b->step, "ext4_file_write_iter");
	text = render(render_diff_text, &r);
	assert_non_null(strstr(text, "~ direct-I/O engine: __blockdev_direct_IO → iomap_dio_rw"));
	assert_null(strstr(text, "inlined into"));
	free(text);
	dd_result_free(&r);
}

static const struct jval *jat(const struct jval *arr, int i)
{
	const struct jval *v = arr ? arr->first : NULL;

	while (v && i--)
		v = v->next;
	return v;
}

static const struct jval *jfind(const struct jval *steps, const char *step)
{
	for (const struct jval *v = steps ? steps->first : NULL; v; v = v->next) {
		const struct jval *hit;

		if (!strcmp(jstr(v, "step"), step))
			return v;
		if ((hit = jfind(jget(v, "children"), step)))
			return hit;
	}
	return NULL;
}

/* --json carries the same facts as the text. */
static void test_json_output(void **state)
{
	struct dd_result r;
	const struct jval *pair, *pin, *inv;
	const char *err;
	struct jval *j;
	char *text;

	(void)state;
	load(&sa, "vfat-6.1.dtr", NULL);
	load(&sb, "vfat-6.12.dtr", NULL);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	text = render(render_diff_json, &r);
	j = jparse(text, &err);
	assert_non_null(j);
	assert_string_equal(jstr(j, "type"), "diff");
	assert_int_equal(jint(j, "paired"), 4);
	assert_string_equal(jstr(j, "time"), "emulation unknown on both: guest time, the input "
			    "does not say");
	assert_true(jnull(jget(j, "a"), "emulated"));
	assert_string_equal(jstr(jget(j, "b"), "accel"), "unknown");
	pair = jat(jget(j, "pairs"), 0);
	assert_true(jbool(pair, "differs"));
	assert_int_equal(jint(jat(jget(pair, "pages"), 0), "foll_get"), 16);
	assert_int_equal(jint(jat(jget(pair, "pages"), 1), "foll_pin"), 16);
	pin = jfind(jget(pair, "steps"), "get_user_pages_fast");
	assert_non_null(pin);
	assert_string_equal(jstr(pin, "mark"), "changed");
	assert_string_equal(jat(jget(pin, "foll"), 0)->s, "GET");
	assert_string_equal(jat(jget(pin, "foll"), 1)->s, "PIN");
	assert_string_equal(jat(jget(pin, "changes"), 0)->s, "pin");
	inv = jfind(jget(pair, "steps"), "kiocb_invalidate_pages");
	assert_string_equal(jstr(inv, "mark"), "replaced");
	assert_string_equal(jat(jget(inv, "fn"), 1)->s, "filemap_invalidate_pages");
	assert_non_null(strstr(jstr(inv, "why"), "inlined into generic_file_direct_write"));
	jfree(j);
	free(text);
	dd_result_free(&r);
}

struct to_json {
	struct dt_ctx *c;
	struct dt_builder *b;
	FILE *f;
	long n;
	uint64_t fired[DT_STEP__N];
};

static void json_tree(struct dt_tree *t, void *arg)
{
	struct to_json *tj = arg;
	struct render_opts o = { 0 };

	render_json(tj->f, tj->c, t, &o);
	tj->n++;
}

/* As report does: count what fired, then build the trees. */
static int json_event(const void *data, size_t len, void *arg)
{
	struct to_json *tj = arg;
	int step = dt_event_fired_step(data, len);

	if (step >= 0)
		tj->fired[step]++;
	dt_builder_feed(tj->b, data, len);
	return 0;
}

/* `diotrace report --json` of a recording, into @path. */
static void report_json(const char *name, const char *path)
{
	static const struct dt_callbacks cb = { .tree = json_tree };
	static struct dt_ctx c;
	static struct to_json tj;
	char in[512], err[160];
	FILE *f;

	snprintf(in, sizeof(in), "%s/%s", DT_DATA, name);
	f = record_open(in);
	assert_non_null(f);
	memset(&c, 0, sizeof(c));
	memset(&tj, 0, sizeof(tj));
	dt_ctx_init_static(&c);
	tj.c = &c;
	tj.f = fopen(path, "w");
	tj.b = dt_builder_new(&c, &cb, &tj);
	assert_int_equal(record_read(f, &c, json_event, &tj, err, sizeof(err)), 0);
	fclose(f);
	dt_builder_flush(tj.b);
	render_json_end(tj.f, &c, tj.fired, tj.n, 0);
	fclose(tj.f);
	dt_builder_free(tj.b);
	free(c.syms);
}

/* A --json file is as good an input as the recording it came from. */
static void test_json_input_matches_recording(void **state)
{
	char tmpl[] = "/tmp/dt-diff-XXXXXX", err[256];
	struct dd_result r;
	int fd = mkstemp(tmpl);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	report_json("vfat-6.12.dtr", tmpl);
	load(&sa, "vfat-6.12.dtr", NULL);
	memset(&sb, 0, sizeof(sb));
	assert_int_equal(dd_load(tmpl, NULL, &sb, err, sizeof(err)), DD_LOAD_OK);
	unlink(tmpl);
	assert_string_equal(sb.kernel, sa.kernel);
	assert_int_equal(sb.n, sa.n);
	assert_false(sb.resolution_known);
	assert_int_equal(dd_compare(&sa, &sb, &r), 0);
	assert_int_equal(r.npairs, 27);
	assert_int_equal(r.ndiffer, 0);
	dd_result_free(&r);
}

/* Every 2.6 name of the seed maps to a step of today, present in the
 * 6.12 trace or said to be gone or absent. */
static void test_seed_on_612(void **state)
{
	char *buf = NULL, *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *err;
	struct jval *j;

	(void)state;
	load(&sb, "vfat-6.12.dtr", NULL);
	assert_int_equal(seed_compare(f, &sb, true), DD_EXIT_SAME);
	fclose(f);
	j = jparse(buf, &err);
	assert_non_null(j);
	assert_int_equal(jint(jget(j, "b"), "seq"), 9);
	for (const struct jval *e = jget(j, "steps")->first; e; e = e->next) {
		assert_true(*jstr(e, "today"));
		assert_true(jbool(e, "in_trace") || jbool(e, "gone") ||
			    !strcmp(jstr(e, "seed"), "__generic_file_write_nolock") ||
			    !strcmp(jstr(e, "seed"), "unmap_mapping_range"));
		assert_true(*jstr(e, "cite"));
	}
	assert_int_equal(jget(j, "steps")->first != NULL, 1);
	jfree(j);
	free(buf);
	len = 0;
	f = open_memstream(&out, &len);
	seed_compare(f, &sb, false);
	fclose(f);
	assert_non_null(strstr(out, "generic_file_write → generic_file_write_iter = 65536"));
	assert_non_null(strstr(out, "- generic_file_direct_IO → filemap_invalidate_pages"));
	assert_non_null(strstr(out, "get_user_pages → pin_user_pages_fast = 16"));
	assert_non_null(strstr(out, "- __generic_file_write_nolock → new_sync_write: not in this "
				    "trace"));
	free(out);
}

static void test_seed_needs_a_write(void **state)
{
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	load(&sb, "vfat-6.12.dtr", "/usr");	/* reads only */
	assert_int_equal(seed_compare(f, &sb, false), DD_EXIT_UNRELATED);
	fclose(f);
}

static void test_bad_input(void **state)
{
	char err[256], tmpl[] = "/tmp/dt-diff-XXXXXX";
	static const char *const bad[] = {
		"DIOTRACE\3\0\0\0", "{\"type\":\"syscall\"", "{\"a\":[1,2,}\n", "not json\n",
		"", "{\"type\":\"syscall\",\"calls\":[[[[[[[[[[[[[[[[[[[[\n",
	};
	int fd;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	assert_int_equal(dd_load("/nonexistent/x.dtr", NULL, &sa, err, sizeof(err)),
			 DD_LOAD_OPEN);
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(tmpl, "w");

		fwrite(bad[i], 1, strlen(bad[i]) + (i == 0 ? 4 : 0), f);
		fclose(f);
		assert_int_equal(dd_load(tmpl, NULL, &sa, err, sizeof(err)), DD_LOAD_FORMAT);
		assert_true(*err);
	}
	close(fd);
	unlink(tmpl);
}

static void test_jparse(void **state)
{
	const char *err;
	struct jval *v = jparse("{\"a\":[1,-2,18446744073709551615],\"s\":\"x\\\"\\u00e9\\n\","
				"\"t\":true,\"f\":false,\"n\":null}", &err);
	char deep[3000];

	(void)state;
	assert_non_null(v);
	assert_int_equal(jat(jget(v, "a"), 1)->i, -2);
	assert_int_equal((uint64_t)jat(jget(v, "a"), 2)->i, UINT64_MAX);
	assert_string_equal(jstr(v, "s"), "x\"é\n");
	assert_true(jbool(v, "t"));
	assert_false(jbool(v, "f"));
	assert_true(jnull(v, "n"));
	assert_true(jnull(v, "absent"));
	jfree(v);
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = 0;
	assert_null(jparse(deep, &err));
	assert_string_equal(err, "nested too deep");
	assert_null(jparse("{\"a\" 1}", &err));
	assert_null(jparse("[1] x", &err));
	assert_null(jparse("\"\\q\"", &err));
}

/* Times are marked emulated when either side ran under TCG. */
static void test_time_note(void **state)
{
	static struct dd_side a, b;
	char buf[256];

	(void)state;
	a.emulated = b.emulated = DT_EMUL_YES;
	snprintf(a.accel, sizeof(a.accel), "tcg");
	snprintf(b.accel, sizeof(b.accel), "tcg");
	assert_string_equal(dd_time_note(&a, &b, buf, sizeof(buf)),
			    "emulated (QEMU TCG) on both: emulated time, several times native");
	b.emulated = DT_EMUL_NO;
	snprintf(b.accel, sizeof(b.accel), "kvm");
	assert_string_equal(dd_time_note(&a, &b, buf, sizeof(buf)),
			    "A emulated (QEMU TCG), B not emulated (kvm): emulated time, several "
			    "times native");
	a.emulated = DT_EMUL_NO;
	snprintf(a.accel, sizeof(a.accel), "none");
	assert_string_equal(dd_time_note(&a, &b, buf, sizeof(buf)),
			    "A not emulated (bare metal), B not emulated (kvm)");
	a.emulated = DT_EMUL_UNKNOWN;
	assert_string_equal(dd_time_note(&a, &b, buf, sizeof(buf)),
			    "A emulation unknown, B not emulated (kvm): guest time, the input "
			    "does not say");
	assert_string_equal(dd_time_note(&b, NULL, buf, sizeof(buf)), "not emulated (kvm)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vfat_61_vs_612, teardown),
		cmocka_unit_test_teardown(test_self_diff_is_empty, teardown),
		cmocka_unit_test_teardown(test_unrelated_do_not_pair, teardown),
		cmocka_unit_test_teardown(test_path_chooses_trees, teardown),
		cmocka_unit_test_teardown(test_two_file_systems, teardown),
		cmocka_unit_test_teardown(test_json_output, teardown),
		cmocka_unit_test_teardown(test_json_input_matches_recording, teardown),
		cmocka_unit_test_teardown(test_seed_on_612, teardown),
		cmocka_unit_test_teardown(test_seed_needs_a_write, teardown),
		cmocka_unit_test_teardown(test_bad_input, teardown),
		cmocka_unit_test(test_jparse),
		cmocka_unit_test(test_time_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
