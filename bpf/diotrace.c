// SPDX-License-Identifier: GPL-2.0
/*
 * diotrace: show one read()/write() travelling the direct-I/O path.
 *
 *   diotrace [OPTIONS] [-- CMD ARGS]     trace live
 *   diotrace record -o FILE [OPTIONS] [-- CMD ARGS]
 *   diotrace report [OPTIONS] FILE       render a recording, no root needed
 *   diotrace diff [OPTIONS] A B          compare two recordings (diff_cmd.c)
 *   diotrace --list                      how each step is attached, and why
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "dtctx.h"
#include "diff_cmd.h"
#include "diotrace.skel.h"
#include "record.h"
#include "render.h"
#include "mappers.h"
#include "resolve.h"
#include "tree.h"

enum mode { MODE_TRACE, MODE_RECORD, MODE_REPORT };

/* fentry: a trampoline per function, the cheapest per call.  kprobes: one
 * shared program pair for vmlinux's steps, the cheapest to load and attach. */
enum attach_mode { ATTACH_FENTRY, ATTACH_KPROBES };

static struct env {
	enum mode mode;
	pid_t pid;
	const char *comm;
	const char *path;
	const char *dev;
	bool rd, wr;
	int depth;
	bool json, summary, dot, list, verbose, all, no_collapse, sync_detach;
	bool include_9p, show_vfs_only;
	int argc;		/* the command line as typed, for the lab VM hint */
	char **argv;
	const char *out;
	const char *btf;
	long count;
	double duration;
	unsigned long ringbuf_kb;	/* 0: the BPF object's own size */
	char **cmd;
	const char *report_file;
	const char *chrome;	/* --chrome-trace FILE */
	enum attach_mode attach;
} env;

static volatile sig_atomic_t exiting;	/* the signal that asked us to stop */
static struct sigaction given_int, given_term;	/* what the command starts with */

static void on_signal(int sig)
{
	exiting = sig;
}

/* From the first step on, Ctrl-C stops diotrace cleanly: detached, no command left. */
static void catch_signals(void)
{
	/* SA_RESTART as signal() gives; epoll_wait returns EINTR regardless */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &given_int);
	sigaction(SIGTERM, &sa, &given_term);
}

const char *argp_program_version = "diotrace 1.0";
static const char doc[] =
"diotrace: trace write()/read() down the direct-I/O path as a call tree.\n"
"\n"
"  diotrace [OPTIONS] [-- CMD ARGS]\n"
"  diotrace record -o FILE [OPTIONS] [-- CMD ARGS]\n"
"  diotrace report [OPTIONS] FILE\n"
"  diotrace report --chrome-trace OUT.json FILE   a timeline for Perfetto's UI\n"
"  diotrace diff [OPTIONS] A B      (diotrace diff --help)\n"
"\n"
"The JSON schema is documented in docs/diotrace-json.md.";

enum { OPT_PATH = 1000, OPT_DEV, OPT_READ, OPT_WRITE, OPT_DEPTH, OPT_JSON, OPT_SUMMARY,
       OPT_DOT, OPT_LIST, OPT_BTF, OPT_ALL, OPT_NOCOLLAPSE, OPT_SYNC_DETACH, OPT_9P,
       OPT_VFS_ONLY, OPT_CHROME, OPT_ATTACH, OPT_RINGBUF };

static const struct argp_option opts[] = {
	{ "pid", 'p', "PID", 0, "Trace this process (and its children)", 0 },
	{ "comm", 'c', "COMM", 0, "Trace tasks with this command name", 0 },
	{ "path", OPT_PATH, "PREFIX", 0, "Only syscalls on files under PREFIX", 0 },
	{ "dev", OPT_DEV, "MAJ:MIN", 0, "Only syscalls on this device", 0 },
	{ "read", OPT_READ, NULL, 0, "Trace reads only", 0 },
	{ "write", OPT_WRITE, NULL, 0, "Trace writes only", 0 },
	{ "depth", OPT_DEPTH, "N", 0, "Show the tree down to depth N", 0 },
	{ "json", OPT_JSON, NULL, 0, "One JSON object per syscall", 0 },
	{ "summary", OPT_SUMMARY, NULL, 0, "Counts and latency per function/path at exit", 0 },
	{ "dot", OPT_DOT, NULL, 0, "Graphviz call graph per syscall", 0 },
	{ "chrome-trace", OPT_CHROME, "FILE", 0,
	  "Also write the trees as a timeline to FILE: Chrome trace-event JSON, which "
	  "Perfetto's UI and chrome://tracing open (live or with report; not with record)", 0 },
	{ "list", OPT_LIST, NULL, 0, "Print the symbol resolution table and exit", 0 },
	{ "verbose", 'v', NULL, 0, "Resolution table and attach time at start-up", 0 },
	{ "output", 'o', "FILE", 0, "Write output (or the recording) to FILE", 0 },
	{ "count", 'n', "N", 0, "Stop after N syscall trees", 0 },
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds", 0 },
	{ "btf", OPT_BTF, "FILE", 0, "Kernel BTF to use instead of /sys/kernel/btf/vmlinux", 0 },
	{ "all", OPT_ALL, NULL, 0, "Also show folded helper frames", 0 },
	{ "no-collapse", OPT_NOCOLLAPSE, NULL, 0, "Do not merge repeated sibling calls", 0 },
	{ "attach", OPT_ATTACH, "MODE", 0,
	  "fentry (default): a BPF trampoline per function, the cheapest per call; "
	  "kprobes: the functions in vmlinux share one pair of kprobe programs, on one "
	  "kprobe.multi link where the kernel has them (seconds faster to start and stop "
	  "in an emulated VM)", 0 },
	{ "ringbuf-kb", OPT_RINGBUF, "KIB", 0,
	  "Size of the ring buffer the probes report through (default 32768), a power "
	  "of 2 from 4; when it fills, events are lost, counted and the trees marked "
	  "incomplete", 0 },
	{ "sync-detach", OPT_SYNC_DETACH, NULL, 0,
	  "Wait for every probe to be detached before exiting", 0 },
	{ "include-9p", OPT_9P, NULL, 0,
	  "Also trace files on 9p mounts (left out by default: in the lab VM the host root "
	  "and the project tree are 9p, so every program start reads its libraries there)", 0 },
	{ "show-vfs-only", OPT_VFS_ONLY, NULL, 0,
	  "Also show buffered syscalls that went no further than vfs_read/vfs_write "
	  "(pipes, terminals, /dev/zero)", 0 },
	{ 0 },
};

