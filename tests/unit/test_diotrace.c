// SPDX-License-Identifier: GPL-2.0
/*
 * diotrace's tree builder, analysis and renderers, fed from synthetic event
 * streams and from recordings made in the lab VM  (the .dtr files in tests/unit/data,
 * made with `diotrace record`).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include <zlib.h>
#include "../../module/dtape_abi.h"
#include "dtape_ev.h"
#include "dtctx.h"
#include "mappers.h"
#include "record.h"
#include "render.h"
#include "tree.h"

#ifndef DT_DATA
#define DT_DATA "tests/unit/data"
#endif

#define MAX_TREES 64

struct collect {
	struct dt_ctx *c;
	char *json[MAX_TREES];
	char *text[MAX_TREES];
	char path[MAX_TREES][DT_PATH_DEPTH * DT_NAME_LEN + 16];
	int n;
	int refaults;
	uint64_t refault_index;
	char refault_path[DT_PATH_DEPTH * DT_NAME_LEN + 16];
	char *worker;		/* the last standalone worker event, as JSON */
	char *worker_text;
	struct chrome_trace *chrome;	/* also render a timeline, if set */
};

static char *render_to_string(void (*fn)(FILE *, struct dt_ctx *, struct dt_tree *,
					 const struct render_opts *),
			      struct dt_ctx *c, struct dt_tree *t)
{
	struct render_opts o = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, c, t, &o);
	fclose(f);
	return buf;
}

static void on_tree(struct dt_tree *t, void *arg)
{
	struct collect *col = arg;

	if (col->n >= MAX_TREES)
		return;
	if (col->chrome) {
		struct render_opts o = { 0 };

		chrome_tree(col->chrome, col->c, t, &o);
	}
	col->json[col->n] = render_to_string(render_json, col->c, t);
	col->text[col->n] = render_to_string(render_text, col->c, t);
	snprintf(col->path[col->n], sizeof(col->path[0]), "%s", t->path);
	col->n++;
}

static void on_refault(struct dt_refault *r, void *arg)
{
	struct collect *col = arg;

	col->refaults++;
	col->refault_index = r->ev.args[0];
	memcpy(col->refault_path, r->path, sizeof(col->refault_path));
}

static void on_worker(struct dt_worker *w, void *arg)
{
	struct collect *col = arg;
	size_t len = 0;
	FILE *f;

	if (col->chrome)
		chrome_worker(col->chrome, col->c, w);
	free(col->worker);
	free(col->worker_text);
	f = open_memstream(&col->worker, &len);
	render_json_worker(f, col->c, w);
	fclose(f);
	f = open_memstream(&col->worker_text, &len);
	render_text_worker(f, col->c, w);
	fclose(f);
}

static const struct dt_callbacks cbs = {
	.tree = on_tree, .refault = on_refault, .worker = on_worker,
};

static void collect_free(struct collect *col)
{
	free(col->worker);
	free(col->worker_text);
	for (int i = 0; i < col->n; i++) {
		free(col->json[i]);
		free(col->text[i]);
	}
}

/* ------------------------------------------------------ synthetic streams */

static struct dt_ctx ctx;
static uint64_t clock_ns;

static void ctx_setup(void)
{
	memset(&ctx, 0, sizeof(ctx));
	dt_ctx_init_static(&ctx);
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		ctx.steps[i].method = M_FENTRY;
		snprintf(ctx.steps[i].sym, DT_SYM_LEN, "%s", ctx.steps[i].label);
	}
	clock_ns = 1000;
}

static void feed_root(struct dt_builder *b, uint32_t tid, uint32_t sys, uint32_t f_flags,
		      uint64_t buf, uint64_t count, int64_t off)
{
	struct dt_root r = { 0 };

	r.ev.type = EV_ROOT_ENTER;
	r.ev.tid = r.ev.pid = tid;
	r.ev.ts = clock_ns += 100;
	r.ev.obj.has_file = 1;
	r.ev.obj.f_flags = f_flags;
	r.sys = sys;
	r.fd = 3;
	r.buf = buf;
	r.count = count;
	r.offset = off;
	memcpy(r.comm, "unit", 5);
	r.path_n = 2;
	snprintf(r.path[0], DT_NAME_LEN, "f.bin");
	snprintf(r.path[1], DT_NAME_LEN, "mnt");
	assert_int_equal(dt_builder_feed(b, &r, sizeof(r)), 0);
}

static void feed(struct dt_builder *b, uint32_t tid, uint8_t type, uint8_t step, int64_t ret)
{
	struct dt_event e = { 0 };

	e.type = type;
	e.step = step;
	e.tid = e.pid = tid;
	e.ts = clock_ns += 100;
	e.ret = ret;
	e.method = M_FENTRY;
	assert_int_equal(dt_builder_feed(b, &e, sizeof(e)), 0);
}

static void enter(struct dt_builder *b, uint8_t step) { feed(b, 7, EV_ENTER, step, 0); }
static void leave(struct dt_builder *b, uint8_t step, int64_t r) { feed(b, 7, EV_EXIT, step, r); }

static void test_nesting_and_durations(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_PWRITE64, O_DIRECT, 0x10000, 4096, 0);
	enter(b, DT_VFS_WRITE);
	enter(b, DT_GEN_WRITE_ITER);
	enter(b, DT_GFDW);
	leave(b, DT_GFDW, 4096);
	leave(b, DT_GEN_WRITE_ITER, 4096);
	leave(b, DT_VFS_WRITE, 4096);
	feed(b, 7, EV_ROOT_EXIT, 0, 4096);
	assert_int_equal(col.n, 1);
	assert_string_equal(col.path[0], "/mnt/f.bin");
	assert_non_null(strstr(col.json[0], "\"chain\":[\"vfs_write\",\"generic_file_write_iter\","
				"\"generic_file_direct_write\"]"));
	/* exits 100 ns apart: the innermost call took 100 ns, vfs_write 500 */
	assert_non_null(strstr(col.json[0], "\"fn\":\"generic_file_direct_write\",\"step\":"
				"\"generic_file_direct_write\",\"cat\":\"direct\",\"attach\":\"fentry\","
				"\"ret\":4096,\"dur_ns\":100"));
	assert_non_null(strstr(col.json[0], "\"fn\":\"vfs_write\",\"step\":\"vfs_write\",\"cat\":"
				"\"vfs\",\"attach\":\"fentry\",\"ret\":4096,\"dur_ns\":500"));
	assert_non_null(strstr(col.json[0], "\"complete\":true"));
	collect_free(&col);
	dt_builder_free(b);
}

