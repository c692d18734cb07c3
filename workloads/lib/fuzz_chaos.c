// SPDX-License-Identifier: GPL-2.0
/*
 * tapefuzz's chaos threads (fuzz_chaos.h). The threads of one process
 * share one open drive, each using a dup() of it, so dtape sees several
 * calls on one file at once; processes contend for the drives and get
 * EBUSY, as st's second openers do.
 */
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <liburing.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mtio.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_chaos.h"

/* The errnos dtape may answer a hostile caller with, by kind of call. */
static const int rw_errnos[] = {
	EINVAL, EFAULT, ENOSPC, EROFS, EAGAIN, ENOMEM, EIO, ENOMEDIUM, EBADF, 0
};
static const int open_errnos[] = { EBUSY, EROFS, EINVAL, 0 };
static const int ioctl_errnos[] = {
	EINVAL, EFAULT, ENOSPC, EACCES, EIO, ENOMEDIUM, ENOTTY, ENOMEM, 0
};
static const int async_errnos[] = {
	EINVAL, EFAULT, ENOSPC, EROFS, EAGAIN, ENOMEM, EIO, ENOMEDIUM, EBADF,
	ECANCELED, ENOENT, EALREADY, EINTR, 0
};
static const int knob_errnos[] = { EINVAL, ERANGE, EACCES, EIO, 0 };
/* EWOULDBLOCK is EAGAIN: the module is in use. */
static const int rmmod_errnos[] = { EAGAIN, EBUSY, 0 };
static const int other_errnos[] = { ESPIPE, ENODEV, EINVAL, EBADF, EACCES, 0 };

struct chaos_proc {
	pthread_mutex_t lock;
	int fd;			/* the process's open drive, or -1 */
};

struct chaos_thread {
	struct chaos_proc *p;
	uint64_t worker;
	char who[32];
	struct fz_bufs bufs;
	io_context_t aio;
	struct io_uring ring;
	bool ring_ok;
};

#define CHAOS_QD 8
/*
 * MTWEOFI in linux/mtio.h (glibc's sys/mtio.h stops earlier): st's last
 * op. dtape answers the ones it lacks (MTTELL, MTSETPART, ...) EINVAL.
 */
#define LAST_ST_OP 35

static const int none_allowed[] = { 0 };

/* --- what a call uses ---------------------------------------------------------- */
static enum fz_buf_kind pick_kind(struct fz_rng *r)
{
	unsigned int x = (unsigned int)fz_below(r, 100);

	if (x < 80)
		return FZ_BUF_NORMAL;
	if (x < 84)
		return FZ_BUF_NULL;
	if (x < 89)
		return FZ_BUF_UNMAPPED;
	if (x < 94)
		return FZ_BUF_READONLY;
	return FZ_BUF_HALF;
}

/* Aligned to a page, to 512 bytes, or anywhere: each takes a different path. */
static size_t pick_offset(struct fz_rng *r)
{
	switch (fz_below(r, 3)) {
	case 0:
		return 0;
	case 1:
		return 512 * (size_t)fz_below(r, 8);
	default:
		return (size_t)fz_below(r, 4096);
	}
}

/* A dup() of the process's drive, or -1 when none is open. */
static int borrow_fd(struct chaos_thread *t)
{
	int fd = -1;

	pthread_mutex_lock(&t->p->lock);
	if (t->p->fd >= 0)
		fd = fcntl(t->p->fd, F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&t->p->lock);
	return fd;
}

