// SPDX-License-Identifier: GPL-2.0
/*
 * tapefuzz's model checker (fuzz_model.h).
 *
 * The model learns what the driver did from what each call returned and
 * from dtape's own counters (records_written, filemarks_written): a
 * chaos thread may have switched the mode, the alignment, the streaming
 * model or the write-protect tab just before the call, so some refusals
 * cannot be predicted, but a refusal must change nothing. What a read
 * returns is predicted exactly, byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_model.h"
#include "pattern.h"
#include "tapemodel.h"

#define WHO "model"
#define MODEL_WORKER 0
#define MAX_PIECES 8
#define PIECE_ROOM (1u << 20)	/* a batch's pieces get 1 MiB each */
#define VERIFY_EVERY 60
#define WAIT_S 60

struct model {
	struct tapemodel tm;
	int fd;
	bool writable, odirect, norewind, online;
	uint64_t head, bs, next_id, capacity;
	long long rec_written, fm_written;
	struct fz_bufs bufs;
	io_context_t aio;
	struct io_uring ring;
	long n;			/* the call being made, for messages */
};

/* One buffer of a call: a record to write, or room for one to read. */
struct piece {
	unsigned char *buf;
	size_t len;
	uint64_t id;
	bool hostile;
	size_t accessible;	/* of a bad buffer: how much of it works */
	long res;
};

enum how { HOW_SYNC, HOW_NOWAIT, HOW_VECTOR, HOW_AIO, HOW_URING };

static const char *const how_names[] = { "read/write", "RWF_NOWAIT", "readv/writev", "aio",
					 "io_uring" };

static bool failed(void)
{
	return atomic_load(&fz.sh->stop) && atomic_load(&fz.sh->failures);
}

/* --- what the driver says ------------------------------------------------------- */
static bool counters(struct model *m, long long *d_rec, long long *d_fm)
{
	long long rec, fm;

	if (!fz_drive_stat(fz.model_drive, "stats/records_written", &rec) ||
	    !fz_drive_stat(fz.model_drive, "stats/filemarks_written", &fm)) {
		fz_fail(WHO, "cannot read drive %u's stats/", fz.model_drive);
		return false;
	}
	*d_rec = rec - m->rec_written;
	*d_fm = fm - m->fm_written;
	m->rec_written = rec;
	m->fm_written = fm;
	return true;
}

/*
 * The head, file and block numbers, block size, whether a tape is loaded,
 * and the tape used, as the driver reports them, against the model.
 */
static bool check_state(struct model *m, const char *after)
{
	uint64_t fileno, blkno, used;
	long long sys_used;
	struct mtpos pos;
	struct mtget get;

	if (ioctl(m->fd, MTIOCPOS, &pos) || ioctl(m->fd, MTIOCGET, &get)) {
		fz_fail(WHO, "call %ld: MTIOCPOS/MTIOCGET after %s: %s", m->n, after,
			fz_errname(errno));
		return false;
	}
	tm_position(&m->tm, m->head, &fileno, &blkno);
	used = tm_used(&m->tm, m->tm.n);
	if ((uint64_t)pos.mt_blkno != m->head || (uint64_t)get.mt_fileno != fileno ||
	    (uint64_t)get.mt_blkno != blkno) {
		fz_fail(WHO, "call %ld: after %s the head is at block %ld (file %d, block %d); the model says %llu (file %llu, block %llu)",
			m->n, after, pos.mt_blkno, get.mt_fileno, get.mt_blkno,
			(unsigned long long)m->head, (unsigned long long)fileno,
			(unsigned long long)blkno);
		return false;
	}
	if ((uint64_t)(get.mt_dsreg & MT_ST_BLKSIZE_MASK) != m->bs ||
	    !!GMT_ONLINE(get.mt_gstat) != m->online) {
		fz_fail(WHO, "call %ld: after %s MTIOCGET says block size %ld, %s; the model says %llu, %s",
			m->n, after, get.mt_dsreg & MT_ST_BLKSIZE_MASK,
			GMT_ONLINE(get.mt_gstat) ? "online" : "offline",
			(unsigned long long)m->bs, m->online ? "online" : "offline");
		return false;
	}
	if (!fz_drive_stat(fz.model_drive, "used_bytes", &sys_used) || (uint64_t)sys_used != used) {
		fz_fail(WHO, "call %ld: after %s used_bytes is %lld; the model's %llu entries use %llu",
			m->n, after, sys_used, (unsigned long long)m->tm.n,
			(unsigned long long)used);
		return false;
	}
	return true;
}