static void test_lost_exit_is_closed(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_WRITE, 0, 0x10000, 4096, -1);
	enter(b, DT_VFS_WRITE);
	enter(b, DT_GEN_WRITE_ITER);	/* its exit is lost */
	leave(b, DT_VFS_WRITE, 4096);
	enter(b, DT_DWF);		/* must land under the root, not the lost frame */
	leave(b, DT_DWF, 0);
	feed(b, 7, EV_ROOT_EXIT, 0, 4096);
	assert_int_equal(col.n, 1);
	assert_non_null(strstr(col.json[0], "\"fn\":\"generic_file_write_iter\",\"step\":"
				"\"generic_file_write_iter\",\"cat\":\"write_iter\",\"attach\":"
				"\"fentry\",\"ret\":null"));
	/* direct_write_fallback is a sibling of vfs_write at depth 1 */
	assert_non_null(strstr(col.json[0], "{\"fn\":\"direct_write_fallback\","));
	assert_non_null(strstr(col.json[0], "\"cat\":\"fallback\",\"attach\":\"fentry\",\"ret\":0,"
				"\"dur_ns\":100,\"depth\":1"));
	collect_free(&col);
	dt_builder_free(b);
}

static void test_two_threads_interleaved(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_WRITE, 0, 0x10000, 10, -1);
	feed_root(b, 8, SYS_READ, 0, 0x20000, 20, -1);
	feed(b, 7, EV_ENTER, DT_VFS_WRITE, 0);
	feed(b, 8, EV_ENTER, DT_VFS_READ, 0);
	feed(b, 8, EV_EXIT, DT_VFS_READ, 20);
	feed(b, 8, EV_ROOT_EXIT, 0, 20);
	feed(b, 7, EV_EXIT, DT_VFS_WRITE, 10);
	feed(b, 7, EV_ROOT_EXIT, 0, 10);
	assert_int_equal(col.n, 2);
	assert_non_null(strstr(col.json[0], "\"syscall\":\"read\""));
	assert_non_null(strstr(col.json[0], "\"chain\":[\"vfs_read\"]"));
	assert_non_null(strstr(col.json[1], "\"syscall\":\"write\""));
	assert_non_null(strstr(col.json[1], "\"chain\":[\"vfs_write\"]"));
	collect_free(&col);
	dt_builder_free(b);
}

static void test_vfat_fallback_reason(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_PWRITE64, O_WRONLY | O_DIRECT, 0x10000, 4096, 0);
	enter(b, DT_GFDW);
	enter(b, DT_FAT_DIRECT_IO);
	leave(b, DT_FAT_DIRECT_IO, 0);
	leave(b, DT_GFDW, 0);
	enter(b, DT_GPW);
	leave(b, DT_GPW, 4096);
	enter(b, DT_DWF);
	leave(b, DT_DWF, 4096);
	feed(b, 7, EV_ROOT_EXIT, 0, 4096);
	assert_int_equal(col.n, 1);
	assert_non_null(strstr(col.json[0], "\"fallback\":true,\"fallback_reason\":\"fat_direct_IO "
				"returned 0 for an extending write"));
	assert_non_null(strstr(col.text[0], "=> O_DIRECT fell back to buffered I/O: fat_direct_IO"));
	/* a fallback is an explanation, not a missing step */
	assert_null(strstr(col.json[0], "\"kind\":\"missing\""));
	collect_free(&col);
	dt_builder_free(b);
}

static void test_einval_annotation(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_PWRITE64, O_DIRECT, 0x10001, 100, 0);
	enter(b, DT_VFS_WRITE);
	leave(b, DT_VFS_WRITE, -22);
	feed(b, 7, EV_ROOT_EXIT, 0, -22);
	assert_non_null(strstr(col.json[0], "\"kind\":\"einval\",\"text\":\"misaligned: EINVAL "
				"(buffer aligned to 1 bytes, offset 0, count 100"));
	assert_non_null(strstr(col.text[0], ") O_DIRECT = -EINVAL"));
	collect_free(&col);
	dt_builder_free(b);
}

/* The JSON writer formats numbers and escapes strings itself (render_json.c):
 * the extremes of each field's type, and every byte that needs escaping. */
static void test_json_numbers_and_escapes(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;
	struct dt_root r = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	r.ev.type = EV_ROOT_ENTER;
	r.ev.tid = r.ev.pid = UINT32_MAX;
	r.ev.ts = clock_ns += 100;
	r.ev.obj.has_file = 1;
	r.ev.obj.ino = UINT64_MAX;
	r.ev.obj.dev = (4095u << 20) | 0xfffff;
	r.sys = SYS_PWRITE64;
	r.fd = INT32_MIN;
	r.buf = 0;
	r.count = UINT64_MAX;
	r.offset = INT64_MIN;
	memcpy(r.comm, "a\"b\\c\x01\x1f\x7f\xe2\x82\xac", 11);
	r.path_n = 1;
	snprintf(r.path[0], DT_NAME_LEN, "tab\there");
	assert_int_equal(dt_builder_feed(b, &r, sizeof(r)), 0);
	feed(b, UINT32_MAX, EV_ROOT_EXIT, 0, INT64_MIN);
	assert_int_equal(col.n, 1);
	assert_non_null(strstr(col.json[0], "{\"type\":\"syscall\",\"seq\":1,\"syscall\":\"pwrite64\","
				"\"pid\":4294967295,\"tid\":4294967295,"
				"\"comm\":\"a\\\"b\\\\c\\u0001\\u001f\x7f\xe2\x82\xac\",\"fd\":-2147483648,"));
	assert_non_null(strstr(col.json[0], "\\u0009here\",\"ino\":18446744073709551615,"
				"\"dev\":\"4095:1048575\",\"count\":18446744073709551615,"
				"\"offset\":-9223372036854775808,\"buf\":0,"));
	assert_non_null(strstr(col.json[0], ",\"ret\":-9223372036854775808,"));
	collect_free(&col);
	dt_builder_free(b);

	f = open_memstream(&buf, &len);
	json_str(f, "");
	json_str(f, NULL);
	json_str(f, "\\");
	fclose(f);
	assert_string_equal(buf, "\"\"\"\"\"\\\\\"");
	free(buf);
}

static void test_missing_step_reported(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	/* pinning is attached but never fires; bios cannot be traced at all */
	for (unsigned i = 0; i < DT_STEP__N; i++)
		if (ctx.steps[i].cat == CAT_BIO)
			ctx.steps[i].method = M_NONE;
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_PWRITE64, O_DIRECT, 0x10000, 4096, 0);
	enter(b, DT_GEN_WRITE_ITER);
	enter(b, DT_GFDW);
	leave(b, DT_GFDW, 4096);
	leave(b, DT_GEN_WRITE_ITER, 4096);
	feed(b, 7, EV_ROOT_EXIT, 0, 4096);
	assert_non_null(strstr(col.json[0], "expected step 'page pinning' never fired (attached: "));
	assert_non_null(strstr(col.json[0], "expected step 'bio submission' not traceable on this "
				"kernel"));
	assert_non_null(strstr(col.text[0], "!! expected step 'page pinning' never fired"));
	collect_free(&col);
	dt_builder_free(b);
}