/* --- the calls ------------------------------------------------------------------ */
static void do_open(struct chaos_thread *t, struct fz_rng *r, long n)
{
	static const int accmodes[] = { O_RDONLY, O_WRONLY, O_RDWR };
	unsigned int drive = fz.first_chaos + (unsigned int)fz_below(r, fz.anchor - fz.first_chaos);
	bool norewind = fz_chance(r, 50);
	int flags = accmodes[fz_below(r, 3)] | O_CLOEXEC;
	char node[32];
	int fd;

	if (fz_chance(r, 30))
		flags |= O_NONBLOCK;
	if (fz_chance(r, 30))
		flags |= O_DIRECT;
	fz_node(drive, norewind, node, sizeof(node));
	pthread_mutex_lock(&t->p->lock);
	if (t->p->fd >= 0) {
		pthread_mutex_unlock(&t->p->lock);
		return;
	}
	fd = open(node, flags);
	fz_tally(t->who, FZ_OPEN, fd, errno, open_errnos);
	fz_log(t->who, n, "open %s 0%o = %d", node, (unsigned int)flags, fd < 0 ? -errno : 0);
	t->p->fd = fd;
	pthread_mutex_unlock(&t->p->lock);
	/* Another process has the drive: give it time to use it. */
	if (fd < 0 && errno == EBUSY)
		usleep(2000);
}

static void do_close(struct chaos_thread *t, long n)
{
	int ret;

	pthread_mutex_lock(&t->p->lock);
	if (t->p->fd < 0) {
		pthread_mutex_unlock(&t->p->lock);
		return;
	}
	ret = close(t->p->fd);
	fz_tally(t->who, FZ_CLOSE, ret, errno, none_allowed);
	fz_log(t->who, n, "close = %d", ret);
	t->p->fd = -1;
	pthread_mutex_unlock(&t->p->lock);
}

static void do_rw(struct chaos_thread *t, struct fz_rng *r, long n, int fd, bool write_it)
{
	enum fz_buf_kind kind = pick_kind(r);
	size_t len = fz_size(r), off = pick_offset(r);
	unsigned char *buf = fz_buf(&t->bufs, kind, off);
	int flags = fz_chance(r, 10) ? RWF_NOWAIT : 0;
	struct iovec v = { buf, len };
	ssize_t ret;

	if (flags)
		ret = write_it ? pwritev2(fd, &v, 1, -1, flags) : preadv2(fd, &v, 1, -1, flags);
	else
		ret = write_it ? write(fd, buf, len) : read(fd, buf, len);
	fz_tally(t->who, write_it ? FZ_WRITE : FZ_READ, ret, errno, rw_errnos);
	fz_log(t->who, n, "%s %s+%zu %zu%s = %zd", write_it ? "write" : "read",
	       fz_buf_names[kind], off, len, flags ? " nowait" : "", ret < 0 ? -errno : ret);
}

static void do_rwv(struct chaos_thread *t, struct fz_rng *r, long n, int fd, bool write_it)
{
	struct iovec v[4];
	unsigned int i, nr = 2 + (unsigned int)fz_below(r, 3);
	size_t at = 0;
	ssize_t ret;

	for (i = 0; i < nr; i++) {
		size_t len = fz_size(r) / nr;

		if (fz_chance(r, 10)) {
			v[i].iov_base = fz_buf(&t->bufs, pick_kind(r), pick_offset(r));
		} else {
			v[i].iov_base = t->bufs.arena + at;
			at += len;
		}
		v[i].iov_len = len;
	}
	ret = write_it ? writev(fd, v, (int)nr) : readv(fd, v, (int)nr);
	fz_tally(t->who, write_it ? FZ_WRITEV : FZ_READV, ret, errno, rw_errnos);
	fz_log(t->who, n, "%s %u pieces = %zd", write_it ? "writev" : "readv", nr,
	       ret < 0 ? -errno : ret);
}

/* Small counts move the head, large ones run into the ends, negative ones are refused. */
static int pick_count(struct fz_rng *r)
{
	switch (fz_below(r, 6)) {
	case 0:
		return 0;
	case 1:
	case 2:
		return 1 + (int)fz_below(r, 3);
	case 3:
		return (int)fz_below(r, 100);
	case 4:
		return fz_chance(r, 50) ? 1000000000 : INT_MAX;
	default:
		return -1 - (int)fz_below(r, 3);
	}
}