/* st's implicit filemark, written at the head if the counter says one was. */
static void implicit_filemark(struct model *m, long long d_fm)
{
	if (d_fm <= 0)
		return;
	tm_filemarks(&m->tm, m->head, 1);
	m->head++;
}

/* --- calls with pieces --------------------------------------------------------------- */
static void submit_aio(struct model *m, struct piece *p, unsigned int nr, bool write_it)
{
	struct iocb cbs[MAX_PIECES], *ptrs[MAX_PIECES];
	struct io_event ev[MAX_PIECES];
	struct timespec wait = { .tv_sec = WAIT_S };
	unsigned int i;
	int ret, got = 0;

	for (i = 0; i < nr; i++) {
		if (write_it)
			io_prep_pwrite(&cbs[i], m->fd, p[i].buf, p[i].len, 0);
		else
			io_prep_pread(&cbs[i], m->fd, p[i].buf, p[i].len, 0);
		cbs[i].data = &p[i];
		ptrs[i] = &cbs[i];
		p[i].res = -ECANCELED;
	}
	ret = io_submit(m->aio, nr, ptrs);
	fz_tally(WHO, FZ_AIO, ret, -ret, (const int[]){ 0 });
	while (ret > 0 && got < ret) {
		int e = io_getevents(m->aio, ret - got, ret - got, ev, &wait), k;

		if (e <= 0) {
			fz_fail(WHO, "call %ld: %d AIO requests not complete after %d s", m->n,
				ret - got, WAIT_S);
			return;
		}
		for (k = 0; k < e; k++)
			((struct piece *)ev[k].data)->res = (long)ev[k].res;
		got += e;
	}
}

static void submit_uring(struct model *m, struct piece *p, unsigned int nr, bool write_it)
{
	struct __kernel_timespec wait = { .tv_sec = WAIT_S };
	struct io_uring_cqe *cqe;
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&m->ring);

		if (write_it)
			io_uring_prep_write(sqe, m->fd, p[i].buf, (unsigned int)p[i].len, 0);
		else
			io_uring_prep_read(sqe, m->fd, p[i].buf, (unsigned int)p[i].len, 0);
		/*
		 * io-wq may run requests for a device file side by side, in
		 * any order; only a lone one can take that path here.
		 */
		if (nr == 1 && m->n % 2)
			io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
		io_uring_sqe_set_data(sqe, &p[i]);
		p[i].res = -ECANCELED;
	}
	ret = io_uring_submit(&m->ring);
	fz_tally(WHO, FZ_URING, ret, -ret, (const int[]){ 0 });
	for (i = 0; ret > 0 && i < nr; i++) {
		if (io_uring_wait_cqe_timeout(&m->ring, &cqe, &wait)) {
			fz_fail(WHO, "call %ld: io_uring completions missing after %d s", m->n,
				WAIT_S);
			return;
		}
		((struct piece *)io_uring_cqe_get_data(cqe))->res = cqe->res;
		io_uring_cqe_seen(&m->ring, cqe);
	}
}

/*
 * Make the call: one sync call (its result, errno set), or a batch (0;
 * each piece's res holds its own result).
 */
static long issue(struct model *m, enum how how, struct piece *p, unsigned int nr, bool write_it)
{
	struct iovec v[MAX_PIECES];
	unsigned int i;

	for (i = 0; i < nr; i++)
		v[i] = (struct iovec){ p[i].buf, p[i].len };
	switch (how) {
	case HOW_SYNC:
		return write_it ? write(m->fd, p[0].buf, p[0].len) : read(m->fd, p[0].buf, p[0].len);
	case HOW_NOWAIT:
		return write_it ? pwritev2(m->fd, v, 1, -1, RWF_NOWAIT) :
				  preadv2(m->fd, v, 1, -1, RWF_NOWAIT);
	case HOW_VECTOR:
		return write_it ? writev(m->fd, v, (int)nr) : readv(m->fd, v, (int)nr);
	case HOW_AIO:
		submit_aio(m, p, nr, write_it);
		return 0;
	default:
		submit_uring(m, p, nr, write_it);
		return 0;
	}
}

/* How a call is made, and how many pieces it has: 2-3 for a vector, 1-8 for a batch. */
static enum how pick_how(struct fz_rng *r, unsigned int *nr)
{
	enum how how = (enum how)fz_below(r, 5);

	*nr = how == HOW_VECTOR ? 2 + (unsigned int)fz_below(r, 2) :
	      how >= HOW_AIO ? 1 + (unsigned int)fz_below(r, MAX_PIECES) : 1;
	return how;
}