/* A dtape tracepoint event; args as diotrace.bpf.c lays them out. */
/* the drive worker's thread id that EV_WORKER events carry (0: not noted,
 * as in recordings made before it was) */
static uint32_t worker_tid;

static void feed_dtape(struct dt_builder *b, uint32_t tid, uint8_t type, uint8_t tp,
		       uint64_t a3, uint64_t a4, uint64_t a5, int64_t since)
{
	struct dt_event e = { 0 };

	if (type == EV_WORKER)
		e.worker_tid = worker_tid;
	e.type = type;
	e.step = tp;
	e.tid = e.pid = tid;
	e.ts = clock_ns += 100;
	e.method = M_TP;
	e.ret = since;
	e.args[0] = 0;
	e.args[1] = 0x7f0000001000ULL;
	e.args[2] = 65536;
	e.args[3] = a3;
	e.args[4] = a4;
	e.args[5] = a5;
	assert_int_equal(dt_builder_feed(b, &e, sizeof(e)), 0);
}

/* A sync write that dtape queued: the worker's completion and stall land
 * in the caller's tree while it still sleeps in write(). */
static void test_dtape_sync_queued(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_WRITE, O_DIRECT, 0x7f0000001000ULL, 65536, -1);
	enter(b, DT_VFS_WRITE);
	enter(b, DT_DTAPE_WRITE);
	feed_dtape(b, 7, EV_TP, DT_TP_DTAPE_PIN, 16, 16, 1 << 8, 0);	/* path direct, to the medium */
	feed_dtape(b, 7, EV_TP, DT_TP_DTAPE_SUBMIT, 1, 1, 1, 0);
	feed_dtape(b, 7, EV_WORKER, DT_TP_DTAPE_STALL, 20, 1, 0, 1500000);
	feed_dtape(b, 7, EV_WORKER, DT_TP_DTAPE_COMPLETE, 65536, 1, 0, 2500000);
	leave(b, DT_DTAPE_WRITE, 65536);
	leave(b, DT_VFS_WRITE, 65536);
	feed(b, 7, EV_ROOT_EXIT, 0, 65536);
	assert_int_equal(col.n, 1);
	assert_null(col.worker);
	assert_non_null(strstr(col.json[0], "\"tp\":\"dtape_pin\""));
	assert_non_null(strstr(col.json[0], "\"path\":\"direct\",\"dir\":\"write\""));
	assert_non_null(strstr(col.json[0], "\"result\":65536,\"sync\":true,\"in_worker\":true,"
			       "\"since_submit_ns\":2500000"));
	assert_non_null(strstr(col.json[0], "completed the record 2.500 ms after submission"));
	assert_non_null(strstr(col.json[0], "the drive stalled 1 time(s)"));
	assert_non_null(strstr(col.text[0], "dtape_complete [tp, drive worker]"));
	dt_builder_free(b);
	collect_free(&col);
}

/* AIO: io_submit returns first; the completion arrives on its own. */
static void test_dtape_aio_completion_after_return(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_IO_SUBMIT, O_DIRECT, 0, 1, -1);
	enter(b, DT_AIO_WRITE);
	enter(b, DT_DTAPE_WRITE);
	feed_dtape(b, 7, EV_TP, DT_TP_DTAPE_SUBMIT, 1, 0, 3, 0);
	leave(b, DT_DTAPE_WRITE, -529);	/* -EIOCBQUEUED */
	leave(b, DT_AIO_WRITE, 0);
	feed(b, 7, EV_ROOT_EXIT, 0, 1);
	assert_int_equal(col.n, 1);
	assert_non_null(strstr(col.json[0], "queued 1 record(s) to the drive's worker (3 in flight"));
	feed_dtape(b, 7, EV_WORKER, DT_TP_DTAPE_COMPLETE, 65536, 0, 0, 4000000);
	assert_non_null(col.worker);
	assert_non_null(strstr(col.worker, "{\"type\":\"dtape\",\"event\":\"complete\",\"pid\":7,"
			       "\"tid\":7,\"comm\":\"unit\",\"drive\":0,"));
	assert_non_null(strstr(col.worker, "\"since_submit_ns\":4000000}"));
	assert_non_null(strstr(col.worker_text, "unit[7/7]'s record (65536 bytes) completed = 65536"));
	dt_builder_free(b);
	collect_free(&col);
}

/* A fallback in a synchronous call goes through the bounce buffer; in a
 * queued request it cannot, and the request fails: the note must say
 * which.  The names come from module/dtape_abi.h. */
static void test_dtape_fallback_sync_and_queued(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &cbs, &col);
	feed_root(b, 7, SYS_WRITE, 0, 0x7f0000001001ULL, 65536, -1);
	enter(b, DT_VFS_WRITE);
	enter(b, DT_DTAPE_WRITE);
	feed_dtape(b, 7, EV_TP, DT_TP_DTAPE_FALLBACK, DTAPE_FALLBACK_MISALIGNED, DTAPE_DIR_WRITE,
		   DTAPE_PATH_DIRECT, 0);
	enter(b, DT_DTAPE_BOUNCE);
	leave(b, DT_DTAPE_BOUNCE, 0);
	leave(b, DT_DTAPE_WRITE, 65536);
	leave(b, DT_VFS_WRITE, 65536);
	feed(b, 7, EV_ROOT_EXIT, 0, 65536);
	assert_int_equal(col.n, 1);
	assert_non_null(strstr(col.json[0], "\"why\":\"misaligned\",\"path\":\"direct\",\"dir\":\"write\""));
	assert_non_null(strstr(col.json[0], "dtape fell back to its bounce buffer (misaligned)"));
	assert_non_null(strstr(col.text[0], "why=misaligned path=direct write"));

	feed_root(b, 8, SYS_IO_SUBMIT, 0, 0, 1, -1);
	enter(b, DT_AIO_WRITE);
	enter(b, DT_DTAPE_WRITE);
	feed_dtape(b, 8, EV_TP, DT_TP_DTAPE_FALLBACK, DTAPE_FALLBACK_PIN_ERROR, DTAPE_DIR_WRITE,
		   DTAPE_PATH_LEGACY, 0);
	leave(b, DT_DTAPE_WRITE, -14);
	leave(b, DT_AIO_WRITE, 0);
	feed(b, 8, EV_ROOT_EXIT, 0, 1);
	assert_int_equal(col.n, 2);
	assert_non_null(strstr(col.json[1], "\"why\":\"pin_error\",\"path\":\"legacy\""));
	assert_non_null(strstr(col.json[1], "dtape could not pin the buffer (pin_error); a queued "
			       "request has no bounce buffer to fall back to, so it failed"));
	assert_null(strstr(col.json[1], "fell back to its bounce buffer"));
	dt_builder_free(b);
	collect_free(&col);

	/* every reason has its name, and nothing past them does */
	for (unsigned v = 0; v < DTAPE_NR_FALLBACKS; v++)
		assert_string_not_equal(dtape_why_name(v), "?");
	assert_string_equal(dtape_why_name(DTAPE_NR_FALLBACKS), "?");
}