static int parse_attach(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "fentry"))
		env.attach = ATTACH_FENTRY;
	else if (!strcmp(s, "kprobes"))
		env.attach = ATTACH_KPROBES;
	else
		return -1;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	char *end;

	switch (key) {
	case 'p':
		errno = 0;
		env.pid = strtol(arg, &end, 10);
		if (errno || *end || env.pid <= 0)
			argp_error(st, "invalid PID: %s", arg);
		break;
	case 'c': env.comm = arg; break;
	case OPT_PATH: env.path = arg; break;
	case OPT_DEV: env.dev = arg; break;
	case OPT_READ: env.rd = true; break;
	case OPT_WRITE: env.wr = true; break;
	case OPT_DEPTH:
		errno = 0;
		env.depth = strtol(arg, &end, 10);
		if (errno || end == arg || *end || env.depth <= 0)
			argp_error(st, "invalid depth: %s", arg);
		break;
	case OPT_JSON: env.json = true; break;
	case OPT_SUMMARY: env.summary = true; break;
	case OPT_DOT: env.dot = true; break;
	case OPT_CHROME: env.chrome = arg; break;
	case OPT_LIST: env.list = true; break;
	case 'v': env.verbose = true; break;
	case 'o': env.out = arg; break;
	case 'n':
		errno = 0;
		env.count = strtol(arg, &end, 10);
		if (errno || end == arg || *end || env.count <= 0)
			argp_error(st, "invalid count (a number of trees, at least 1): %s", arg);
		break;
	case 'd':
		errno = 0;
		env.duration = strtod(arg, &end);
		if (errno || end == arg || *end || !(env.duration > 0) || env.duration > 1e6)
			argp_error(st, "invalid duration (seconds, more than 0): %s", arg);
		break;
	case OPT_BTF: env.btf = arg; break;
	case OPT_ALL: env.all = true; break;
	case OPT_NOCOLLAPSE: env.no_collapse = true; break;
	case OPT_SYNC_DETACH: env.sync_detach = true; break;
	case OPT_ATTACH:
		if (parse_attach(arg))
			argp_error(st, "--attach wants fentry or kprobes, got %s", arg);
		break;
	case OPT_RINGBUF:
		errno = 0;
		env.ringbuf_kb = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || env.ringbuf_kb < 4 || env.ringbuf_kb > (1UL << 20) ||
		    (env.ringbuf_kb & (env.ringbuf_kb - 1)))
			argp_error(st, "invalid ring buffer size (KiB, a power of 2 from 4 to 1048576): %s",
				   arg);
		break;
	case OPT_9P: env.include_9p = true; break;
	case OPT_VFS_ONLY: env.show_vfs_only = true; break;
	case ARGP_KEY_ARG:
		if (env.mode == MODE_REPORT && !env.report_file) {
			env.report_file = arg;
			break;
		}
		/* everything from here on is the command to run */
		env.cmd = &st->argv[st->next - 1];
		st->next = st->argc;
		break;
	case ARGP_KEY_END:
		if (env.mode == MODE_REPORT && !env.report_file)
			argp_error(st, "report needs a recording FILE");
		if (env.mode == MODE_RECORD && !env.out)
			argp_error(st, "record needs -o FILE");
		if (env.mode == MODE_RECORD && env.chrome)
			argp_error(st, "record keeps the raw events; make the timeline from the "
				   "recording: diotrace report --chrome-trace OUT.json %s", env.out);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* ------------------------------------------------------------- output */