static void do_ioctl(struct chaos_thread *t, struct fz_rng *r, long n, int fd)
{
	unsigned long cmd;
	void *arg;
	struct mtop *op = (struct mtop *)t->bufs.arena;
	long ret;

	switch (fz_below(r, 10)) {
	case 0:
		cmd = MTIOCGET;
		break;
	case 1:
		cmd = MTIOCPOS;
		break;
	case 2:
		/* A cmd of mtio's type that dtape does not know. */
		cmd = _IOC(fz_below(r, 4), 'm', 3 + fz_below(r, 8), fz_below(r, 64));
		break;
	default:
		cmd = MTIOCTOP;
		break;
	}
	op->mt_op = (short)(fz_chance(r, 90) ? fz_below(r, LAST_ST_OP + 1) : fz_next(r));
	/* Rarely: a tape offline until the next blocking open. */
	if ((op->mt_op == MTOFFL || op->mt_op == MTUNLOAD) && fz_chance(r, 70))
		op->mt_op = MTNOP;
	op->mt_count = pick_count(r);
	arg = op;
	if (fz_chance(r, 10))
		arg = fz_buf(&t->bufs, pick_kind(r), 0);
	ret = ioctl(fd, cmd, arg);
	fz_tally(t->who, FZ_IOCTL, ret, errno, ioctl_errnos);
	fz_log(t->who, n, "ioctl 0x%lx op %d count %d = %ld", cmd, op->mt_op, op->mt_count,
	       ret < 0 ? -errno : ret);
}

/* A batch of requests through Linux AIO, sometimes cancelled. */
static void do_aio(struct chaos_thread *t, struct fz_rng *r, long n, int fd)
{
	struct iocb cbs[CHAOS_QD], *ptrs[CHAOS_QD];
	struct io_event ev[CHAOS_QD];
	struct timespec wait = { .tv_sec = 30 };
	unsigned int i, nr = 1 + (unsigned int)fz_below(r, CHAOS_QD);
	struct iovec v[2];
	int ret, got = 0;

	for (i = 0; i < nr; i++) {
		size_t len = fz_size(r) / nr + 1;
		void *buf = fz_chance(r, 90) ? t->bufs.arena + (size_t)(FZ_MAX_XFER / CHAOS_QD) * i :
					      fz_buf(&t->bufs, pick_kind(r), pick_offset(r));

		if (fz_chance(r, 50))
			io_prep_pwrite(&cbs[i], fd, buf, len, 0);
		else
			io_prep_pread(&cbs[i], fd, buf, len, 0);
		ptrs[i] = &cbs[i];
	}
	if (fz_chance(r, 10)) {
		/* Two pieces: one queued request pins one buffer, so EINVAL. */
		v[0] = (struct iovec){ t->bufs.arena, 4096 };
		v[1] = (struct iovec){ t->bufs.arena + 8192, 4096 };
		io_prep_pwritev(&cbs[0], fd, v, 2, 0);
	}
	ret = io_submit(t->aio, nr, ptrs);
	fz_tally(t->who, FZ_AIO, ret, -ret, async_errnos);
	if (ret > 0 && fz_chance(r, 20)) {
		struct io_event cev;
		int c = io_cancel(t->aio, ptrs[fz_below(r, (uint64_t)ret)], &cev);

		fz_tally(t->who, FZ_AIO, c, -c, async_errnos);
	}
	while (ret > 0 && got < ret) {
		int e = io_getevents(t->aio, ret - got, ret - got, ev, &wait), k;

		if (e <= 0)
			break;
		for (k = 0; k < e; k++)
			fz_tally(t->who, FZ_AIO, ev[k].res, -(int)ev[k].res, async_errnos);
		got += e;
	}
	fz_log(t->who, n, "aio %u = %d, %d completed", nr, ret, got);
	if (ret > 0 && got < ret)
		fz_fail(t->who, "%d of %d AIO requests did not complete within 30 s",
			ret - got, ret);
}

