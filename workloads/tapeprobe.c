// SPDX-License-Identifier: GPL-2.0
/*
 * tapeprobe: one hostile call to dtape, for the error-path tests and labs:
 * a read() or write() with a deliberately awkward buffer (unmapped,
 * read-only, half unmapped, misaligned, short, split in pieces), the same
 * through AIO, splice or sendfile, an mtio ioctl with any op and count, or
 * a write to one of dtape's sysfs files. It prints each outcome as a line:
 *   result=N            the call returned N
 *   errno=ENAME         the call failed
 * and exits 0 either way. Bad usage, and a DEVICE that is not dtape's,
 * exit 2; a buffer it cannot set up, 1.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/aio_abi.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mtio.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib/numarg.h"
#include "lib/tapedev.h"

#define PROG "tapeprobe"
#define MAX_SEGMENTS 16

enum buffer_kind { BUF_NORMAL, BUF_UNMAPPED, BUF_READONLY, BUF_PARTIAL };

/* How a transfer reaches the driver. */
enum xfer { X_RW, X_AIO, X_SPLICE, X_SENDFILE };

struct probe {
	enum buffer_kind kind;
	unsigned long offset;
	unsigned long segments;	/* iovecs the buffer is split into */
	unsigned long repeat;	/* calls on one open file */
	bool odirect, nonblock, nowait;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tapeprobe [OPTIONS] DEVICE read|write LENGTH\n"
		"       tapeprobe [OPTIONS] DEVICE aio-read|aio-write LENGTH\n"
		"       tapeprobe [OPTIONS] DEVICE splice-read|splice-write|sendfile LENGTH\n"
		"       tapeprobe [OPTIONS] DEVICE op MTOP|NUMBER COUNT\n"
		"       tapeprobe [OPTIONS] DEVICE status|tell\n"
		"       tapeprobe [OPTIONS] DEVICE ioctl NUMBER\n"
		"       tapeprobe set FILE VALUE\n"
		"\n"
		"  -b, --buffer KIND   normal (default); unmapped (no access); readonly;\n"
		"                      partial (only the first page accessible);\n"
		"                      for op, status, tell and ioctl: the argument's\n"
		"  -o, --offset N      start the buffer N bytes into its first page\n"
		"  -v, --segments N    split the buffer into N iovecs (readv, writev,\n"
		"                      IOCB_CMD_PREADV/PWRITEV); at most 16\n"
		"  -r, --repeat N      make the call N times on one open file\n"
		"  -D, --odirect       open with O_DIRECT\n"
		"  -N, --nonblock      open with O_NONBLOCK (an offline drive stays so)\n"
		"  -n, --nowait        preadv2/pwritev2 with RWF_NOWAIT\n"
		"  -h, --help          this text\n"
		"\n"
		"op runs MTIOCTOP (MTOP: MTFSF, MTWEOF, MTSETBLK, ... or a number);\n"
		"status MTIOCGET; tell MTIOCPOS, and prints the block as result=N;\n"
		"ioctl any request NUMBER with a 64-byte argument; set write()s VALUE\n"
		"to FILE. Writes send the bytes 0x5a; splice moves them through a\n"
		"pipe (so at most 64 KiB), sendfile from a memfd.\n");
}

static int parse_number(const char *arg, const char *what, unsigned long max,
			unsigned long *out)
{
	uint64_t v;

	if (numarg(PROG, what, arg, max, &v))
		return -1;
	*out = v;
	return 0;
}

static int parse_buffer(const char *arg, enum buffer_kind *kind)
{
	static const char *const names[] = {
		[BUF_NORMAL] = "normal", [BUF_UNMAPPED] = "unmapped",
		[BUF_READONLY] = "readonly", [BUF_PARTIAL] = "partial",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(arg, names[i])) {
			*kind = (enum buffer_kind)i;
			return 0;
		}
	}
	fprintf(stderr, PROG ": --buffer is normal, unmapped, readonly or partial, not '%s'\n",
		arg);
	return -1;
}

/* Build the buffer; the length covers the offset plus the transfer. */
static unsigned char *make_buffer(enum buffer_kind kind, size_t offset,
				  size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t area = (offset + len + page - 1) / page * page + page;
	unsigned char *p;

	p = mmap(NULL, area, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x5a, area);
	switch (kind) {
	case BUF_NORMAL:
		break;
	case BUF_UNMAPPED:
		/* no access, and the range stays ours: a later mmap (io_setup's
		 * ring) cannot land in it */
		if (mprotect(p, area, PROT_NONE))
			return NULL;
		break;
	case BUF_READONLY:
		if (mprotect(p, area, PROT_READ))
			return NULL;
		break;
	case BUF_PARTIAL:
		/* The transfer starts in a good page and runs into a hole. */
		if (mprotect(p + page, area - page, PROT_NONE))
			return NULL;
		break;
	}
	return p + offset;
}