struct out_state {
	struct dt_ctx *c;
	FILE *out;
	FILE *rec;
	struct render_opts ro;
	struct dt_summary *sum;
	struct chrome_trace *chrome;
	long trees;
	long hidden_vfs, hidden_9p;
	uint64_t skipped_9p;	/* left out in BPF, before a tree was started */
	unsigned devmaj, devmin;
	bool devfilter;
	int flush_known;	/* 0: not yet; 1: a regular file; 2: flush each tree */
	uint64_t fired[DT_STEP__N];	/* entries per step, counted as events arrive */
	bool done;		/* -n trees are out: the main loop may end */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A terminal or a pipe gets each tree at once; a file (-o) is written in
 * stdio's blocks, which keeps the consumer ahead of the ring buffer. */
static void live_flush(struct out_state *s)
{
	struct stat st;

	if (s->flush_known == 0)
		s->flush_known = fstat(fileno(s->out), &st) == 0 && S_ISREG(st.st_mode) ? 1 : 2;
	if (s->flush_known == 2)
		fflush(s->out);
}

static void on_tree(struct dt_tree *t, void *arg)
{
	struct out_state *s = arg;

	if (env.path && !dt_path_under(t->path, env.path))
		return;
	if (s->devfilter && ((t->root.ev.obj.dev >> 20) != s->devmaj ||
			     (t->root.ev.obj.dev & 0xfffff) != s->devmin))
		return;
	/* BPF leaves 9p syscalls out; an async request's file is known only
	 * once the tree has started, and report may read a --include-9p run */
	if (t->root.ev.obj.on_9p && !env.include_9p) {
		s->hidden_9p++;
		return;
	}
	if (t->vfs_only && !t->o_direct && t->exited && t->ret >= 0 && !env.show_vfs_only) {
		s->hidden_vfs++;
		return;
	}
	s->trees++;
	if (s->sum)
		summary_add(s->sum, s->c, t);
	if (env.json)
		render_json(s->out, s->c, t, &s->ro);
	else if (env.dot)
		render_dot(s->out, s->c, t, &s->ro);
	else if (!env.summary)
		render_text(s->out, s->c, t, &s->ro);
	if (s->chrome)
		chrome_tree(s->chrome, s->c, t, &s->ro);
	live_flush(s);
	if (env.count && s->trees >= env.count)
		s->done = true;
}

static void on_refault(struct dt_refault *r, void *arg)
{
	struct out_state *s = arg;

	if (env.path && !dt_path_under(r->path, env.path))
		return;
	if (env.json)
		render_json_refault(s->out, s->c, r);
	else if (!env.dot && !env.summary)
		render_text_refault(s->out, s->c, r);
	if (s->chrome)
		chrome_refault(s->chrome, s->c, r);
	live_flush(s);
}

static void on_worker(struct dt_worker *w, void *arg)
{
	struct out_state *s = arg;

	if (env.json)
		render_json_worker(s->out, s->c, w);
	else if (!env.dot && !env.summary)
		render_text_worker(s->out, s->c, w);
	if (s->chrome)
		chrome_worker(s->chrome, s->c, w);
	live_flush(s);
}

static const struct dt_callbacks callbacks = {
	.tree = on_tree, .refault = on_refault, .worker = on_worker,
};

/* --chrome-trace FILE: opened before any tree, so a bad path fails early. */
static int open_chrome(struct out_state *s)
{
	FILE *f;

	if (!env.chrome)
		return 0;
	f = fopen(env.chrome, "w");
	if (!f || !(s->chrome = chrome_open(f))) {
		fprintf(stderr, "diotrace: cannot write %s: %s\n", env.chrome, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

static void close_chrome(struct out_state *s)
{
	if (!s->chrome)
		return;
	if (chrome_close(s->chrome, s->c))
		fprintf(stderr, "diotrace: writing %s failed: %s\n", env.chrome, strerror(errno));
	else
		fprintf(stderr, "diotrace: timeline written to %s (Perfetto's UI or chrome://tracing "
			"opens it)\n", env.chrome);
	s->chrome = NULL;
}

static void print_end(struct out_state *s, double attach_ms)
{
	struct dt_ctx *c = s->c;
	FILE *f = s->out;

	close_chrome(s);
	if (s->sum)
		summary_print(f, s->sum, c, env.json);
	if (env.json)
		render_json_end(f, c, s->fired, s->trees, attach_ms);
	fflush(f);
	fprintf(stderr, "diotrace: %ld syscall(s) traced, %" PRIu64 " event(s) lost%s\n", s->trees,
		c->lost_total, c->lost_total ? " (ring buffer full: trees marked incomplete)" : "");
	if (s->skipped_9p + s->hidden_9p)
		fprintf(stderr, "diotrace: left out %" PRIu64 " syscall(s) on 9p mounts (the lab VM's "
			"host root and project tree; --include-9p shows them)\n",
			s->skipped_9p + s->hidden_9p);
	if (s->hidden_vfs)
		fprintf(stderr, "diotrace: left out %ld buffered syscall(s) that went no further than "
			"the VFS (pipes, terminals, /dev/zero; --show-vfs-only shows them)\n",
			s->hidden_vfs);
	if (env.verbose || env.summary) {
		fprintf(stderr, "diotrace: attached steps that never fired:");
		for (unsigned i = 0; i < DT_STEP__N; i++)
			if (c->steps[i].method && !s->fired[i])
				fprintf(stderr, " %s", c->steps[i].sym);
		fputc('\n', stderr);
	}
}

/*
 * Where events go, one way: the ring buffer (or a recording) hands each to
 * consume(), which counts what fired and feeds the tree builder; the
 * builder calls on_tree() and friends, which render. Record mode writes
 * events to the recording instead (record_event()).
 */
struct consumer {
	struct out_state *s;
	struct dt_builder *b;
};

/* Every mode counts what fired the same way, before anything else. */
static void count_fired(struct out_state *s, const void *data, size_t len)
{
	int step = dt_event_fired_step(data, len);

	if (step >= 0)
		s->fired[step]++;
}

static void consume(struct consumer *k, const void *data, size_t len)
{
	count_fired(k->s, data, len);
	dt_builder_feed(k->b, data, len);
}

/* ------------------------------------------------------------- report */

static int report_event(const void *data, size_t len, void *arg)
{
	consume(arg, data, len);
	return 0;
}

static int do_report(void)
{
	static struct dt_ctx c;
	struct out_state s = { .c = &c, .out = stdout };
	struct dt_builder *b;
	char err[160];
	FILE *f = record_open(env.report_file);
	int rc;

	if (!f) {
		fprintf(stderr, "diotrace: cannot open %s: %s\n", env.report_file, strerror(errno));
		return EX_NOINPUT;
	}
	if (env.out && !(s.out = fopen(env.out, "w"))) {
		fprintf(stderr, "diotrace: cannot write %s: %s\n", env.out, strerror(errno));
		fclose(f);
		return EX_CANTCREAT;
	}
	dt_ctx_init_static(&c);
	if (open_chrome(&s)) {
		if (s.out != stdout)
			fclose(s.out);
		fclose(f);
		return EX_CANTCREAT;
	}
	s.ro.max_depth = env.depth;
	s.ro.no_collapse = env.no_collapse;
	s.ro.show_folded = env.all;
	if (env.summary)
		s.sum = summary_new();
	b = dt_builder_new(&c, &callbacks, &s);
	rc = record_read(f, &c, report_event, &(struct consumer){ .s = &s, .b = b }, err,
			 sizeof(err));
	fclose(f);
	if (rc) {
		fprintf(stderr, "diotrace: %s: %s\n", env.report_file, err);
		dt_builder_free(b);
		if (s.chrome) {	/* no half timeline */
			chrome_close(s.chrome, &c);
			unlink(env.chrome);
		}
		return EX_NOINPUT;
	}
	if (env.list)
		dt_print_resolution(s.out, &c);
	dt_builder_flush(b);
	print_end(&s, 0);
	dt_builder_free(b);
	summary_free(s.sum);
	return 0;
}

/* ------------------------------------------------------------- live */

/*
 * Record mode: each address's name goes into the recording before the
 * first event that needs it, so `report` symbolizes without kallsyms.
 */
static void record_event(struct out_state *s, const void *data, size_t len)
{
	const struct dt_event *e = data;

	count_fired(s, data, len);
	if (len >= sizeof(*e)) {
		const uint64_t addrs[] = { e->obj.fn1, e->obj.fn2, e->ip };

		for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
			bool added;
			const char *n = dt_sym_resolve(s->c, addrs[i], &added);

			if (n && added)
				record_write_sym(s->rec, addrs[i], n);
		}
	}
	record_write_event(s->rec, data, len);
	if (len >= sizeof(*e) && e->type == EV_ROOT_EXIT)
		s->trees++;
	if (env.count && s->trees >= env.count)
		s->done = true;
}

/* The short exit is struct dt_event's first fields, then ret. */
_Static_assert(offsetof(struct dt_exit_ev, lost) == offsetof(struct dt_event, lost) &&
	       offsetof(struct dt_exit_ev, ip) == offsetof(struct dt_event, ip) &&
	       offsetof(struct dt_exit_ev, ret) == offsetof(struct dt_event, args),
	       "struct dt_exit_ev is not a prefix of struct dt_event");

/* An exit arrives short (struct dt_exit_ev): give it the full layout. */
static void *dt_event_widen(void *data, size_t *len, struct dt_event *wide)
{
	const struct dt_exit_ev *x = data;

	if (*len != sizeof(*x))
		return data;
	memset(wide, 0, sizeof(*wide));
	memcpy(wide, x, offsetof(struct dt_exit_ev, ret));
	wide->ret = x->ret;
	*len = sizeof(*wide);
	return wide;
}

static int handle_event(void *ctx, void *data, size_t len)
{
	struct consumer *k = ctx;
	struct dt_event wide;

	data = dt_event_widen(data, &len, &wide);
	if (k->s->rec)
		record_event(k->s, data, len);
	else
		consume(k, data, len);
	return 0;
}

struct progset {
	struct bpf_program *fe, *fx, *kp, *kr;
};

static struct progset step_progs(struct diotrace_bpf *skel, unsigned i)
{
	static const char *names[DT_STEP__N] = {
#define STEP(id, cat, fl, cn, tp) [DT_##id] = #id,
#include "steps.def"
#undef STEP
	};
	struct progset p;
	char n[64];

	if (i == DT_FILEMAP_FAULT) {
		p.fe = skel->progs.fe_fault;
		p.kp = skel->progs.kp_fault;
		p.fx = p.kr = NULL;
		return p;
	}
	snprintf(n, sizeof(n), "fe_%s", names[i]);
	p.fe = bpf_object__find_program_by_name(skel->obj, n);
	snprintf(n, sizeof(n), "fx_%s", names[i]);
	p.fx = bpf_object__find_program_by_name(skel->obj, n);
	snprintf(n, sizeof(n), "kp_%s", names[i]);
	p.kp = bpf_object__find_program_by_name(skel->obj, n);
	snprintf(n, sizeof(n), "kr_%s", names[i]);
	p.kr = bpf_object__find_program_by_name(skel->obj, n);
	return p;
}

static void set_load(struct bpf_program *p, bool on)
{
	if (p)
		bpf_program__set_autoload(p, on);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("DIOTRACE_DEBUG"))
		return 0;
	if (level == LIBBPF_INFO && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Each step attaches at most two programs to its symbol and to each of its
 * clones; this is several times what the steps need. */
#define DT_MAX_LINKS 1024

struct links {
	struct bpf_link *l[DT_MAX_LINKS];
	int n;
};

/* Keep @l for detaching; NULL (the attach failed) and overflow return false. */
static bool links_add(struct links *ls, struct bpf_link *l)
{
	if (!l)
		return false;
	if (ls->n == DT_MAX_LINKS) {
		bpf_link__destroy(l);
		fprintf(stderr, "diotrace: more than %d probes; not attaching more "
			"(DT_MAX_LINKS in bpf/diotrace.c)\n", DT_MAX_LINKS);
		errno = E2BIG;
		return false;
	}
	ls->l[ls->n++] = l;
	return true;
}

static void whyadd(struct dt_stepinfo *si, const char *fmt, const char *a, int e)
{
	size_t o = strlen(si->why);

	if (o < sizeof(si->why) - 1)
		snprintf(si->why + o, sizeof(si->why) - o, "%s", o ? "; " : "");
	o = strlen(si->why);
	if (o < sizeof(si->why) - 1)
		snprintf(si->why + o, sizeof(si->why) - o, fmt, a, strerror(e));
}

/* Print ARG so that a POSIX shell reads it back as one word. */
static void shell_quote(FILE *f, const char *a)
{
	if (*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_@%+=:,./-") == strlen(a)) {
		fputs(a, f);
		return;
	}
	fputc('\'', f);
	for (; *a; a++)
		if (*a == '\'')
			fputs("'\\''", f);
		else
			fputc(*a, f);
	fputc('\'', f);
}

/*
 * The lab VM is where diotrace sees everything: on the build host (no
 * kprobes, fentry refused) or without root, say how to run the very same
 * command there.  The guest sees the project at the same path, so the
 * paths are this binary's own, resolved.  Not inside the guest itself.
 */
static void vm_hint(const char *why)
{
	char exe[4096], labvm[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *p;
	bool have_labvm;

	if (getenv("DIOLAB_GUEST"))
		return;
	if (n <= 0)
		return;
	exe[n] = 0;
	p = strstr(exe, "/build/bin/diotrace");
	have_labvm = false;
	if (p && !strcmp(p, "/build/bin/diotrace")) {
		snprintf(labvm, sizeof(labvm), "%.*s/vm/labvm", (int)(p - exe), exe);
		have_labvm = access(labvm, X_OK) == 0;
	}
	if (!have_labvm)
		snprintf(labvm, sizeof(labvm), "vm/labvm");
	fprintf(stderr, "diotrace: %s:\n  ", why);
	shell_quote(stderr, labvm);
	fputs(" -- ", stderr);
	shell_quote(stderr, exe);
	for (int i = 1; i < env.argc; i++) {
		fputc(' ', stderr);
		shell_quote(stderr, env.argv[i]);
	}
	fputc('\n', stderr);
	fprintf(stderr, "diotrace: (the guest sees this project at the same path; make a scratch "
		"file system there with vm/guest/labfs ext4 /mnt/x)\n");
}

/*
 * One live tracing session, in libbpf-bootstrap's order: check the
 * filters, decide per step how to trace it, open the object and choose its
 * programs, load, start the command (held until the probes are in), attach,
 * poll, and detach.  Each step is a function below, called by do_trace().
 */
struct session {
	struct dt_ctx *c;
	struct dt_stepcfg *cfg;
	struct out_state s;
	struct consumer k;
	struct links ls;
	struct resolver *r;
	struct diotrace_bpf *skel;
	struct ring_buffer *rb;
	int go[2];		/* the command waits on go[0] until the probes are in */
	pid_t child;
	int status;
	int nattached;
	bool shared_kp;		/* kprobes use kps_enter/kps_exit (batch_steps()) */
	bool began;		/* the probes are in and the command released */
	bool stopped_early;	/* a signal came before tracing began */
	uint64_t t0, t_sym, t_res, t_open, t_load;
	double attach_ms;
};

/* Root, an existing -p process and a --dev that parses. */
static int check_filters(struct session *ss)
{
	if (geteuid() != 0) {
		fprintf(stderr, "diotrace: must run as root (loading BPF needs CAP_BPF and "
			"CAP_PERFMON).\nWithout root, render a recording: diotrace report FILE\n");
		vm_hint("or trace in the lab VM (root there, and its kernels let every step attach)");
		return -1;
	}
	if (env.pid && kill(env.pid, 0) && errno == ESRCH) {
		fprintf(stderr, "diotrace: no such process: %d\n", env.pid);
		return -1;
	}
	if (env.dev) {
		if (sscanf(env.dev, "%u:%u", &ss->s.devmaj, &ss->s.devmin) != 2) {
			fprintf(stderr, "diotrace: --dev wants MAJ:MIN, got %s\n", env.dev);
			return -1;
		}
		ss->s.devfilter = true;
	}
	return 0;
}

/*
 * --attach kprobes: the steps that resolved to a function in vmlinux, and
 * their compiler clones, share kpm_enter/kpm_exit on one kprobe.multi
 * link, the step in each function's attach cookie.  Without kprobe.multi
 * (Debian's 6.1) they share kps_enter/kps_exit, a kprobe per function.
 * Either way two programs load instead of ~90; with kprobe.multi there is
 * also one link to create and destroy per direction instead of one per
 * function (measured under TCG: detach 1.7 s instead of 8 s; a kprobe per
 * function detaches as slowly as fentry).  Module functions (ext4, xfs,
 * fat, dtape) join them where the kernel allows it: on a kernel whose
 * kprobe.multi links take only vmlinux symbols they keep fentry, so that
 * their two programs each and a trampoline are paid only there.
 */
static void batch_steps(struct session *ss)
{
	char why[128];
	bool multi;

	if (!ss->c->has_kprobe) {
		fprintf(stderr, "diotrace: --attach kprobes: this kernel has no kprobes; "
			"using fentry\n");
		return;
	}
	multi = resolver_kprobe_multi_ok(ss->r, why, sizeof(why));
	if (!multi && env.verbose)
		fprintf(stderr, "diotrace: no kprobe.multi links (%s): a kprobe per function\n",
			why);
	ss->shared_kp = true;
	for (unsigned i = 0; i < DT_STEP__N; i++) {
		struct dt_stepinfo *si = &ss->c->steps[i];

		if (i == DT_FILEMAP_FAULT ||
		    (si->method != M_FENTRY && si->method != M_KPROBE))
			continue;
		if (multi && !resolver_in_vmlinux(ss->r, si->sym) &&
		    !resolver_kprobe_multi_module_ok(ss->r, si->sym))
			continue;
		si->method = ss->cfg[i].method = multi ? M_KMULTI : M_KPROBE;
	}
}

/* Per step: fentry, kprobe, tracepoint or nothing, and why (resolve.c). */
static int resolve_steps(struct session *ss)
{
	struct utsname u;
	char err[256];

	libbpf_set_print(libbpf_print);
	ss->r = resolver_new(env.btf, err, sizeof(err));
	if (!ss->r) {
		fprintf(stderr, "diotrace: %s\n", err);
		return -1;
	}
	ss->t_sym = now_ns();
	uname(&u);
	snprintf(ss->c->release, sizeof(ss->c->release), "%s", u.release);
	ss->c->emulated = dt_machine_detect(ss->c->accel, sizeof(ss->c->accel));
	ss->c->addr2name = resolver_addr2name;
	ss->c->addr2name_arg = ss->r;
	if (env.attach == ATTACH_KPROBES)
		resolver_kprobes_first(ss->r);
	resolver_resolve(ss->r, ss->c, ss->cfg);
	if (env.attach == ATTACH_KPROBES)
		batch_steps(ss);
	ss->t_res = now_ns();
	return 0;
}

/* The filters go into .rodata, where the verifier sees them as constants. */
static void set_filters(struct diotrace_bpf *skel, const struct dt_stepcfg *cfg)
{
	__u32 fl = 0;

	memcpy((void *)skel->rodata->cfg, cfg, sizeof(skel->rodata->cfg));
	if (!env.rd && !env.wr)
		fl |= DT_F_READ | DT_F_WRITE;
	if (env.rd)
		fl |= DT_F_READ;
	if (env.wr)
		fl |= DT_F_WRITE;
	if (env.pid || env.cmd)
		fl |= DT_F_PID;
	if (env.include_9p)
		fl |= DT_F_9P;
	if (env.comm) {
		fl |= DT_F_COMM;
		strncpy((char *)skel->rodata->filter_comm, env.comm, DT_COMM_LEN - 1);
	}
	skel->rodata->filter_flags = fl;
	skel->rodata->self_tgid = getpid();
}

/* Step @i's kprobes are the shared kps_enter/kps_exit (filemap_fault's
 * any-task programs are never shared). */
static bool kprobes_shared(bool shared_kp, unsigned i)
{
	return shared_kp && i != DT_FILEMAP_FAULT;
}

/* Load only the programs the resolution chose, and the tracepoints that exist. */
static void choose_programs(struct diotrace_bpf *skel, const struct dt_ctx *c,
			    struct resolver *r, bool shared_kp)
{
	struct bpf_program *p;
	bool dtape, kmulti = false, kshared = false;

	for (unsigned i = 0; i < DT_STEP__N; i++) {
		struct progset ps = step_progs(skel, i);
		const struct dt_stepinfo *si = &c->steps[i];
		bool fe = si->method == M_FENTRY;
		bool kp = si->method == M_KPROBE || (fe && si->nclones);
		bool share = kprobes_shared(shared_kp, i);

		kmulti |= si->method == M_KMULTI;
		kshared |= kp && share;
		kp &= !share;

		set_load(ps.fe, fe);
		set_load(ps.fx, fe);
		set_load(ps.kp, kp);
		set_load(ps.kr, kp);
		if (fe) {
			bpf_program__set_attach_target(ps.fe, 0, si->sym);
			if (ps.fx)
				bpf_program__set_attach_target(ps.fx, 0, si->sym);
		}
	}
	/* filemap_fault uses its own any-task programs (fe_fault/kp_fault) */
	set_load(skel->progs.fe_FILEMAP_FAULT, false);
	set_load(skel->progs.fx_FILEMAP_FAULT, false);
	set_load(skel->progs.kp_FILEMAP_FAULT, false);
	set_load(skel->progs.kr_FILEMAP_FAULT, false);
	set_load(skel->progs.tp_fault, c->steps[DT_FILEMAP_FAULT].method == M_TP);
	set_load(skel->progs.kpm_enter, kmulti);
	set_load(skel->progs.kpm_exit, kmulti);
	set_load(skel->progs.kps_enter, kshared);
	set_load(skel->progs.kps_exit, kshared);
	set_load(skel->progs.tp_bio_queue, c->steps[DT_SUBMIT_BIO].method == M_TP);
	set_load(skel->progs.tp_iomap_inval_fail,
		 resolver_tp_exists(r, "iomap/iomap_dio_invalidate_fail"));
	set_load(skel->progs.tp_filemap_delete,
		 resolver_tp_exists(r, "filemap/mm_filemap_delete_from_page_cache"));
	set_load(skel->progs.tp_filemap_add,
		 resolver_tp_exists(r, "filemap/mm_filemap_add_to_page_cache"));
	/* dtape's tracepoints: only while the module is loaded */
	dtape = resolver_tp_exists(r, "dtape/dtape_submit");
	bpf_object__for_each_program(p, skel->obj)
		if (!strncmp(bpf_program__section_name(p), "raw_tp/dtape_", 13))
			set_load(p, dtape);
	set_load(skel->progs.tp_enter_io_uring_enter,
		 resolver_tp_exists(r, "syscalls/sys_enter_io_uring_enter"));
	set_load(skel->progs.tp_exit_io_uring_enter,
		 resolver_tp_exists(r, "syscalls/sys_exit_io_uring_enter"));
}

static int open_and_load(struct session *ss)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .btf_custom_path = env.btf);

	ss->skel = diotrace_bpf__open_opts(&oopts);
	if (!ss->skel) {
		fprintf(stderr, "diotrace: cannot open BPF object: %s\n", strerror(errno));
		return -1;
	}
	set_filters(ss->skel, ss->cfg);
	choose_programs(ss->skel, ss->c, ss->r, ss->shared_kp);
	if (env.ringbuf_kb && bpf_map__set_max_entries(ss->skel->maps.events, env.ringbuf_kb << 10)) {
		fprintf(stderr, "diotrace: cannot size the ring buffer: %s\n", strerror(errno));
		return -1;
	}
	ss->t_open = now_ns();
	if (diotrace_bpf__load(ss->skel)) {
		int e = errno;

		fprintf(stderr, "diotrace: cannot load BPF programs: %s%s\n", strerror(e),
			e == EPERM ? " (root without CAP_BPF? locked down kernel?)" : "");
		return -1;
	}
	ss->t_load = now_ns();
	mappers_seed(bpf_map__fd(ss->skel->maps.mappers), (uint32_t)getpid());
	return 0;
}

/*
 * Fork the command now, so its pid can be traced from its first syscall,
 * but hold it on a pipe until release_command(): it must not run before
 * the probes are in.
 */
static int start_command(struct session *ss)
{
	__u8 one = 1;
	__u32 k;

	if (env.cmd) {
		if (pipe(ss->go)) {
			perror("pipe");
			return -1;
		}
		ss->child = fork();
		if (ss->child < 0) {
			perror("fork");
			ss->child = 0;
			return -1;
		}
		if (ss->child == 0) {
			char b;

			/* a signal now ends the wait (EOF would too) */
			sigaction(SIGINT, &given_int, NULL);
			sigaction(SIGTERM, &given_term, NULL);
			close(ss->go[1]);
			if (read(ss->go[0], &b, 1) != 1)
				_exit(127);
			close(ss->go[0]);
			execvp(env.cmd[0], env.cmd);
			fprintf(stderr, "diotrace: cannot run %s: %s\n", env.cmd[0], strerror(errno));
			_exit(127);
		}
		close(ss->go[0]);
		ss->go[0] = -1;
	}
	if (env.pid || ss->child) {
		k = ss->child ? (__u32)ss->child : (__u32)env.pid;
		bpf_map__update_elem(ss->skel->maps.traced_pids, &k, sizeof(k), &one, sizeof(one), 0);
	}
	return 0;
}

/* The syscalls tp_enter_rw and tp_exit_rw serve, by this architecture's numbers. */
static const struct rw_syscall {
	const char *name;
	int nr;
	struct dt_rw_sys what;
} rw_syscalls[] = {
	{ "write", __NR_write, { SYS_WRITE, 1, 0, 0 } },
	{ "pwrite64", __NR_pwrite64, { SYS_PWRITE64, 1, 1, 0 } },
	{ "writev", __NR_writev, { SYS_WRITEV, 1, 0, 0 } },
	{ "pwritev", __NR_pwritev, { SYS_PWRITEV, 1, 1, 0 } },
	{ "pwritev2", __NR_pwritev2, { SYS_PWRITEV2, 1, 1, 0 } },
	{ "read", __NR_read, { SYS_READ, 0, 0, 0 } },
	{ "pread64", __NR_pread64, { SYS_PREAD64, 0, 1, 0 } },
	{ "readv", __NR_readv, { SYS_READV, 0, 0, 0 } },
	{ "preadv", __NR_preadv, { SYS_PREADV, 0, 1, 0 } },
	{ "preadv2", __NR_preadv2, { SYS_PREADV2, 0, 1, 0 } },
};

/* The read and write roots: one program each way, on every syscall's tracepoint. */
static int attach_rw_syscalls(struct session *ss)
{
	struct diotrace_bpf *skel = ss->skel;
	char tp[64];

	for (size_t i = 0; i < sizeof(rw_syscalls) / sizeof(rw_syscalls[0]); i++) {
		const struct rw_syscall *rs = &rw_syscalls[i];
		__u32 k = (__u32)rs->nr;

		if (k >= DT_MAX_SYSCALL_NR ||
		    bpf_map__update_elem(skel->maps.rw_syscalls, &k, sizeof(k), &rs->what,
					 sizeof(rs->what), 0)) {
			fprintf(stderr, "diotrace: cannot register syscall %s (%d)\n", rs->name,
				rs->nr);
			return -1;
		}
		snprintf(tp, sizeof(tp), "sys_enter_%s", rs->name);
		if (!links_add(&ss->ls, bpf_program__attach_tracepoint(skel->progs.tp_enter_rw,
									"syscalls", tp)))
			goto fail;
		snprintf(tp, sizeof(tp), "sys_exit_%s", rs->name);
		if (!links_add(&ss->ls, bpf_program__attach_tracepoint(skel->progs.tp_exit_rw,
									"syscalls", tp)))
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "diotrace: cannot attach tracepoint/syscalls/%s: %s\n", tp, strerror(errno));
	return -1;
}

/* Syscall roots and tracepoints; a syscall root that will not attach is fatal. */
static int attach_tracepoints(struct session *ss)
{
	struct bpf_program *p;

	if (attach_rw_syscalls(ss))
		return -1;

	bpf_object__for_each_program(p, ss->skel->obj) {
		const char *sec = bpf_program__section_name(p);
		const char *nm = bpf_program__name(p);

		if (!bpf_program__autoload(p) ||
		    (strncmp(sec, "tracepoint/", 11) != 0 && strncmp(sec, "raw_tp/", 7) != 0))
			continue;
		if (links_add(&ss->ls, bpf_program__attach(p)))
			continue;
		if (!strncmp(nm, "tp_enter_", 9) || !strncmp(nm, "tp_exit_", 8)) {
			fprintf(stderr, "diotrace: cannot attach %s: %s\n", sec, strerror(errno));
			return -1;
		}
		fprintf(stderr, "diotrace: warning: %s not attached: %s\n", sec, strerror(errno));
	}
	return 0;
}

/* The step rides along as the cookie, for the shared kps_enter/kps_exit. */
static bool attach_kprobe(struct links *ls, struct bpf_program *p, const char *sym,
			  bool ret, unsigned step)
{
	LIBBPF_OPTS(bpf_kprobe_opts, o, .bpf_cookie = step, .retprobe = ret);

	return links_add(ls, bpf_program__attach_kprobe_opts(p, sym, &o));
}

/* fentry/fexit, falling back to kprobe/kretprobe; clones always by kprobe. */
static bool attach_step(struct links *ls, unsigned step, struct dt_stepinfo *si,
			struct progset p)
{
	bool ok = false;

	if (si->method == M_FENTRY) {
		ok = links_add(ls, bpf_program__attach_trace(p.fe));
		if (ok && p.fx && !links_add(ls, bpf_program__attach_trace(p.fx)))
			ok = false;
		if (!ok) {
			whyadd(si, "fentry %s attach failed: %s", si->sym, errno);
			si->method = p.kp && bpf_program__fd(p.kp) >= 0 ? M_KPROBE : M_NONE;
		}
	}
	if (si->method == M_KPROBE) {
		ok = attach_kprobe(ls, p.kp, si->sym, false, step);
		if (ok && p.kr)
			ok = attach_kprobe(ls, p.kr, si->sym, true, step);
		if (!ok) {
			whyadd(si, "kprobe %s attach failed: %s", si->sym, errno);
			si->method = M_NONE;
		}
	}
	if (si->method == M_TP)
		ok = true;	/* attached with the tracepoints */
	for (int j = 0; j < si->nclones && si->method != M_NONE; j++) {
		if (!attach_kprobe(ls, p.kp, si->clones[j], false, step) ||
		    (p.kr && !attach_kprobe(ls, p.kr, si->clones[j], true, step)))
			whyadd(si, "clone %s: kprobe attach failed: %s", si->clones[j], errno);
	}
	return ok;
}

/*
 * The kprobe.multi steps (batch_steps()): one entry link, one return link.
 * The functions go to the kernel by address where kallsyms gives each one
 * address: by name, each link makes the kernel walk and expand all of
 * kallsyms' 170,000 names (ftrace_lookup_symbols), which was a fifth of a
 * diotrace start's CPU time under TCG.
 */
static int attach_multi(struct session *ss)
{
	static const char *syms[DT_STEP__N * (1 + DT_MAX_CLONES)];
	static unsigned long addrs[DT_STEP__N * (1 + DT_MAX_CLONES)];
	static __u64 cookies[DT_STEP__N * (1 + DT_MAX_CLONES)];
	LIBBPF_OPTS(bpf_kprobe_multi_opts, o, .cookies = cookies);
	bool by_addr = true;
	int nsteps = 0;

	for (unsigned i = 0; i < DT_STEP__N; i++) {
		const struct dt_stepinfo *si = &ss->c->steps[i];

		if (si->method != M_KMULTI)
			continue;
		nsteps++;
		/* no two steps share a candidate (steps.def), so no
		 * function is listed twice, which the kernel would refuse */
		for (int j = -1; j < si->nclones; j++) {
			cookies[o.cnt] = i;
			syms[o.cnt] = j < 0 ? si->sym : si->clones[j];
			addrs[o.cnt] = resolver_func_addr(ss->r, syms[o.cnt]);
			by_addr = by_addr && addrs[o.cnt];
			o.cnt++;
		}
	}
	if (!o.cnt)
		return 0;
	if (by_addr)
		o.addrs = addrs;
	else
		o.syms = syms;
	if (links_add(&ss->ls, bpf_program__attach_kprobe_multi_opts(ss->skel->progs.kpm_enter,
								     NULL, &o))) {
		o.retprobe = true;
		if (links_add(&ss->ls, bpf_program__attach_kprobe_multi_opts(
					       ss->skel->progs.kpm_exit, NULL, &o))) {
			ss->nattached += nsteps;
			return 0;
		}
	}
	fprintf(stderr, "diotrace: --attach kprobes: the kernel refused a kprobe.multi "
		"link for %zu functions: %s\nUse --attach fentry.\n", o.cnt, strerror(errno));
	return -1;
}

static int attach_steps(struct session *ss)
{
	if (attach_multi(ss))
		return -1;
	for (unsigned i = 0; i < DT_STEP__N && !exiting; i++) {
		struct progset p = step_progs(ss->skel, i);

		if (ss->c->steps[i].method == M_KMULTI)
			continue;
		if (kprobes_shared(ss->shared_kp, i)) {
			p.kp = ss->skel->progs.kps_enter;
			p.kr = ss->skel->progs.kps_exit;
		}
		ss->nattached += attach_step(&ss->ls, i, &ss->c->steps[i], p);
	}
	ss->attach_ms = (now_ns() - ss->t0) / 1e6;
	return 0;
}

/* Where the verdict on fentry came from, for -v. */
static const char *fentry_verdict(const struct resolver *r)
{
	return resolver_fentry_cached(r) ? "fentry works, as this boot's copy says" :
		"fentry tested on vfs_read";
}

static void report_startup(const struct session *ss)
{
	const struct dt_ctx *c = ss->c;

	if (env.verbose) {
		fprintf(stderr, "diotrace: start-up: symbols and BTF %.0f ms (%d of 2 symbol tables "
			"from this boot's copies; %s), resolution %.0f ms, BPF open %.0f ms, "
			"load %.0f ms\n",
			(ss->t_sym - ss->t0) / 1e6, resolver_symcache_hits(ss->r),
			fentry_verdict(ss->r),
			(ss->t_res - ss->t_sym) / 1e6, (ss->t_open - ss->t_res) / 1e6,
			(ss->t_load - ss->t_open) / 1e6);
		dt_print_resolution(stderr, c);
		fprintf(stderr, "diotrace: %d steps attached (%d links) in %.1f ms\n", ss->nattached,
			ss->ls.n, ss->attach_ms);
	}
	if (c->degraded[0])
		fprintf(stderr, "diotrace: %s\n", c->degraded);
	if (c->degraded[0] && strstr(c->degraded, "only tracepoints"))
		vm_hint("to see the function calls, run the same command in the lab VM");
}

/*
 * -o (the text or JSON, or the recording) and --chrome-trace, opened before
 * BPF is loaded: a path that cannot be written fails at once, not after
 * seconds of attaching and detaching.
 */
static int open_files(struct session *ss)
{
	struct out_state *s = &ss->s;
	FILE **f = env.mode == MODE_RECORD ? &s->rec : &s->out;

	if (env.out && !(*f = fopen(env.out, env.mode == MODE_RECORD ? "wb" : "w"))) {
		fprintf(stderr, "diotrace: cannot write %s: %s\n", env.out, strerror(errno));
		*f = env.mode == MODE_RECORD ? NULL : stdout;
		return -1;
	}
	return open_chrome(s);
}

/* The recording's header, the tree builder and the ring buffer. */
static int open_output(struct session *ss)
{
	struct out_state *s = &ss->s;

	if (s->rec && record_write_header(s->rec, ss->c)) {
		fprintf(stderr, "diotrace: cannot write %s: %s\n", env.out, strerror(errno));
		return -1;
	}
	s->ro.max_depth = env.depth;
	s->ro.no_collapse = env.no_collapse;
	s->ro.show_folded = env.all;
	if (env.summary)
		s->sum = summary_new();
	ss->k.b = dt_builder_new(ss->c, &callbacks, s);
	ss->rb = ring_buffer__new(bpf_map__fd(ss->skel->maps.events), handle_event, &ss->k, NULL);
	if (!ss->rb || !ss->k.b) {
		fprintf(stderr, "diotrace: cannot set up the ring buffer\n");
		return -1;
	}
	return 0;
}

static const char *signame(int sig)
{
	return sigabbrev_np(sig) ? sigabbrev_np(sig) : "?";
}

/* Ctrl-C while loading or attaching: stop there, and take it all down. */
static int interrupted(struct session *ss)
{
	if (!exiting)
		return 0;
	fprintf(stderr, "diotrace: interrupted by SIG%s before tracing began; detaching\n",
		signame(exiting));
	ss->stopped_early = true;
	return -1;
}

/*
 * Tell the held command to go: 0, or -1 with errno set.  A Ctrl-C reaches
 * the command's whole process group, so the command may have died waiting
 * and closed its end: the write then fails with EPIPE instead of killing
 * diotrace with SIGPIPE, which is blocked for it and a pending one dropped.
 */
static int write_go(int fd)
{
	const struct timespec no_wait = { 0 };
	sigset_t pipe_sig, old;
	int rc, e;

	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_sig, &old);
	rc = write(fd, "g", 1) == 1 ? 0 : -1;
	e = errno;
	if (rc && e == EPIPE)
		sigtimedwait(&pipe_sig, NULL, &no_wait);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return rc;
}

static int release_command(struct session *ss)
{
	/* scripts wait for this line before starting their workload */
	if (!env.cmd)
		fprintf(stderr, "diotrace: tracing, Ctrl-C to stop\n");
	if (ss->child && write_go(ss->go[1])) {
		if (errno != EPIPE) {
			perror("diotrace: start command");
			return -1;
		}
		/* the command died before it ran: a Ctrl-C is reported as
		 * when it comes earlier, any other death by the poll loop */
		if (interrupted(ss))
			return -1;
	}
	if (ss->go[1] >= 0)
		close(ss->go[1]);
	ss->go[1] = -1;
	return 0;
}

/* Until Ctrl-C, -n trees, -d seconds, or the end of the command. */
static void poll_events(struct session *ss)
{
	uint64_t deadline = env.duration > 0 ? now_ns() + (uint64_t)(env.duration * 1e9) : 0;

	while (!exiting && !ss->s.done) {
		int e = ring_buffer__poll(ss->rb, 100);

		if (e < 0 && e != -EINTR) {
			fprintf(stderr, "diotrace: ring buffer: %s\n", strerror(-e));
			break;
		}
		if (ss->child && waitpid(ss->child, &ss->status, WNOHANG) == ss->child) {
			/* the command is done: collect what is still queued */
			while (ring_buffer__consume(ss->rb) > 0)
				;
			ss->child = 0;
			break;
		}
		if (deadline && now_ns() > deadline)
			break;
	}
	ring_buffer__consume(ss->rb);
}

/* Sum a per-CPU u64 counter map's only entry. */
static uint64_t percpu_sum(struct bpf_map *m)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *v = calloc(ncpu > 0 ? ncpu : 1, sizeof(*v));
	uint64_t sum = 0;
	__u32 k = 0;

	if (v && ncpu > 0 && !bpf_map__lookup_elem(m, &k, sizeof(k), v, sizeof(*v) * ncpu, 0))
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

static int finish_output(struct session *ss)
{
	struct out_state *s = &ss->s;

	ss->c->lost_total += percpu_sum(ss->skel->maps.lost_total);
	s->skipped_9p += percpu_sum(ss->skel->maps.skipped_9p);
	if (s->rec) {
		record_write_lost(s->rec, ss->c->lost_total);
		fclose(s->rec);
		s->rec = NULL;
		fprintf(stderr, "diotrace: recorded to %s\n", env.out);
	}
	dt_builder_flush(ss->k.b);
	print_end(s, ss->attach_ms);
	/* stopped while the command ran: end_session stops it */
	if (env.cmd && ss->child > 0 && exiting) {
		fprintf(stderr, "diotrace: interrupted by SIG%s; stopping %s\n", signame(exiting),
			env.cmd[0]);
		return 128 + exiting;
	}
	if (env.cmd && WIFEXITED(ss->status))
		return WEXITSTATUS(ss->status);
	/* as a shell reports it: the trees above end where the command died */
	if (env.cmd && WIFSIGNALED(ss->status)) {
		fprintf(stderr, "diotrace: %s was killed by SIG%s\n", env.cmd[0],
			signame(WTERMSIG(ss->status)));
		return 128 + WTERMSIG(ss->status);
	}
	return 0;
}

#define DT_DETACH_THREADS 8

struct link_slice {
	struct bpf_link **l;
	int n;
};

static void *destroy_slice(void *arg)
{
	struct link_slice *s = arg;

	for (int i = 0; i < s->n; i++)
		bpf_link__destroy(s->l[i]);
	return NULL;
}

/*
 * A link's release runs in the thread that closes its fd, and a kprobe's
 * or trampoline's waits for a grace period: closed from several threads,
 * the waits overlap instead of adding up.
 */
static void links_destroy(struct links *ls)
{
	struct link_slice s[DT_DETACH_THREADS];
	pthread_t t[DT_DETACH_THREADS];
	bool started[DT_DETACH_THREADS] = { false };
	int per = (ls->n + DT_DETACH_THREADS - 1) / DT_DETACH_THREADS, i;

	for (i = 0; i < DT_DETACH_THREADS && i * per < ls->n; i++) {
		int first = i * per;

		s[i].l = &ls->l[first];
		s[i].n = ls->n - first < per ? ls->n - first : per;
		started[i] = !pthread_create(&t[i], NULL, destroy_slice, &s[i]);
		if (!started[i])
			destroy_slice(&s[i]);
	}
	while (i-- > 0)
		if (started[i])
			pthread_join(t[i], NULL);
	ls->n = 0;
}

/*
 * Each fentry/kprobe detach waits for an RCU-tasks grace period: about 8 s
 * for 100 probes under TCG, one after another.  All output is written by now, so by default a
 * child that shares the links does the detaching and the caller gets its
 * prompt back (with @rc); the probes stop reporting at once (nothing reads
 * the ring buffer) and are gone a few seconds later.
 */
static void detach(struct session *ss, int rc)
{
	uint64_t t0 = now_ns();

	if (!env.sync_detach && ss->ls.n) {
		pid_t d = fork();

		if (d > 0)
			_exit(rc);
		if (d == 0) {
			int nul = open("/dev/null", O_RDWR);

			setsid();
			if (nul >= 0) {
				dup2(nul, 0);
				dup2(nul, 1);
				dup2(nul, 2);
				close(nul);
			}
		}
	}
	/* explicitly, before the object goes away */
	links_destroy(&ss->ls);
	diotrace_bpf__destroy(ss->skel);
	ss->skel = NULL;
	if (env.verbose)
		fprintf(stderr, "diotrace: detached in %.1f ms\n", (now_ns() - t0) / 1e6);
}

/* Tracing never began: leave no empty timeline, output or recording behind. */
static void discard_files(struct session *ss)
{
	struct out_state *s = &ss->s;

	if (s->chrome) {
		chrome_close(s->chrome, s->c);
		s->chrome = NULL;
		unlink(env.chrome);
	}
	if (s->rec || (s->out && s->out != stdout)) {
		fclose(s->rec ? s->rec : s->out);
		s->rec = NULL;
		s->out = NULL;
		unlink(env.out);
	}
}

static void end_session(struct session *ss, int rc)
{
	/* a command still held reads EOF and exits without running */
	if (ss->go[1] >= 0)
		close(ss->go[1]);
	ss->go[1] = -1;
	if (ss->child > 0) {
		kill(ss->child, SIGTERM);
		waitpid(ss->child, NULL, 0);
	}
	if (!ss->began)
		discard_files(ss);
	ring_buffer__free(ss->rb);
	dt_builder_free(ss->k.b);
	summary_free(ss->s.sum);
	close_chrome(&ss->s);
	if (ss->s.rec)
		fclose(ss->s.rec);
	if (ss->s.out && ss->s.out != stdout)
		fclose(ss->s.out);
	ss->s.out = NULL;
	fflush(stdout);
	detach(ss, rc);
	resolver_free(ss->r);
	free(ss->c->syms);
}

static int do_trace(void)
{
	static struct dt_ctx c;
	static struct dt_stepcfg cfg[DT_STEP__N];
	static struct session ss;
	int rc = 1;

	ss.t0 = now_ns();
	ss.c = &c;
	ss.cfg = cfg;
	ss.s = (struct out_state){ .c = &c, .out = stdout };
	ss.k = (struct consumer){ .s = &ss.s };
	ss.go[0] = ss.go[1] = -1;
	catch_signals();

	if (check_filters(&ss) || resolve_steps(&ss)) {
		resolver_free(ss.r);
		return 1;
	}
	if (env.list) {
		if (env.verbose)
			fprintf(stderr, "diotrace: %d of 2 symbol tables from this boot's copies; %s\n",
				resolver_symcache_hits(ss.r), fentry_verdict(ss.r));
		dt_print_resolution(stdout, &c);
		if (c.degraded[0] && strstr(c.degraded, "only tracepoints"))
			vm_hint("to see every step, run it in the lab VM");
		resolver_free(ss.r);
		return 0;
	}
	if (open_files(&ss)) {
		rc = EX_CANTCREAT;
		goto out;
	}
	if (interrupted(&ss) || open_and_load(&ss) || interrupted(&ss) || start_command(&ss) ||
	    attach_tracepoints(&ss) || attach_steps(&ss) || interrupted(&ss))
		goto out;
	report_startup(&ss);
	if (open_output(&ss) || release_command(&ss))
		goto out;
	ss.began = true;
	poll_events(&ss);
	rc = finish_output(&ss);
out:
	if (ss.stopped_early)
		rc = 128 + exiting;
	end_session(&ss, rc);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_opt, "[-- CMD ARGS] | FILE", doc, 0, 0, 0 };
	const char *attach;
	int first = 1;

	/* argp and the mode switch below rewrite argv: keep the original */
	env.argc = argc;
	env.argv = calloc(argc + 1, sizeof(char *));
	for (int i = 0; env.argv && i < argc; i++)
		env.argv[i] = argv[i];
	if (!env.argv)
		env.argc = 0;
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "record")) {
		env.mode = MODE_RECORD;
		first = 2;
	} else if (argc > 1 && !strcmp(argv[1], "report")) {
		env.mode = MODE_REPORT;
		first = 2;
	}
	argv[first - 1] = argv[0];
	/* the default for --attach, so that a test suite or a VM sets it once */
	attach = getenv("DIOTRACE_ATTACH");
	if (attach && parse_attach(attach)) {
		fprintf(stderr, "diotrace: DIOTRACE_ATTACH wants fentry or kprobes, got %s\n",
			attach);
		return 2;
	}
	if (argp_parse(&argp, argc - first + 1, argv + first - 1, ARGP_IN_ORDER, NULL, NULL))
		return 2;
	if (env.mode == MODE_REPORT)
		return do_report();
	return do_trace();
}