/* A batch through io_uring: inline or through io-wq, sometimes cancelled. */
static void do_uring(struct chaos_thread *t, struct fz_rng *r, long n, int fd)
{
	struct __kernel_timespec wait = { .tv_sec = 30 };
	unsigned int i, nr = 1 + (unsigned int)fz_below(r, CHAOS_QD - 1), expect = 0;
	struct io_uring_cqe *cqe;
	int ret;

	if (!t->ring_ok)
		return;
	for (i = 0; i < nr; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);
		unsigned int len = (unsigned int)(fz_size(r) / nr + 1);
		void *buf = fz_chance(r, 90) ? t->bufs.arena + (size_t)(FZ_MAX_XFER / CHAOS_QD) * i :
					      fz_buf(&t->bufs, pick_kind(r), pick_offset(r));

		if (!sqe)
			break;
		if (fz_chance(r, 50))
			io_uring_prep_write(sqe, fd, buf, len, 0);
		else
			io_uring_prep_read(sqe, fd, buf, len, 0);
		if (fz_chance(r, 30))
			io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
		io_uring_sqe_set_data64(sqe, i + 1);
		expect++;
	}
	if (fz_chance(r, 20)) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);

		if (sqe) {
			io_uring_prep_cancel64(sqe, 1 + fz_below(r, nr), 0);
			io_uring_sqe_set_data64(sqe, 0);
			expect++;
		}
	}
	ret = io_uring_submit(&t->ring);
	fz_tally(t->who, FZ_URING, ret, -ret, async_errnos);
	if (ret < 0) {
		fz_log(t->who, n, "io_uring %u = %d", nr, ret);
		return;
	}
	for (i = 0; i < expect; i++) {
		if (io_uring_wait_cqe_timeout(&t->ring, &cqe, &wait)) {
			fz_fail(t->who, "%u of %u io_uring completions missing after 30 s",
				expect - i, expect);
			return;
		}
		fz_tally(t->who, FZ_URING, cqe->res, -cqe->res, async_errnos);
		io_uring_cqe_seen(&t->ring, cqe);
	}
	fz_log(t->who, n, "io_uring %u = %d", nr, ret);
}

/*
 * A child that shares the open drive submits requests and exits at once:
 * they must complete, and their pages be unpinned, with nobody waiting.
 */
static void do_exit_in_flight(struct chaos_thread *t, struct fz_rng *r, long n, int fd)
{
	unsigned int nr = 1 + (unsigned int)fz_below(r, CHAOS_QD);
	bool uring = fz_chance(r, 50);
	bool write_it = fz_chance(r, 50);
	size_t len = 4096u << fz_below(r, 7);
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return;
	if (!pid) {
		unsigned int i;

		if (uring) {
			struct io_uring ring;

			if (io_uring_queue_init(CHAOS_QD, &ring, 0))
				_exit(0);
			for (i = 0; i < nr; i++) {
				struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

				if (write_it)
					io_uring_prep_write(sqe, fd, t->bufs.arena, (unsigned int)len, 0);
				else
					io_uring_prep_read(sqe, fd, t->bufs.arena, (unsigned int)len, 0);
			}
			io_uring_submit(&ring);
		} else {
			io_context_t ctx = 0;
			struct iocb cbs[CHAOS_QD], *ptrs[CHAOS_QD];

			if (io_setup(CHAOS_QD, &ctx))
				_exit(0);
			for (i = 0; i < nr; i++) {
				if (write_it)
					io_prep_pwrite(&cbs[i], fd, t->bufs.arena, len, 0);
				else
					io_prep_pread(&cbs[i], fd, t->bufs.arena, len, 0);
				ptrs[i] = &cbs[i];
			}
			io_submit(ctx, nr, ptrs);
		}
		_exit(0);
	}
	waitpid(pid, &status, 0);
	fz_tally(t->who, FZ_EXIT_IN_FLIGHT, 0, 0, none_allowed);
	fz_log(t->who, n, "exit-in-flight %s %u x %zu", uring ? "io_uring" : "aio", nr, len);
}