/* A sync call's result shared out: whole pieces first, the rest failed. */
static void share_result(struct piece *p, unsigned int nr, long ret, int err)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (ret < 0) {
			p[i].res = -err;
		} else if ((size_t)ret >= p[i].len) {
			p[i].res = (long)p[i].len;
			ret -= (long)p[i].len;
		} else {
			p[i].res = ret ? ret : -ECANCELED;
			ret = -1;
			err = ECANCELED;
		}
	}
}

/*
 * Point P at bad memory of KIND. A half-mapped buffer is made longer than
 * its good page, so a whole transfer needs the bad part; a record that
 * fits the good page may still be read into it inline.
 */
static void make_hostile(struct model *m, struct piece *p, enum fz_buf_kind kind)
{
	p->buf = fz_buf(&m->bufs, kind, 0);
	p->hostile = true;
	if (kind != FZ_BUF_HALF)
		return;
	p->accessible = 4096;
	if (p->len <= 4096)
		p->len = m->bs ? m->bs * (4096 / m->bs + 1) : 8192;
}

/* --- writing --------------------------------------------------------------------- */
static bool write_refusal_ok(struct model *m, const struct piece *p, enum how how, bool sensitive)
{
	int err = (int)-p->res;

	return err == ENOSPC || err == EROFS || err == ECANCELED ||
	       (err == ENOMEDIUM && !m->online) || (err == EAGAIN && how == HOW_NOWAIT) ||
	       (err == EINVAL && (sensitive || how == HOW_VECTOR)) ||
	       (err == EFAULT && p->hostile);
}

static void model_write(struct model *m, struct fz_rng *r)
{
	unsigned int nr;
	enum how how = pick_how(r, &nr);
	size_t offset = fz_chance(r, 75) ? 0 : (size_t)fz_below(r, 4096);
	bool sensitive = offset != 0;
	struct piece p[MAX_PIECES];
	uint64_t nrec_total = 0;
	long long d_rec, d_fm;
	unsigned int i;
	long ret = 0;
	int err = 0;

	for (i = 0; i < nr; i++) {
		size_t room = nr == 1 ? FZ_MAX_XFER : PIECE_ROOM;
		size_t len = m->bs ? m->bs * (1 + fz_below(r, 16)) : fz_size(r) % room + 1;

		if (len > room)
			len = m->bs ? m->bs : room;
		p[i] = (struct piece){ .buf = m->bufs.arena + (size_t)i * PIECE_ROOM + offset, .len = len,
				       .id = m->next_id++ };
		/* Never for a vector: the pieces before a bad one are written. */
		if (how != HOW_VECTOR && fz_chance(r, 8)) {
			enum fz_buf_kind kind = (enum fz_buf_kind)(FZ_BUF_NULL + fz_below(r, 3));

			/* Read-only memory is good to write from. */
			make_hostile(m, &p[i], kind == FZ_BUF_READONLY ? FZ_BUF_HALF : kind);
		} else {
			pattern_fill(p[i].buf, p[i].len, m->tm.seed, p[i].id);
		}
	}
	ret = issue(m, how, p, nr, true);
	err = errno;
	if (how <= HOW_VECTOR) {
		fz_tally(WHO, how == HOW_VECTOR ? FZ_WRITEV : FZ_WRITE, ret, err,
			 (const int[]){ ENOSPC, EROFS, ENOMEDIUM, EAGAIN, EINVAL, EFAULT, 0 });
		share_result(p, nr, ret, err);
	}
	for (i = 0; i < nr; i++)
		fz_log(WHO, m->n, "write %s %u/%u %zu bytes%s at block %llu = %ld", how_names[how],
		       i + 1, nr, p[i].len, p[i].hostile ? " from bad memory" : "",
		       (unsigned long long)m->head, p[i].res);
	for (i = 0; i < nr && !failed(); i++) {
		if (p[i].res == (long)p[i].len && !p[i].hostile) {
			uint64_t nrec = m->bs ? p[i].len / m->bs : 1;

			tm_write(&m->tm, m->head, nrec, m->bs ? m->bs : p[i].len, p[i].id);
			m->head += nrec;
			nrec_total += nrec;
		} else if (p[i].res >= 0 || !write_refusal_ok(m, &p[i], how, sensitive)) {
			fz_fail(WHO, "call %ld: %s write %u of %u, %zu bytes from %s memory at +%zu: %s%ld",
				m->n, how_names[how], i + 1, nr, p[i].len,
				p[i].hostile ? "bad" : "good", offset,
				p[i].res < 0 ? fz_errname((int)-p[i].res) : "returned ",
				p[i].res < 0 ? 0 : p[i].res);
		}
	}
	if (failed() || !counters(m, &d_rec, &d_fm))
		return;
	if ((uint64_t)d_rec != nrec_total || d_fm)
		fz_fail(WHO, "call %ld: %s writes made %llu records (model) but records_written grew by %lld, filemarks_written by %lld",
			m->n, how_names[how], (unsigned long long)nrec_total, d_rec, d_fm);
	else
		check_state(m, "a write");
}