/* One outcome line; @result < 0 is -errno. */
static void report(long long result)
{
	if (result < 0) {
		const char *name = strerrorname_np((int)-result);

		printf("errno=%s\n", name ? name : "unknown");
	} else {
		printf("result=%lld\n", result);
	}
}

/* A libc call's return value as report() takes it. */
static long long outcome(long long ret)
{
	return ret < 0 ? -errno : ret;
}

static int open_device(const char *path, int flags, const struct probe *p)
{
	if (p->odirect)
		flags |= O_DIRECT;
	if (p->nonblock)
		flags |= O_NONBLOCK;
	return open(path, flags | O_CLOEXEC);
}

/* The buffer cut into p->segments iovecs of nearly equal length. */
static int split(const struct probe *p, unsigned char *buf, size_t len,
		 struct iovec *iov)
{
	size_t each = len / p->segments, done = 0;
	unsigned long i;

	for (i = 0; i < p->segments; i++) {
		iov[i].iov_base = buf + done;
		iov[i].iov_len = i + 1 == p->segments ? len - done : each;
		done += iov[i].iov_len;
	}
	return (int)p->segments;
}

static long long rw_once(int fd, bool writing, const struct probe *p,
			 const struct iovec *iov, int n)
{
	int flags = p->nowait ? RWF_NOWAIT : 0;

	if (flags || n > 1)
		return outcome(writing ? pwritev2(fd, iov, n, -1, flags) :
					 preadv2(fd, iov, n, -1, flags));
	return outcome(writing ? write(fd, iov[0].iov_base, iov[0].iov_len) :
				 read(fd, iov[0].iov_base, iov[0].iov_len));
}

/* io_submit of one IOCB_CMD_PREADV/PWRITEV; the completion's result. */
static long long aio_once(int fd, bool writing, const struct iovec *iov,
			  int n)
{
	aio_context_t ctx = 0;
	struct io_event ev = { 0 };
	long long res;

	if (syscall(SYS_io_setup, 1, &ctx))
		return -errno;
	struct iocb cb = {
		.aio_fildes = (uint32_t)fd,
		.aio_lio_opcode = writing ? IOCB_CMD_PWRITEV : IOCB_CMD_PREADV,
		.aio_buf = (uint64_t)(uintptr_t)iov,
		.aio_nbytes = (uint64_t)n,
	};
	struct iocb *cbs[1] = { &cb };

	if (syscall(SYS_io_submit, ctx, 1, cbs) == 1 &&
	    syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL) == 1)
		res = ev.res;
	else
		res = -errno;
	syscall(SYS_io_destroy, ctx);
	return res;
}

/*
 * splice() between the tape and a pipe that holds up to @len bytes of 0x5a
 * (as many as fit: the pipe does not block).
 */
static long long splice_once(int fd, bool writing, size_t len)
{
	unsigned char fill[4096];
	int pipefd[2];
	long long res;
	size_t done = 0;
	ssize_t n;

	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC))
		return -errno;
	memset(fill, 0x5a, sizeof(fill));
	while (writing && done < len &&
	       (n = write(pipefd[1], fill, len - done < sizeof(fill) ? len - done : sizeof(fill))) > 0)
		done += (size_t)n;
	res = writing ? outcome(splice(pipefd[0], NULL, fd, NULL, done, 0)) :
			outcome(splice(fd, NULL, pipefd[1], NULL, len, 0));
	close(pipefd[0]);
	close(pipefd[1]);
	return res;
}

/* sendfile() to the tape from a memfd of @len bytes of 0x5a. */
static long long sendfile_once(int fd, size_t len)
{
	int mfd = memfd_create(PROG, MFD_CLOEXEC);
	unsigned char fill[4096];
	long long res = 0;
	size_t done;

	if (mfd < 0)
		return -errno;
	memset(fill, 0x5a, sizeof(fill));
	for (done = 0; done < len && res >= 0; done += sizeof(fill))
		res = outcome(write(mfd, fill, len - done < sizeof(fill) ? len - done : sizeof(fill)));
	if (res >= 0)
		res = outcome(sendfile(fd, mfd, (off_t[]){ 0 }, len));
	close(mfd);
	return res;
}