/* --summary groups trees by what happened; a dtape record that pinned is
 * "direct (dtape)", not a block device's path. */
static void on_tree_summary(struct dt_tree *t, void *arg)
{
	summary_add(arg, &ctx, t);
}

static void test_summary_names_the_dtape_engine(void **state)
{
	static const struct dt_callbacks sum_cbs = { .tree = on_tree_summary };
	struct dt_summary *sum = summary_new();
	struct dt_builder *b;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	ctx_setup();
	b = dt_builder_new(&ctx, &sum_cbs, sum);
	feed_root(b, 7, SYS_WRITE, 0, 0x7f0000001000ULL, 65536, -1);
	enter(b, DT_VFS_WRITE);
	enter(b, DT_DTAPE_WRITE);
	enter(b, DT_DTAPE_PIN);
	enter(b, DT_PUP_FAST);
	leave(b, DT_PUP_FAST, 16);
	leave(b, DT_DTAPE_PIN, 0);
	leave(b, DT_DTAPE_WRITE, 65536);
	leave(b, DT_VFS_WRITE, 65536);
	feed(b, 7, EV_ROOT_EXIT, 0, 65536);
	f = open_memstream(&out, &len);
	summary_print(f, sum, &ctx, false);
	fclose(f);
	assert_non_null(strstr(out, "write buffered -> direct (dtape) "));
	assert_null(strstr(out, "(bdev)"));
	free(out);
	dt_builder_free(b);
	summary_free(sum);
}

/* /proc/PID/maps lines: only shared file mappings count, keyed as the
 * kernel keys the page cache (s_dev as major << 20 | minor, i_ino). */
static void test_mappers_parse_line(void **state)
{
	struct dt_file_key k;

	(void)state;
	assert_true(mappers_parse_line("7f2c4a000000-7f2c4a002000 rw-s 00000000 fe:01 131074"
				       "                    /tmp/dt-mmap-ext4/map.bin\n", &k));
	assert_int_equal(k.ino, 131074);
	assert_int_equal(k.dev, 0xfe << 20 | 0x01);
	assert_true(mappers_parse_line("7f2c4a000000-7f2c4a002000 r--s 00000000 103:05 12 /x\n", &k));
	assert_int_equal(k.dev, 0x103 << 20 | 0x05);
	/* private file mapping, anonymous shared memory, anonymous, garbage */
	assert_false(mappers_parse_line("55d0c0a00000-55d0c0a02000 r--p 00000000 fe:01 1234 /bin/x\n",
					&k));
	assert_false(mappers_parse_line("7f0000000000-7f0000001000 rw-s 00000000 00:00 0\n", &k));
	assert_false(mappers_parse_line("7ffd1a2b3000-7ffd1a2d4000 rw-p 00000000 00:00 0 [stack]\n",
					&k));
	assert_false(mappers_parse_line("not a maps line\n", &k));
}

static void test_flag_decoding(void **state)
{
	struct dt_flagname t[] = { { "WRITE", 1 }, { "GET", 2 }, { "PIN", 0x80000 } };
	char buf[64];

	(void)state;
	assert_string_equal(dt_decode_flags(t, 3, 0x80001, buf, sizeof(buf)), "WRITE|PIN");
	assert_string_equal(dt_decode_flags(t, 3, 0x2 | 0x400, buf, sizeof(buf)), "GET|0x400");
	assert_string_equal(dt_decode_flags(t, 3, 0, buf, sizeof(buf)), "0");
}

/* ------------------------------------------------------ recorded streams */

static int rec_event(const void *data, size_t len, void *arg)
{
	return dt_builder_feed(arg, data, len) < 0 ? -1 : 0;
}

static int load_recording(const char *name, struct dt_ctx *c, struct collect *col)
{
	char path[512], err[160];
	struct dt_builder *b;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s%s", name[0] == '/' ? "" : DT_DATA "/", name);
	f = record_open(path);
	if (!f)
		return -1;
	memset(c, 0, sizeof(*c));
	dt_ctx_init_static(c);
	col->c = c;
	b = dt_builder_new(c, &cbs, col);
	rc = record_read(f, c, rec_event, b, err, sizeof(err));
	fclose(f);
	dt_builder_flush(b);
	dt_builder_free(b);
	return rc;
}

/* out-of-range or unrendered trees read as "" so the assertions fail cleanly */
static const char *J(const struct collect *col, int i)
{
	return i >= 0 && i < col->n && col->json[i] ? col->json[i] : "";
}

static const char *T(const struct collect *col, int i)
{
	return i >= 0 && i < col->n && col->text[i] ? col->text[i] : "";
}

static int find_tree(const struct collect *col, const char *path, const char *needle)
{
	for (int i = 0; i < col->n; i++)
		if (!strcmp(col->path[i], path) && col->json[i] && strstr(col->json[i], needle))
			return i;
	return -1;
}