/* Random values, good and bad, for the knobs students and tests turn. */
static void do_knob(struct chaos_thread *t, struct fz_rng *r, long n)
{
	static const char *const modes[] = { "auto", "direct", "buffered", "legacy", "turbo" };
	static const char *const aligns[] = { "1", "4", "512", "4096", "3", "8192" };
	static const char *const rates[] = { "0", "0", "50", "200", "1000", "-1" };
	static const char *const buffers[] = { "0", "64", "512", "4096" };
	static const char *const repos[] = { "0", "2", "10" };
	unsigned int drive = (unsigned int)fz_below(r, fz.drives);
	char path[128];
	const char *value;
	int err;

	switch (fz_below(r, 9)) {
	case 0:
		snprintf(path, sizeof(path), "/sys/module/dtape/parameters/mode");
		value = modes[fz_below(r, 5)];
		break;
	case 1:
		snprintf(path, sizeof(path), "/sys/module/dtape/parameters/dma_alignment");
		value = aligns[fz_below(r, 6)];
		break;
	case 2:
		snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/write_protect", drive);
		value = fz_chance(r, 70) ? "0" : fz_chance(r, 80) ? "1" : "maybe";
		break;
	case 3:
	case 4:
		snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/stream/rate_mbps", drive);
		value = rates[fz_below(r, 6)];
		break;
	case 5:
		snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/stream/buffer_kb", drive);
		value = buffers[fz_below(r, 4)];
		break;
	case 6:
		snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/stream/reposition_ms", drive);
		value = repos[fz_below(r, 3)];
		break;
	case 7:
		snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/stream/inflight_max", drive);
		value = fz_chance(r, 80) ? "0" : "7";
		break;
	default:
		snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/stats/pages_pinned", drive);
		value = "0";
		break;
	}
	err = fz_write_file(path, value);
	fz_tally(t->who, FZ_KNOB, err ? -1 : 0, err, knob_errnos);
	fz_log(t->who, n, "sysfs %s <- %s = %d", path, value, -err);
}

static void do_rmmod(struct chaos_thread *t, long n)
{
	long ret = syscall(SYS_delete_module, "dtape", O_NONBLOCK);
	int err = errno;

	fz_tally(t->who, FZ_RMMOD, ret, err, rmmod_errnos);
	fz_log(t->who, n, "rmmod = %ld", ret < 0 ? -err : ret);
	if (!ret)
		fz_fail(t->who, "dtape was unloaded while drive %u was open", fz.anchor);
}

/* Calls a tape has no use for: each must fail cleanly or do nothing. */
static void do_other(struct chaos_thread *t, struct fz_rng *r, long n, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	long ret;
	void *m;

	switch (fz_below(r, 4)) {
	case 0:
		ret = lseek(fd, (off_t)fz_below(r, 1 << 20), SEEK_SET);
		break;
	case 1:
		m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		ret = m == MAP_FAILED ? -1 : 0;
		if (!ret)
			munmap(m, 4096);
		break;
	case 2:
		ret = fsync(fd);
		break;
	default:
		ret = poll(&p, 1, 0);
		break;
	}
	fz_tally(t->who, FZ_OTHER, ret, errno, other_errnos);
	fz_log(t->who, n, "other = %ld", ret < 0 ? -errno : ret);
}

/* --- the thread ------------------------------------------------------------------ */
enum chaos_op {
	OP_OPEN, OP_CLOSE, OP_READ, OP_WRITE, OP_READV, OP_WRITEV, OP_IOCTL, OP_AIO,
	OP_URING, OP_EXIT, OP_KNOB, OP_RMMOD, OP_OTHER, NR_OPS
};