static int do_transfer(const char *dev, const char *verb, const char *lenarg,
		       const struct probe *p)
{
	struct iovec iov[MAX_SEGMENTS];
	bool writing = strstr(verb, "write") || !strcmp(verb, "sendfile");
	enum xfer how = X_RW;
	unsigned char *buf = NULL;
	unsigned long len, i;
	int fd, n = 0;

	if (!strncmp(verb, "aio-", 4))
		how = X_AIO;
	else if (!strncmp(verb, "splice-", 7))
		how = X_SPLICE;
	else if (!strcmp(verb, "sendfile"))
		how = X_SENDFILE;
	/* an option the call would not use is refused, not ignored */
	if ((p->nowait && how != X_RW) ||
	    ((how == X_SPLICE || how == X_SENDFILE) &&
	     (p->kind != BUF_NORMAL || p->offset || p->segments != 1))) {
		fprintf(stderr, PROG ": -n is for read and write; -b, -o and -v for read, write, aio-read and aio-write\n");
		return 2;
	}
	/* a pipe holds 64 KiB: filling it further would wait for ever */
	if (parse_number(lenarg, "length", how == X_SPLICE ? 1UL << 16 : 256UL << 20, &len))
		return 2;
	if (tapedev_check(PROG, dev))
		return 2;
	if (how == X_RW || how == X_AIO) {
		buf = make_buffer(p->kind, p->offset, len);
		if (!buf) {
			fprintf(stderr, PROG ": cannot set up the buffer: %s\n", strerror(errno));
			return 1;
		}
		n = split(p, buf, len, iov);
	}
	fd = open_device(dev, writing ? O_WRONLY : O_RDONLY, p);
	if (fd < 0) {
		report(-errno);
		return 0;
	}
	for (i = 0; i < p->repeat; i++) {
		switch (how) {
		case X_RW:
			report(rw_once(fd, writing, p, iov, n));
			break;
		case X_AIO:
			report(aio_once(fd, writing, iov, n));
			break;
		case X_SPLICE:
			report(splice_once(fd, writing, len));
			break;
		case X_SENDFILE:
			report(sendfile_once(fd, len));
			break;
		}
	}
	close(fd);
	return 0;
}

static int parse_mtop(const char *arg, short *op)
{
	static const struct { const char *name; short op; } ops[] = {
		{ "MTRESET", MTRESET }, { "MTFSF", MTFSF }, { "MTBSF", MTBSF },
		{ "MTFSR", MTFSR }, { "MTBSR", MTBSR }, { "MTWEOF", MTWEOF },
		{ "MTREW", MTREW }, { "MTOFFL", MTOFFL }, { "MTNOP", MTNOP },
		{ "MTRETEN", MTRETEN }, { "MTBSFM", MTBSFM }, { "MTFSFM", MTFSFM },
		{ "MTEOM", MTEOM }, { "MTERASE", MTERASE }, { "MTSETBLK", MTSETBLK },
		{ "MTSEEK", MTSEEK }, { "MTLOCK", MTLOCK }, { "MTUNLOCK", MTUNLOCK },
		{ "MTLOAD", MTLOAD }, { "MTUNLOAD", MTUNLOAD },
	};
	unsigned long v;
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(arg, ops[i].name)) {
			*op = ops[i].op;
			return 0;
		}
	}
	if (arg[0] >= '0' && arg[0] <= '9' && !parse_number(arg, "op", SHRT_MAX, &v)) {
		*op = (short)v;
		return 0;
	}
	fprintf(stderr, PROG ": op is an MTIOCTOP name such as MTFSF or a number, not '%s'\n", arg);
	return -1;
}

/* A count as struct mtop holds it: an int, negative ones included. */
static int parse_count(const char *arg, int *count)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end || v < INT_MIN || v > INT_MAX) {
		fprintf(stderr, PROG ": count '%s' is not an int\n", arg);
		return -1;
	}
	*count = (int)v;
	return 0;
}

/*
 * The ioctls: op (MTIOCTOP), status (MTIOCGET), tell (MTIOCPOS) and any
 * request number, each with its argument in a buffer of p->kind.
 */