static void check_vfat_recording(const char *name, const char *pin_fn, const char *foll)
{
	static struct dt_ctx c;
	struct collect col = { 0 };
	char want[128];
	int i, lines = 0;

	assert_int_equal(load_recording(name, &c, &col), 0);
	assert_true(col.n >= 4);

	/* aligned overwrite: the seed's chain, direct, with the kernel's pinning */
	i = find_tree(&col, "/tmp/vf/d.bin", "\"count\":65536");
	assert_true(i >= 0);
	assert_non_null(strstr(J(&col, i), "\"generic_file_direct_write\","));
	assert_non_null(strstr(J(&col, i), "\"fat_direct_IO\",\"__blockdev_direct_IO\""));
	snprintf(want, sizeof(want), "\"fn\":\"%s\"", pin_fn);
	assert_non_null(strstr(J(&col, i), want));
	snprintf(want, sizeof(want), "\"foll\":\"%s\"", foll);
	assert_non_null(strstr(J(&col, i), want));
	assert_non_null(strstr(J(&col, i), "\"dio\":true,\"dio_engine\":\"__blockdev_direct_IO\","
				"\"fallback\":false"));
	assert_non_null(strstr(J(&col, i), "\"iter_type\":\"UBUF\""));
	assert_null(strstr(J(&col, i), "\"kind\":\"missing\""));
	/* "about 20 lines for a 64 KiB dd": the text tree stays short */
	for (const char *p = T(&col, i); *p; p++)
		lines += *p == '\n';
	assert_true(lines <= 30);
	assert_non_null(strstr(T(&col, i), "mm_filemap_delete_from_page_cache [tp] ×16"));

	/* extending write on vfat: buffered fallback with its reason */
	i = find_tree(&col, "/tmp/vf/n.bin", "\"syscall\":\"pwrite64\"");
	assert_true(i >= 0);
	assert_non_null(strstr(J(&col, i), "\"fallback\":true,\"fallback_reason\":\"fat_direct_IO"));

	/* misaligned: EINVAL */
	i = find_tree(&col, "/tmp/vf/d.bin", "\"count\":100,");
	assert_true(i >= 0);
	assert_non_null(strstr(J(&col, i), "\"ret\":-22"));
	assert_non_null(strstr(J(&col, i), "\"kind\":\"einval\""));

	/* mmap lab: the 8 KiB direct write unmaps, and the mapper refaults */
	i = find_tree(&col, "/tmp/vf/d.bin", "\"count\":8192");
	assert_true(i >= 0);
	assert_non_null(strstr(J(&col, i), "\"unmap_mapping_pages\""));
	assert_non_null(strstr(J(&col, i), "processes that had the file mapped: "));
	assert_true(col.refaults >= 1);
	assert_true(col.refault_index <= 1);
	/* named by the write that dropped the page, for report --path */
	assert_string_equal(col.refault_path, "/tmp/vf/d.bin");
	collect_free(&col);
	free(c.syms);
	c.syms = NULL;	/* c is static: the next load must not see it */
}

static void test_recorded_vfat_61(void **state)
{
	(void)state;
	check_vfat_recording("vfat-6.1.dtr", "get_user_pages_fast", "GET");
}

static void test_recorded_vfat_612(void **state)
{
	(void)state;
	check_vfat_recording("vfat-6.12.dtr", "pin_user_pages_fast", "PIN");
}

/* 6.1's __blockdev_direct_IO takes FOLL_GET references: they are not pins,
 * and the summary must not call them that. */
static void check_pin_words(const char *name, const char *want, const char *kind,
			    const char *never)
{
	static struct dt_ctx c;
	struct collect col = { 0 };
	char k[64];
	int i;

	assert_int_equal(load_recording(name, &c, &col), 0);
	i = find_tree(&col, "/tmp/vf/d.bin", "\"count\":65536");
	assert_true(i >= 0);
	assert_non_null(strstr(T(&col, i), want));
	assert_null(strstr(T(&col, i), never));
	snprintf(k, sizeof(k), "\"pages_pinned\":16,\"pin_kind\":\"%s\"", kind);
	assert_non_null(strstr(J(&col, i), k));
	collect_free(&col);
	free(c.syms);
	c.syms = NULL;	/* c is static: the next load must not see it */
}

static void test_foll_get_is_not_pinning(void **state)
{
	(void)state;
	check_pin_words("vfat-6.1.dtr", "=> direct I/O via __blockdev_direct_IO: 16 page references "
			"(FOLL_GET, not counted as pins)", "GET", "pages pinned");
	check_pin_words("vfat-6.12.dtr", "=> direct I/O via __blockdev_direct_IO: 16 pages pinned "
			"(FOLL_PIN)", "PIN", "page references");
}

/* Every "└─" is the last of its siblings: no line after it continues at its
 * column before the tree returns to a shallower one.  Columns count
 * characters, not bytes (the box-drawing ones are three bytes each). */
static int branch_col(const char *line, const char *end, bool *last)
{
	int col = 0;

	for (const char *p = line; p < end; p++) {
		if (!strncmp(p, "├─", strlen("├─")) || !strncmp(p, "└─", strlen("└─"))) {
			*last = !strncmp(p, "└─", strlen("└─"));
			return col;
		}
		if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	}
	return -1;
}

static void assert_tree_drawing(const char *text)
{
	int n = 0, col[512];
	bool last[512];

	for (const char *p = text; *p && n < 512; n++) {
		const char *e = strchr(p, '\n');

		if (!e)
			e = p + strlen(p);
		col[n] = branch_col(p, e, &last[n]);
		p = *e ? e + 1 : e;
	}
	for (int i = 0; i < n; i++) {
		if (col[i] < 0 || !last[i])
			continue;
		for (int j = i + 1; j < n; j++) {
			if (col[j] < 0 || col[j] > col[i])
				continue;
			if (col[j] == col[i])
				print_error("line %d is drawn as the last branch, but line %d is "
					    "its sibling:\n%s", i + 1, j + 1, text);
			assert_true(col[j] < col[i]);
			break;
		}
	}
}

static void check_async_recording(const char *name)
{
	static struct dt_ctx c;
	struct collect col = { 0 };
	int i, uring = 0;

	assert_int_equal(load_recording(name, &c, &col), 0);
	assert_true(col.n >= 3);
	for (i = 0; i < col.n; i++) {
		const char *t = T(&col, i);

		assert_tree_drawing(t);
		/* no "fd=4 , 1 bytes": the ring's fd, the SQE count and the file */
		assert_null(strstr(t, " , "));
		if (strstr(J(&col, i), "\"syscall\":\"io_uring_enter\"") &&
		    strstr(J(&col, i), "\"io_write\"")) {
			assert_non_null(strstr(t, "io_uring_enter(ring fd="));
			assert_non_null(strstr(t, ", to_submit=1, file /mnt/x/"));
			assert_null(strstr(t, "bytes)"));
			uring++;
		}
		assert_null(strstr(t, "4294966"));
	}
	assert_true(uring >= 1);
	/* the file comes from the request: filters and the syscall line see it */
	i = find_tree(&col, "/mnt/x/u.bin", "\"syscall\":\"io_uring_enter\"");
	assert_true(i >= 0);
	assert_non_null(strstr(J(&col, i), "\"o_direct\":true"));
	i = find_tree(&col, "/mnt/x/w.bin", "\"syscall\":\"io-wq\"");
	assert_true(i >= 0);
	assert_non_null(strstr(T(&col, i), "io-wq(io_write, file /mnt/x/w.bin)"));
	assert_non_null(strstr(J(&col, i), "\"dio\":true"));
	i = find_tree(&col, "/mnt/x/a.bin", "\"syscall\":\"io_submit\"");
	assert_true(i >= 0);
	assert_non_null(strstr(T(&col, i), "io_submit(nr=1, file /mnt/x/a.bin)"));
	assert_non_null(strstr(J(&col, i), "\"dio\":true"));
	collect_free(&col);
	free(c.syms);
	c.syms = NULL;	/* c is static: the next load must not see it */
}