/* --- reading --------------------------------------------------------------------- */
/*
 * Whether RES is what a read of P at the head may return, and if so how
 * far the head moves; -1 (reported) if not.
 */
static long read_outcome(struct model *m, const struct piece *p, enum how how, bool sensitive)
{
	struct tm_read want = tm_predict_read(&m->tm, m->head, p->len, m->bs);
	long res = p->res;
	uint64_t at = 0;
	const char *why = NULL;

	/* Refusals that depend on a knob, or on pinning a queued request's buffer first. */
	if (want.kind != TM_NOTHING &&
	    ((res == -EFAULT && p->hostile) || (res == -EINVAL && sensitive) ||
	     (res == -EAGAIN && how == HOW_NOWAIT)))
		return 0;
	if (want.kind == TM_NOTHING)
		why = res ? "a read of 0 bytes must return 0" : NULL;
	else if (!m->online)
		why = res != -ENOMEDIUM ? "with no tape loaded a read must fail ENOMEDIUM" : NULL;
	else if (want.kind == TM_BAD_COUNT)
		why = res != -EINVAL ? "a read that is not whole blocks must fail EINVAL" : NULL;
	else if (want.kind == TM_END_OF_DATA)
		why = res && res != -EIO ? "at end of data a read returns 0 or fails EIO" : NULL;
	else if (want.kind == TM_FILEMARK)
		why = res ? "a read at a filemark returns 0" : NULL;
	else if (want.kind == TM_TOO_SHORT)
		why = res != -ENOMEM ? "a buffer shorter than the record fails ENOMEM" : NULL;
	else if (want.kind == TM_ILLEGAL_LENGTH)
		why = res != -EIO ? "a record of another length in fixed-block mode fails EIO" : NULL;
	else if ((p->hostile && want.len > p->accessible) || res != (long)want.len)
		why = p->hostile && want.len > p->accessible ?
			      "a read into bad memory must fail EFAULT" :
			      "the read's length is not the record's";
	else if (!tm_check_data(&m->tm, m->head, want.nrec, p->buf, want.len, &at))
		why = "the data differs from what was written";
	if (why) {
		fz_fail(WHO, "call %ld: %s read of %zu bytes at block %llu (%s memory): got %s%ld, expected kind %d of %llu bytes: %s (first difference at byte %llu)",
			m->n, how_names[how], p->len, (unsigned long long)m->head,
			p->hostile ? "bad" : "good", res < 0 ? fz_errname((int)-res) : "",
			res < 0 ? 0 : res, want.kind, (unsigned long long)want.len, why,
			(unsigned long long)at);
		return -1;
	}
	if (!m->online)
		return 0;
	if (want.kind == TM_DATA) {
		atomic_fetch_add(&fz.sh->model_records, (long)want.nrec);
		atomic_fetch_add(&fz.sh->model_bytes, (long)want.len);
	}
	return (long)want.advance;
}

/* The length a read asks for: mostly enough for the record at the head. */
static size_t read_size(struct model *m, struct fz_rng *r, size_t room)
{
	uint64_t len = 1;
	size_t want;

	if (m->head < m->tm.n && m->tm.e[m->head].len)
		len = m->tm.e[m->head].len;
	if (m->bs) {
		want = m->bs * (1 + fz_below(r, 8));
		if (fz_chance(r, 5))
			want += 1;
	} else if (fz_chance(r, 10)) {
		want = (size_t)fz_below(r, len) + 1;
	} else {
		want = len + (fz_chance(r, 50) ? 0 : (size_t)fz_below(r, 4096));
	}
	return want > room ? room : want;
}

/* Where the drive says the head is; false (reported) when it cannot say. */
static bool tell(struct model *m, uint64_t *block)
{
	struct mtpos pos;

	if (ioctl(m->fd, MTIOCPOS, &pos)) {
		fz_fail(WHO, "call %ld: MTIOCPOS: %s", m->n, fz_errname(errno));
		return false;
	}
	*block = (uint64_t)pos.mt_blkno;
	return true;
}