static int do_ioctl(const char *dev, const char *verb, char *const *args,
		    int nargs, const struct probe *p)
{
	unsigned long request = 0, v;
	struct mtop op = { 0 };
	unsigned char *arg;
	size_t size = 64;
	int fd, flags = O_RDONLY;
	long long ret;

	if (!strcmp(verb, "op")) {
		if (nargs != 2 || parse_mtop(args[0], &op.mt_op) || parse_count(args[1], &op.mt_count))
			return 2;
		request = MTIOCTOP;
		size = sizeof(op);
	} else if (!strcmp(verb, "ioctl")) {
		if (nargs != 1 || parse_number(args[0], "request", UINT_MAX, &v))
			return 2;
		request = v;
	} else if (nargs) {
		usage(stderr);
		return 2;
	} else {
		request = !strcmp(verb, "status") ? MTIOCGET : MTIOCPOS;
		/* tell looks at an offline drive without loading it, as mt does */
		if (request == MTIOCPOS)
			flags |= O_NONBLOCK;
	}
	if (tapedev_check(PROG, dev))
		return 2;
	arg = make_buffer(p->kind == BUF_UNMAPPED ? BUF_UNMAPPED : BUF_NORMAL, 0, size);
	if (!arg) {
		fprintf(stderr, PROG ": cannot set up the argument: %s\n", strerror(errno));
		return 1;
	}
	if (p->kind != BUF_UNMAPPED) {
		memset(arg, 0, size);
		memcpy(arg, &op, request == MTIOCTOP ? sizeof(op) : 0);
		if (p->kind == BUF_READONLY && mprotect(arg, size, PROT_READ))
			return 1;
	}
	fd = open_device(dev, flags, p);
	if (fd < 0) {
		report(-errno);
		return 0;
	}
	ret = outcome(ioctl(fd, request, arg));
	if (request == MTIOCPOS && !ret)
		ret = (long long)((struct mtpos *)(void *)arg)->mt_blkno;
	report(ret);
	close(fd);
	return 0;
}

/* set FILE VALUE: one write() of VALUE, as echo VALUE >FILE makes it. */
static int do_set(const char *file, const char *value)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);

	if (fd < 0) {
		report(-errno);
		return 0;
	}
	report(outcome(write(fd, value, strlen(value))));
	close(fd);
	return 0;
}

static int parse_args(int argc, char **argv, struct probe *p)
{
	static const struct option longopts[] = {
		{ "buffer", required_argument, NULL, 'b' },
		{ "offset", required_argument, NULL, 'o' },
		{ "segments", required_argument, NULL, 'v' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "odirect", no_argument, NULL, 'D' },
		{ "nonblock", no_argument, NULL, 'N' },
		{ "nowait", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* "+": options come first, so that a count or value may be negative */
	while ((c = getopt_long(argc, argv, "+b:o:v:r:DNnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (parse_buffer(optarg, &p->kind))
				return 2;
			break;
		case 'o':
			if (parse_number(optarg, "offset", 1UL << 20, &p->offset))
				return 2;
			break;
		case 'v':
			if (parse_number(optarg, "segments", MAX_SEGMENTS, &p->segments))
				return 2;
			if (!p->segments) {
				fprintf(stderr, PROG ": segments is 1 to %d, not 0\n", MAX_SEGMENTS);
				return 2;
			}
			break;
		case 'r':
			if (parse_number(optarg, "repeat", 1000, &p->repeat))
				return 2;
			break;
		case 'D':
			p->odirect = true;
			break;
		case 'N':
			p->nonblock = true;
			break;
		case 'n':
			p->nowait = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const transfers[] = {
		"read", "write", "aio-read", "aio-write",
		"splice-read", "splice-write", "sendfile",
	};
	struct probe p = { .kind = BUF_NORMAL, .segments = 1, .repeat = 1 };
	const char *verb;
	size_t i;
	int err;

	err = parse_args(argc, argv, &p);
	if (err)
		return err;
	argv += optind;
	argc -= optind;
	if (argc == 3 && !strcmp(argv[0], "set"))
		return do_set(argv[1], argv[2]);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	verb = argv[1];
	for (i = 0; i < sizeof(transfers) / sizeof(transfers[0]); i++) {
		if (!strcmp(verb, transfers[i])) {
			if (argc != 3) {
				usage(stderr);
				return 2;
			}
			return do_transfer(argv[0], verb, argv[2], &p);
		}
	}
	if (!strcmp(verb, "op") || !strcmp(verb, "ioctl") || !strcmp(verb, "status") ||
	    !strcmp(verb, "tell"))
		return do_ioctl(argv[0], verb, argv + 2, argc - 2, &p);
	fprintf(stderr, PROG ": the operation is read, write, aio-read, aio-write, splice-read,\n"
		"splice-write, sendfile, op, status, tell, ioctl or set, not '%s'\n", verb);
	return 2;
}