static void test_recorded_async_61(void **state)
{
	(void)state;
	check_async_recording("async-6.1.dtr");
}

static void test_recorded_async_612(void **state)
{
	(void)state;
	check_async_recording("async-6.12.dtr");
}

/* dtape's queued io_uring writes: io_write returns -EIOCBQUEUED as an int,
 * which fexit/kretprobe hand over as a 64-bit register: 4294966767. */
static void check_eiocbqueued(const char *name)
{
	static struct dt_ctx c;
	struct collect col = { 0 };
	int queued = 0;

	assert_int_equal(load_recording(name, &c, &col), 0);
	assert_true(col.n >= 1);
	for (int i = 0; i < col.n; i++) {
		assert_null(strstr(T(&col, i), "4294966767"));
		assert_null(strstr(J(&col, i), "4294966767"));
		if (strstr(T(&col, i), "= -529 (EIOCBQUEUED: queued, completes later)")) {
			assert_non_null(strstr(J(&col, i), "\"ret\":-529"));
			queued++;
		}
	}
	assert_true(queued >= 1);
	collect_free(&col);
	free(c.syms);
	c.syms = NULL;	/* c is static: the next load must not see it */
}

static void test_recorded_eiocbqueued(void **state)
{
	(void)state;
	check_eiocbqueued("dtape-uring-6.1.dtr");
	check_eiocbqueued("dtape-uring-6.12.dtr");
}

/* Siblings under a folded frame (__iomap_dio_rw) were drawn as two last
 * branches: check every tree of every recording. */
static void test_recorded_tree_drawing(void **state)
{
	static const char *const recs[] = { "vfat-6.1.dtr", "vfat-6.12.dtr", "9p-6.12.dtr",
					    "9p-6.1.dtr", "async-6.1.dtr", "async-6.12.dtr",
					    "dtape-uring-6.1.dtr", "dtape-uring-6.12.dtr" };

	(void)state;
	for (size_t r = 0; r < sizeof(recs) / sizeof(recs[0]); r++) {
		static struct dt_ctx c;
		struct collect col = { 0 };

		assert_int_equal(load_recording(recs[r], &c, &col), 0);
		for (int i = 0; i < col.n; i++)
			assert_tree_drawing(T(&col, i));
		collect_free(&col);
		free(c.syms);
		c.syms = NULL;	/* c is static: the next load must not see it */
	}
}

/* A read from the lab VM's 9p host mount (recorded with --include-9p):
 * the buffer is handed to the 9p transport, which is not direct I/O. */
static void check_9p_recording(const char *name, const char *what)
{
	static struct dt_ctx c;
	struct collect col = { 0 };
	int n9p = 0;

	assert_int_equal(load_recording(name, &c, &col), 0);
	for (int i = 0; i < col.n; i++) {
		if (!strstr(J(&col, i), "v9fs_file_read_iter"))
			continue;
		n9p++;
		assert_null(strstr(T(&col, i), "direct I/O via ?"));
		assert_non_null(strstr(J(&col, i), "\"dio\":false"));
		if (strstr(J(&col, i), "\"pages_pinned\":0,"))
			continue;
		assert_non_null(strstr(T(&col, i), "=> not direct I/O: "));
		assert_non_null(strstr(T(&col, i), what));
		assert_non_null(strstr(J(&col, i), "\"kind\":\"netfs\""));
	}
	assert_true(n9p >= 1);
	collect_free(&col);
	free(c.syms);
	c.syms = NULL;	/* c is static: the next load must not see it */
}

static void test_recorded_9p(void **state)
{
	(void)state;
	check_9p_recording("9p-6.12.dtr", "netfs's unbuffered read pinned the reader's buffer to "
			   "hand it to the 9p transport");
	check_9p_recording("9p-6.1.dtr", "the 9p client referenced the reader's buffer");
}

static void test_recorded_dot(void **state)
{
	static struct dt_ctx c;
	struct collect col = { 0 };
	char path[512], *buf = NULL;
	size_t len = 0;
	FILE *f, *out;

	(void)state;
	/* render DOT straight from the recording's first direct write */
	snprintf(path, sizeof(path), "%s/vfat-6.12.dtr", DT_DATA);
	f = fopen(path, "rb");
	assert_non_null(f);
	if (!f)
		return;
	memset(&c, 0, sizeof(c));
	dt_ctx_init_static(&c);
	col.c = &c;
	{
		struct dt_builder *b = dt_builder_new(&c, &cbs, &col);
		char err[160];

		assert_int_equal(record_read(f, &c, rec_event, b, err, sizeof(err)), 0);
		dt_builder_free(b);
	}
	fclose(f);
	assert_true(col.n > 0);
	out = open_memstream(&buf, &len);
	{
		/* rebuild one tree to hand it to the DOT renderer */
		struct dt_tree t = { 0 };
		struct dt_node n = { 0 };
		struct render_opts o = { 0 };

		t.seq = 1;
		t.top.first = t.top.last = &n;
		n.parent = &t.top;
		n.depth = 1;
		n.kind = NODE_CALL;
		n.ev.step = DT_SUBMIT_BIO;
		n.ev.obj.has_bio = 1;
		n.ev.obj.bi_size = 65536;
		n.ev.obj.bi_opf = 1;
		n.exited = true;
		snprintf(t.path, sizeof(t.path), "/x");
		render_dot(out, &c, &t, &o);
	}
	fclose(out);
	assert_non_null(strstr(buf, "digraph diotrace_1 {"));
	assert_non_null(strstr(buf, "n0 -> n1 [label=\"1\"];"));
	assert_non_null(strstr(buf, "size=65536 WRITE"));
	free(buf);
	collect_free(&col);
	free(c.syms);
	c.syms = NULL;	/* c is static: the next load must not see it */
}

/* --path keeps a directory and what is under it, not a sibling that shares
 * its first letters (/mnt/x2 is not under /mnt/x). */
static void test_path_filter_is_by_component(void **state)
{
	(void)state;
	assert_true(dt_path_under("/mnt/x", "/mnt/x"));
	assert_true(dt_path_under("/mnt/x/f", "/mnt/x"));
	assert_true(dt_path_under("/mnt/x/f", "/mnt/x/"));
	assert_true(dt_path_under("/mnt/x/d/f", "/mnt/x"));
	assert_false(dt_path_under("/mnt/x2", "/mnt/x"));
	assert_false(dt_path_under("/mnt/x2/f", "/mnt/x"));
	assert_false(dt_path_under("/mnt", "/mnt/x"));
	assert_false(dt_path_under("", "/mnt/x"));
	assert_true(dt_path_under("/tmp/a", "/"));
	/* an exact file name works too */
	assert_true(dt_path_under("/tmp/dt-async/u.bin", "/tmp/dt-async/u.bin"));
	assert_false(dt_path_under("/tmp/dt-async/u.bin2", "/tmp/dt-async/u.bin"));
}