/*
 * readv() inline reads one record per piece and stops at a short one or
 * any error; queued (the streaming model on) it is refused whole. With a
 * misaligned buffer (SENSITIVE), a knob turned while it runs (mode,
 * dma_alignment) can refuse a piece after earlier ones were read: the call
 * then returns what those read, and the head stays before the refused one.
 */
static void model_readv(struct model *m, struct piece *p, unsigned int nr, long ret, int err,
			bool sensitive)
{
	long got = ret < 0 ? -err : ret, done = 0;
	uint64_t head = m->head, adv[MAX_PIECES], told;
	unsigned int i, used = 0;

	if (ret == -1 && err == EINVAL)
		return;
	if (!m->online) {
		if (ret != -1 || err != ENOMEDIUM)
			fz_fail(WHO, "call %ld: readv with no tape loaded returned %ld (%s)", m->n,
				ret, fz_errname(err));
		return;
	}
	/* What each piece gets, by st's rules, before looking at any data. */
	for (i = 0; i < nr; i++) {
		struct tm_read want = tm_predict_read(&m->tm, head, p[i].len, m->bs);

		p[i].res = want.kind == TM_DATA ? (long)want.len :
			   want.kind == TM_TOO_SHORT ? -ENOMEM :
			   want.kind == TM_ILLEGAL_LENGTH || want.kind == TM_END_OF_DATA ? -EIO :
			   want.kind == TM_BAD_COUNT ? -EINVAL : 0;
		/* End of data reads 0 twice first: what the call returned decides. */
		if (want.kind == TM_END_OF_DATA && !done && ret == 0)
			p[i].res = 0;
		adv[i] = want.advance;
		head += want.advance;
		used = i + 1;
		if (p[i].res <= 0) {
			if (!done)
				done = p[i].res;
			break;
		}
		done += p[i].res;
		if ((size_t)p[i].res < p[i].len)
			break;
	}
	if (sensitive && got > 0 && got != done) {
		long sum = 0;

		/* Refused part way: whole pieces up to the refused one. */
		for (i = 0; i < used && sum < got && p[i].res == (long)p[i].len; i++)
			sum += p[i].res;
		if (sum == got) {
			used = i;
			done = got;
		}
	} else if (sensitive && got == done && used > 1 && p[used - 1].res <= 0 &&
		   adv[used - 1]) {
		/* A filemark, lost record or illegal length, or a refusal there: the head says. */
		if (!tell(m, &told))
			return;
		if (told == head - adv[used - 1])
			used--;
	}
	if (got != done) {
		fz_fail(WHO, "call %ld: readv of %u pieces from block %llu returned %s%ld; the model says %ld",
			m->n, nr, (unsigned long long)m->head, ret < 0 ? fz_errname(err) : "",
			ret < 0 ? 0 : ret, done);
		return;
	}
	for (i = 0; i < used; i++) {
		long moved = read_outcome(m, &p[i], HOW_VECTOR, false);

		if (moved < 0)
			return;
		m->head += (uint64_t)moved;
	}
}

static void model_read(struct model *m, struct fz_rng *r)
{
	unsigned int nr;
	enum how how = pick_how(r, &nr);
	size_t offset = fz_chance(r, 75) ? 0 : (size_t)fz_below(r, 4096);
	bool sensitive = offset != 0;
	struct piece p[MAX_PIECES];
	long long d_rec, d_fm;
	unsigned int i;
	long ret = 0;
	int err = 0;

	for (i = 0; i < nr; i++) {
		size_t room = nr == 1 ? FZ_MAX_XFER : PIECE_ROOM;

		p[i] = (struct piece){ .buf = m->bufs.arena + (size_t)i * PIECE_ROOM + offset,
				       .len = read_size(m, r, room) };
		if (how != HOW_VECTOR && fz_chance(r, 8)) {
			make_hostile(m, &p[i], (enum fz_buf_kind)(FZ_BUF_NULL + fz_below(r, 4)));
		}
	}
	ret = issue(m, how, p, nr, false);
	err = errno;
	fz_log(WHO, m->n, "read %s x%u at block %llu = %ld", how_names[how], nr,
	       (unsigned long long)m->head, ret < 0 ? -err : ret);
	for (i = 0; i < nr && how >= HOW_AIO; i++)
		fz_log(WHO, m->n, "read %u/%u %zu bytes%s = %ld", i + 1, nr, p[i].len,
		       p[i].hostile ? " into bad memory" : "", p[i].res);
	if (how == HOW_VECTOR) {
		fz_tally(WHO, FZ_READV, ret, err,
			 (const int[]){ ENOMEM, EIO, EINVAL, ENOMEDIUM, EFAULT, EAGAIN, 0 });
		model_readv(m, p, nr, ret, err, sensitive);
	} else {
		if (how <= HOW_NOWAIT) {
			fz_tally(WHO, FZ_READ, ret, err,
				 (const int[]){ ENOMEM, EIO, EINVAL, ENOMEDIUM, EFAULT, EAGAIN, 0 });
			p[0].res = ret < 0 ? -err : ret;
		}
		for (i = 0; i < nr && !failed(); i++) {
			long moved = read_outcome(m, &p[i], how, sensitive);

			if (moved > 0)
				m->head += (uint64_t)moved;
		}
	}
	if (failed() || !counters(m, &d_rec, &d_fm))
		return;
	if (d_rec || d_fm)
		fz_fail(WHO, "call %ld: reading wrote %lld records and %lld filemarks", m->n, d_rec,
			d_fm);
	else
		check_state(m, "a read");
}