static const unsigned int op_weight[NR_OPS] = {
	[OP_OPEN] = 8, [OP_CLOSE] = 4, [OP_READ] = 12, [OP_WRITE] = 14, [OP_READV] = 5,
	[OP_WRITEV] = 5, [OP_IOCTL] = 18, [OP_AIO] = 8, [OP_URING] = 8, [OP_EXIT] = 2,
	[OP_KNOB] = 6, [OP_RMMOD] = 1, [OP_OTHER] = 4,
};

static enum chaos_op pick_op(struct fz_rng *r)
{
	unsigned int total = 0, x, op;

	for (op = 0; op < NR_OPS; op++)
		total += op_weight[op];
	x = (unsigned int)fz_below(r, total);
	for (op = 0; x >= op_weight[op]; op++)
		x -= op_weight[op];
	return (enum chaos_op)op;
}

static void chaos_call(struct chaos_thread *t, long n)
{
	struct fz_rng r = fz_rng_for(t->worker, (uint64_t)n);
	enum chaos_op op = pick_op(&r);
	int fd;

	if (op == OP_OPEN || op == OP_CLOSE || op == OP_KNOB || op == OP_RMMOD) {
		if (op == OP_OPEN)
			do_open(t, &r, n);
		else if (op == OP_CLOSE)
			do_close(t, n);
		else if (op == OP_KNOB)
			do_knob(t, &r, n);
		else
			do_rmmod(t, n);
		return;
	}
	fd = borrow_fd(t);
	if (fd < 0) {
		do_open(t, &r, n);
		return;
	}
	switch (op) {
	case OP_READ:
	case OP_WRITE:
		do_rw(t, &r, n, fd, op == OP_WRITE);
		break;
	case OP_READV:
	case OP_WRITEV:
		do_rwv(t, &r, n, fd, op == OP_WRITEV);
		break;
	case OP_IOCTL:
		do_ioctl(t, &r, n, fd);
		break;
	case OP_AIO:
		do_aio(t, &r, n, fd);
		break;
	case OP_URING:
		do_uring(t, &r, n, fd);
		break;
	case OP_EXIT:
		do_exit_in_flight(t, &r, n, fd);
		break;
	default:
		do_other(t, &r, n, fd);
		break;
	}
	close(fd);
}

static void *chaos_thread_main(void *arg)
{
	struct chaos_thread *t = arg;
	long n;

	for (n = 0; !fz_stopping(n); n++)
		chaos_call(t, n);
	return NULL;
}

int fz_chaos_process(unsigned int proc, unsigned int threads)
{
	struct chaos_proc p = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };
	struct chaos_thread *t = calloc(threads, sizeof(*t));
	pthread_t *tid = calloc(threads, sizeof(*tid));
	unsigned int i, started = 0;
	int rc = 0;

	if (!t || !tid) {
		free(t);
		free(tid);
		return 1;
	}
	for (i = 0; i < threads; i++) {
		t[i].p = &p;
		t[i].worker = 1 + proc * 64 + i;
		snprintf(t[i].who, sizeof(t[i].who), "chaos %u.%u", proc, i);
		if (!fz_bufs_init(&t[i].bufs) || io_setup(CHAOS_QD * 2, &t[i].aio)) {
			fprintf(stderr, "tapefuzz: %s: no memory for buffers or an AIO context\n",
				t[i].who);
			rc = 1;
			break;
		}
		t[i].ring_ok = !io_uring_queue_init(CHAOS_QD * 2, &t[i].ring, 0);
		if (pthread_create(&tid[i], NULL, chaos_thread_main, &t[i])) {
			rc = 1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	for (i = 0; i < started; i++) {
		/* Waits for what is still in flight, so the buffers may go. */
		io_destroy(t[i].aio);
		if (t[i].ring_ok)
			io_uring_queue_exit(&t[i].ring);
		fz_bufs_free(&t[i].bufs);
	}
	if (p.fd >= 0)
		close(p.fd);
	free(t);
	free(tid);
	return rc;
}