/* The end object carries the schema version docs/diotrace-json.md names. */
static void test_end_object_carries_the_schema(void **state)
{
	static struct dt_ctx c;
	uint64_t fired[DT_STEP__N] = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	dt_ctx_init_static(&c);
	snprintf(c.release, sizeof(c.release), "6.1.0-test");
	c.lost_total = 3;
	render_json_end(f, &c, fired, 7, 12.5);
	fclose(f);
	assert_string_equal(buf, "{\"type\":\"end\",\"schema\":2,\"kernel\":\"6.1.0-test\","
			    "\"emulated\":null,\"accel\":\"unknown\",\"trees\":7,\"lost\":3,\"attach_ms\":12.5,\"never_fired\":[]}\n");
	free(buf);
}

/* The labs ship gzipped recordings: they read exactly like the plain file. */
static void test_gzipped_recording_reads_the_same(void **state)
{
	static struct dt_ctx c1, c2;
	struct collect plain = { 0 }, packed = { 0 };
	char path[] = "/tmp/test_diotrace.XXXXXX", src[512], buf[4096];
	FILE *in;
	gzFile out;
	size_t n;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	snprintf(src, sizeof(src), "%s/vfat-6.12.dtr", DT_DATA);
	in = fopen(src, "rb");
	assert_non_null(in);
	out = gzdopen(fd, "wb9");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(gzwrite(out, buf, (unsigned int)n), (int)n);
	fclose(in);
	assert_int_equal(gzclose(out), Z_OK);

	assert_int_equal(load_recording("vfat-6.12.dtr", &c1, &plain), 0);
	assert_int_equal(load_recording(path, &c2, &packed), 0);
	unlink(path);
	assert_true(plain.n >= 4);
	assert_int_equal(packed.n, plain.n);
	for (int i = 0; i < plain.n; i++) {
		assert_string_equal(packed.json[i], plain.json[i]);
		assert_string_equal(packed.text[i], plain.text[i]);
	}
	collect_free(&plain);
	collect_free(&packed);
}


/* ------------------------------------------------------ chrome timeline */

static void aio_submit(struct dt_builder *b, uint64_t *submitted)
{
	feed_root(b, 7, SYS_IO_SUBMIT, O_DIRECT, 0, 1, -1);
	enter(b, DT_AIO_WRITE);
	enter(b, DT_DTAPE_WRITE);
	feed_dtape(b, 7, EV_TP, DT_TP_DTAPE_SUBMIT, 1, 0, 1, 0);
	*submitted = clock_ns;
	leave(b, DT_DTAPE_WRITE, -529);
	leave(b, DT_AIO_WRITE, 0);
	feed(b, 7, EV_ROOT_EXIT, 0, 1);
}

/* The worker's events for the next time since @submitted. */
static void worker_ev(struct dt_builder *b, uint8_t tp, uint64_t submitted)
{
	feed_dtape(b, 7, EV_WORKER, tp, tp == DT_TP_DTAPE_COMPLETE ? 65536 : 16, 1 << 8, 0,
		   (int64_t)(clock_ns + 100 - submitted));
}

/* An io_submit whose record the worker places and completes, as a timeline. */
static char *aio_timeline(uint32_t wtid)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint64_t submitted;

	ctx_setup();
	worker_tid = wtid;
	col.chrome = chrome_open(f);
	assert_non_null(col.chrome);
	b = dt_builder_new(&ctx, &cbs, &col);
	aio_submit(b, &submitted);
	worker_ev(b, DT_TP_DTAPE_TRANSFER, submitted);
	worker_ev(b, DT_TP_DTAPE_COMPLETE, submitted);
	assert_int_equal(chrome_close(col.chrome, &ctx), 0);	/* closes f */
	worker_tid = 0;
	dt_builder_free(b);
	collect_free(&col);
	return buf;
}

/* The submission, on the submitter's thread, starts a flow that ends in
 * the worker's slice, on the worker's own thread. */
static void test_chrome_worker_track_and_flow(void **state)
{
	char *j = aio_timeline(99);

	(void)state;
	assert_non_null(strstr(j, "{\"traceEvents\":["));
	assert_non_null(strstr(j, "{\"ph\":\"X\",\"name\":\"io_submit /mnt/f.bin\",\"cat\":\"syscall\","
			       "\"pid\":7,\"tid\":7,\"ts\":1.100,\"dur\":0.600,"));
	assert_non_null(strstr(j, "{\"ph\":\"X\",\"name\":\"aio_write\",\"cat\":\"async\",\"pid\":7,"
			       "\"tid\":7,\"ts\":1.200,\"dur\":0.400,"));
	assert_non_null(strstr(j, "{\"ph\":\"i\",\"name\":\"dtape_submit\",\"cat\":\"dtape\",\"pid\":7,"
			       "\"tid\":7,\"ts\":1.400,\"s\":\"t\""));
	assert_non_null(strstr(j, "{\"ph\":\"M\",\"name\":\"thread_name\",\"cat\":\"__metadata\","
			       "\"pid\":99,\"tid\":99,\"ts\":0.000,\"args\":{\"name\":\"dtape0\"}}"));
	assert_non_null(strstr(j, "{\"ph\":\"X\",\"name\":\"record of unit\",\"cat\":\"dtape\",\"pid\":99,"
			       "\"tid\":99,\"ts\":1.800,\"dur\":0.100,"));
	assert_non_null(strstr(j, "{\"ph\":\"s\",\"name\":\"dtape record\",\"cat\":\"dtape\",\"pid\":7,"
			       "\"tid\":7,\"ts\":1.400,\"id\":1}"));
	assert_non_null(strstr(j, "{\"ph\":\"f\",\"name\":\"dtape record\",\"cat\":\"dtape\",\"pid\":99,"
			       "\"tid\":99,\"ts\":1.850,\"bp\":\"e\",\"id\":1}"));
	assert_non_null(strstr(j, "\"displayTimeUnit\":\"ns\""));
	/* nothing of the worker's on the submitter's thread */
	assert_null(strstr(j, "\"name\":\"dtape_complete\",\"cat\":\"dtape\",\"pid\":7"));
	free(j);
}

/* Recordings made before the worker's thread id was noted: a track of its
 * own all the same, under an id no real task has. */