/* --- moving, marking, erasing ------------------------------------------------------- */
static bool closes_file(short op)
{
	return op == MTREW || op == MTOFFL || op == MTUNLOAD || op == MTRETEN ||
	       op == MTSEEK || op == MTBSF || op == MTBSFM;
}

/* Returns 0 or -errno, and the model follows what the ioctl did. */
static int model_op(struct model *m, short op, int count)
{
	struct mtop mt = { .mt_op = op, .mt_count = count };
	long long d_rec, d_fm;
	int ret, err;
	bool ok;

	ret = ioctl(m->fd, MTIOCTOP, &mt);
	err = ret ? errno : 0;
	ret = -err;
	fz_tally(WHO, FZ_IOCTL, ret, err, (const int[]){ EIO, ENOSPC, EACCES, ENOMEDIUM, 0 });
	fz_log(WHO, m->n, "ioctl op %d count %d = %d", op, count, ret ? -err : 0);
	if (failed() || !counters(m, &d_rec, &d_fm))
		return -1;
	ok = !d_rec;
	if (op == MTWEOF) {
		ok = ok && d_fm == (ret ? 0 : count);
		if (!ret)
			tm_filemarks(&m->tm, m->head, (uint64_t)count);
	} else {
		ok = ok && (d_fm == 0 || (d_fm == 1 && closes_file(op)));
		implicit_filemark(m, d_fm);
	}
	if (!ok) {
		fz_fail(WHO, "call %ld: MTIOCTOP %d (count %d) wrote %lld records and %lld filemarks",
			m->n, op, count, d_rec, d_fm);
		return -1;
	}
	if (ret && !(err == EIO && op != MTWEOF && op != MTERASE) &&
	    !(err == ENOSPC && op == MTWEOF) && !(err == ENOMEDIUM && !m->online) &&
	    !(err == EACCES && (op == MTWEOF || op == MTERASE))) {
		fz_fail(WHO, "call %ld: MTIOCTOP %d (count %d) failed %s", m->n, op, count,
			fz_errname(err));
		return -1;
	}
	switch (ret ? -1 : (int)op) {
	case MTERASE:
		tm_truncate(&m->tm, m->head);
		break;
	case MTSETBLK:
		m->bs = (uint64_t)count;
		break;
	case MTOFFL:
	case MTUNLOAD:
		m->online = false;
		break;
	case MTLOAD:
		m->online = true;
		break;
	default:
		break;
	}
	return ret;
}

/* Where the head must be after OP, when st's rules say it exactly. */
static bool predicted_head(struct model *m, short op, int count, int ret, uint64_t *head)
{
	if (op == MTSEEK && ret == -EIO) {
		*head = m->tm.n;
		return true;
	}
	if (ret)
		return false;
	switch (op) {
	case MTREW:
	case MTRETEN:
	case MTRESET:
	case MTOFFL:
	case MTUNLOAD:
		*head = 0;
		return true;
	case MTEOM:
		*head = m->tm.n;
		return true;
	case MTSEEK:
		*head = (uint64_t)count;
		return true;
	default:
		return false;
	}
}

static void model_ioctl(struct model *m, struct fz_rng *r)
{
	static const short moves[] = { MTFSF, MTBSF, MTFSR, MTBSR, MTFSFM, MTBSFM };
	uint64_t used = tm_used(&m->tm, m->tm.n), want, told;
	unsigned int x = (unsigned int)fz_below(r, 100);
	int count = (int)fz_below(r, 4), ret;
	short op;

	if (x < 35)
		op = moves[fz_below(r, 6)];
	else if (x < 45)
		op = MTREW;
	else if (x < 52)
		op = MTEOM;
	else if (x < 62) {
		op = MTSEEK;
		count = (int)fz_below(r, m->tm.n + 2);
	} else if (x < 70)
		op = MTWEOF;
	else if (x < 76 || used > m->capacity / 4 * 3)
		op = MTERASE;
	else if (x < 84) {
		static const int sizes[] = { 0, 0, 0, 512, 1024, 4096 };

		op = MTSETBLK;
		count = sizes[fz_below(r, 6)];
	} else if (x < 87)
		op = MTOFFL;
	else if (x < 92)
		op = MTLOAD;
	else if (x < 96)
		op = MTNOP;
	else
		op = fz_chance(r, 50) ? MTRETEN : MTRESET;
	if (op == MTERASE && m->tm.n && fz_chance(r, 50)) {
		/* Erase from somewhere in the middle. */
		model_op(m, MTSEEK, (int)fz_below(r, m->tm.n));
		if (failed() || !tell(m, &m->head))
			return;
	}
	ret = model_op(m, op, count);
	if (failed() || !tell(m, &told))
		return;
	if (predicted_head(m, op, count, ret, &want) && want != told) {
		fz_fail(WHO, "call %ld: after MTIOCTOP %d (count %d) = %d the head is at %llu, not %llu",
			m->n, op, count, ret, (unsigned long long)told, (unsigned long long)want);
		return;
	}
	if (told > m->tm.n) {
		fz_fail(WHO, "call %ld: after MTIOCTOP %d the head is at %llu, past end of data (%llu)",
			m->n, op, (unsigned long long)told, (unsigned long long)m->tm.n);
		return;
	}
	m->head = told;
	check_state(m, "an MTIOCTOP");
}

/* --- opening ------------------------------------------------------------------------ */
/*
 * How long the model's drive may stay busy after the model closed it.
 * Every request holds the file, and an asynchronous one can drop its
 * reference after the model has seen it complete.  dtape's worker thread
 * completes AIO requests: aio_complete() lets io_getevents() return
 * before the request drops its reference, and when that is the last one,
 * a kernel thread's fput() leaves the release to a workqueue a tick later
 * (delayed_fput); an io_uring request punted to an io-wq worker posts its
 * completion before it is freed, too.
 * Until then the drive is busy, as st's would be, and a reopen gets
 * EBUSY (once in a make test on a loaded machine).  A drive still busy
 * after this long was never released.
 */
#define MODEL_RELEASE_MS 5000

/* open(2) of the model's drive, waiting out a release that is still to come. */
static int open_released(const char *node, int flags)
{
	int fd, waited;

	for (waited = 0;; waited += 10) {
		fd = open(node, flags);
		if (fd >= 0 || errno != EBUSY || waited >= MODEL_RELEASE_MS)
			break;
		usleep(10000);
	}
	if (waited && fd >= 0)
		atomic_fetch_add(&fz.sh->model_busy_reopens, 1);
	return fd;
}