static void test_chrome_worker_without_tid(void **state)
{
	char *j = aio_timeline(0);

	(void)state;
	assert_non_null(strstr(j, "\"pid\":4194304,\"tid\":4194304,\"ts\":0.000,"
			       "\"args\":{\"name\":\"dtape0 drive worker (thread id not recorded)\"}}"));
	assert_non_null(strstr(j, "{\"ph\":\"f\",\"name\":\"dtape record\",\"cat\":\"dtape\","
			       "\"pid\":4194304,"));
	free(j);
}

/* A program that reuses its buffer submits the next record under the same
 * address: the worker's events back to back are still two records, each
 * with its own flow. */
static void test_chrome_reused_buffer(void **state)
{
	struct collect col = { .c = &ctx };
	struct dt_builder *b;
	uint64_t s1, s2;
	char *j = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&j, &len);

	(void)state;
	ctx_setup();
	col.chrome = chrome_open(f);
	b = dt_builder_new(&ctx, &cbs, &col);
	aio_submit(b, &s1);
	aio_submit(b, &s2);
	worker_ev(b, DT_TP_DTAPE_TRANSFER, s1);
	worker_ev(b, DT_TP_DTAPE_COMPLETE, s1);
	worker_ev(b, DT_TP_DTAPE_TRANSFER, s2);
	worker_ev(b, DT_TP_DTAPE_COMPLETE, s2);
	assert_int_equal(chrome_close(col.chrome, &ctx), 0);
	dt_builder_free(b);
	collect_free(&col);
	/* submissions at 1.400 and 2.100, the worker's records from 2.500 and 2.700 */
	assert_non_null(strstr(j, "\"ph\":\"s\",\"name\":\"dtape record\",\"cat\":\"dtape\",\"pid\":7,"
			       "\"tid\":7,\"ts\":1.400,\"id\":1}"));
	assert_non_null(strstr(j, "\"ph\":\"f\",\"name\":\"dtape record\",\"cat\":\"dtape\",\"pid\":4194304,"
			       "\"tid\":4194304,\"ts\":2.550,\"bp\":\"e\",\"id\":1}"));
	assert_non_null(strstr(j, "\"ph\":\"s\",\"name\":\"dtape record\",\"cat\":\"dtape\",\"pid\":7,"
			       "\"tid\":7,\"ts\":2.100,\"id\":2}"));
	assert_non_null(strstr(j, "\"ph\":\"f\",\"name\":\"dtape record\",\"cat\":\"dtape\",\"pid\":4194304,"
			       "\"tid\":4194304,\"ts\":2.750,\"bp\":\"e\",\"id\":2}"));
	free(j);
}

/* ------------------------------------------------- emulated or native */

static void test_machine_classify(void **state)
{
	char a[DT_ACCEL_LEN];

	(void)state;
	/* what the lab VM's guest sees under -accel tcg, and under KVM */
	assert_int_equal(dt_machine_classify(true, "TCGTCGTCGTCG", a, sizeof(a)), DT_EMUL_YES);
	assert_string_equal(a, "tcg");
	assert_int_equal(dt_machine_classify(true, "KVMKVMKVM\0\0\0", a, sizeof(a)), DT_EMUL_NO);
	assert_string_equal(a, "kvm");
	/* bare metal: no hypervisor bit, whatever the leaf holds */
	assert_int_equal(dt_machine_classify(false, "TCGTCGTCGTCG", a, sizeof(a)), DT_EMUL_NO);
	assert_string_equal(a, "none");
	/* a hypervisor that hides its name is not guessed */
	assert_int_equal(dt_machine_classify(true, "\0\0\0\0\0\0\0\0\0\0\0\0", a, sizeof(a)),
			 DT_EMUL_UNKNOWN);
	assert_string_equal(a, "unknown");
}

static int count_events(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	(*(int *)arg)++;
	return 0;
}

/* A new recording says whether its machine was emulated; one from before
 * that was noted reads as unknown, never as native. */
static void test_recording_keeps_emulation(void **state)
{
	static struct dt_ctx w, r;
	char path[] = "/tmp/test_diotrace.XXXXXX", err[160];
	int fd, n = 0;
	FILE *f;

	(void)state;
	dt_ctx_init_static(&w);
	snprintf(w.release, sizeof(w.release), "6.12.0-test");
	w.emulated = DT_EMUL_YES;
	snprintf(w.accel, sizeof(w.accel), "tcg");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(record_write_header(f, &w), 0);
	fclose(f);
	f = record_open(path);
	assert_non_null(f);
	dt_ctx_init_static(&r);
	assert_int_equal(record_read(f, &r, count_events, &n, err, sizeof(err)), 0);
	fclose(f);
	unlink(path);
	assert_int_equal(r.emulated, DT_EMUL_YES);
	assert_string_equal(r.accel, "tcg");

	memset(&r, 0, sizeof(r));
	dt_ctx_init_static(&r);
	f = record_open(DT_DATA "/vfat-6.1.dtr");
	assert_non_null(f);
	assert_int_equal(record_read(f, &r, count_events, &n, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(r.emulated, DT_EMUL_UNKNOWN);
	assert_true(n > 0);
	free(r.syms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_and_durations),
		cmocka_unit_test(test_path_filter_is_by_component),
		cmocka_unit_test(test_end_object_carries_the_schema),
		cmocka_unit_test(test_chrome_worker_track_and_flow),
		cmocka_unit_test(test_chrome_worker_without_tid),
		cmocka_unit_test(test_chrome_reused_buffer),
		cmocka_unit_test(test_machine_classify),
		cmocka_unit_test(test_recording_keeps_emulation),
		cmocka_unit_test(test_gzipped_recording_reads_the_same),
		cmocka_unit_test(test_lost_exit_is_closed),
		cmocka_unit_test(test_two_threads_interleaved),
		cmocka_unit_test(test_vfat_fallback_reason),
		cmocka_unit_test(test_einval_annotation),
		cmocka_unit_test(test_json_numbers_and_escapes),
		cmocka_unit_test(test_missing_step_reported),
		cmocka_unit_test(test_flag_decoding),
		cmocka_unit_test(test_mappers_parse_line),
		cmocka_unit_test(test_dtape_sync_queued),
		cmocka_unit_test(test_dtape_aio_completion_after_return),
		cmocka_unit_test(test_dtape_fallback_sync_and_queued),
		cmocka_unit_test(test_summary_names_the_dtape_engine),
		cmocka_unit_test(test_recorded_vfat_61),
		cmocka_unit_test(test_recorded_vfat_612),
		cmocka_unit_test(test_recorded_dot),
		cmocka_unit_test(test_foll_get_is_not_pinning),
		cmocka_unit_test(test_recorded_async_61),
		cmocka_unit_test(test_recorded_async_612),
		cmocka_unit_test(test_recorded_tree_drawing),
		cmocka_unit_test(test_recorded_9p),
		cmocka_unit_test(test_recorded_eiocbqueued),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