static bool model_open(struct model *m, struct fz_rng *r)
{
	char node[32], path[96];
	int flags, tries;
	struct mtget get;

	m->norewind = fz_chance(r, 50);
	m->writable = fz_chance(r, 85);
	m->odirect = fz_chance(r, 25);
	flags = (m->writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | (m->odirect ? O_DIRECT : 0) |
		(fz_chance(r, 15) ? O_NONBLOCK : 0);
	fz_node(fz.model_drive, m->norewind, node, sizeof(node));
	snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/write_protect", fz.model_drive);
	for (tries = 0; tries < 20; tries++) {
		m->fd = open_released(node, flags);
		if (m->fd >= 0 || errno != EROFS)
			break;
		/* A chaos thread flipped the tab: the model's tape is for writing. */
		fz_write_file(path, "0");
	}
	fz_tally(WHO, FZ_OPEN, m->fd, errno, (const int[]){ EROFS, 0 });
	fz_log(WHO, m->n, "open %s 0%o = %d", node, (unsigned int)flags, m->fd < 0 ? -errno : 0);
	if (m->fd < 0) {
		if (errno != EROFS)
			fz_fail(WHO, "call %ld: open %s: %s", m->n, node, fz_errname(errno));
		return false;
	}
	if (ioctl(m->fd, MTIOCGET, &get)) {
		fz_fail(WHO, "MTIOCGET after open: %s", fz_errname(errno));
		return false;
	}
	m->online = GMT_ONLINE(get.mt_gstat);
	return check_state(m, "open");
}

static void model_close(struct model *m)
{
	long long d_rec, d_fm;

	close(m->fd);
	m->fd = -1;
	fz_tally(WHO, FZ_CLOSE, 0, 0, (const int[]){ 0 });
	if (!counters(m, &d_rec, &d_fm))
		return;
	if (d_rec || d_fm > 1)
		fz_fail(WHO, "call %ld: close wrote %lld records and %lld filemarks", m->n, d_rec,
			d_fm);
	implicit_filemark(m, d_fm);
	if (!m->norewind)
		m->head = 0;
}

/* --- the whole tape, front to back --------------------------------------------- */
static void model_verify(struct model *m)
{
	struct piece p = { .buf = m->bufs.arena, .len = FZ_MAX_XFER };
	uint64_t block;
	long moved;

	if (!m->online && model_op(m, MTLOAD, 0))
		return;
	if ((m->bs && model_op(m, MTSETBLK, 0)) || model_op(m, MTREW, 0))
		return;
	m->head = 0;
	for (block = 0; block <= m->tm.n && !failed(); block += (uint64_t)moved) {
		p.res = read(m->fd, p.buf, p.len);
		if (p.res < 0)
			p.res = -errno;
		moved = read_outcome(m, &p, HOW_SYNC, false);
		if (moved <= 0)
			break;
		m->head += (uint64_t)moved;
	}
	fz_tally(WHO, FZ_VERIFY, 0, 0, (const int[]){ 0 });
	if (!failed() && m->head == m->tm.n) {
		atomic_fetch_add(&fz.sh->model_passes, 1);
		check_state(m, "reading the whole tape");
	} else if (!failed()) {
		fz_fail(WHO, "call %ld: reading the whole tape stopped at block %llu of %llu",
			m->n, (unsigned long long)m->head, (unsigned long long)m->tm.n);
	}
}

/* --- the process ---------------------------------------------------------------------- */
static void model_call(struct model *m)
{
	struct fz_rng r = fz_rng_for(MODEL_WORKER, (uint64_t)m->n);
	unsigned int x = (unsigned int)fz_below(&r, 100);

	if (m->fd < 0) {
		model_open(m, &r);
	} else if (m->n % VERIFY_EVERY == VERIFY_EVERY - 1) {
		model_verify(m);
	} else if (x < 35 && m->writable) {
		model_write(m, &r);
	} else if (x < 70) {
		model_read(m, &r);
	} else if (x < 94) {
		model_ioctl(m, &r);
	} else {
		model_close(m);
	}
}

/*
 * The model starts from an empty tape in variable-block mode, whatever an
 * earlier run left on the drive.
 */
static bool model_prepare(struct model *m)
{
	static const struct mtop ops[] = { { MTLOAD, 0 }, { MTSETBLK, 0 }, { MTREW, 0 },
					   { MTERASE, 0 } };
	char node[32], path[96];
	long long cap;
	unsigned int i;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/dtape/dtape%u/write_protect", fz.model_drive);
	fz_node(fz.model_drive, true, node, sizeof(node));
	if (fz_write_file(path, "0") || !fz_drive_stat(fz.model_drive, "capacity_bytes", &cap)) {
		fprintf(stderr, "tapefuzz: model: cannot use %s: is dtape loaded?\n", path);
		return false;
	}
	m->capacity = (uint64_t)cap;
	fd = open(node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tapefuzz: model: %s: %s\n", node, strerror(errno));
		return false;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (ioctl(fd, MTIOCTOP, &ops[i])) {
			fprintf(stderr, "tapefuzz: model: emptying %s: %s\n", node, strerror(errno));
			close(fd);
			return false;
		}
	}
	close(fd);
	return true;
}

int fz_model_process(void)
{
	struct model m = { .fd = -1, .online = true };
	struct fz_rng r = fz_rng_for(MODEL_WORKER, ~0ULL);
	long long d_rec, d_fm;

	tm_init(&m.tm, fz_next(&r));
	if (!model_prepare(&m))
		return 1;
	if (!fz_bufs_init(&m.bufs) || io_setup(MAX_PIECES, &m.aio) ||
	    io_uring_queue_init(MAX_PIECES, &m.ring, 0)) {
		fprintf(stderr, "tapefuzz: model: no memory for buffers, AIO or io_uring\n");
		return 1;
	}
	counters(&m, &d_rec, &d_fm);
	for (m.n = 0; !fz_stopping(m.n); m.n++)
		model_call(&m);
	if (!failed()) {
		if (m.fd < 0 && !model_open(&m, &r))
			return 1;
		model_verify(&m);
	}
	if (m.fd >= 0)
		close(m.fd);
	io_destroy(m.aio);
	io_uring_queue_exit(&m.ring);
	fz_bufs_free(&m.bufs);
	tm_free(&m.tm);
	return failed();
}
