// SPDX-License-Identifier: GPL-2.0
/*
 * tapeprobe: one read() or write() on a tape with a deliberately awkward
 * buffer (unmapped, read-only, half unmapped, misaligned, short), for the
 * error-path tests and labs. It prints the outcome as one line:
 *   result=N            the call returned N
 *   errno=ENAME         the call failed
 * and exits 0 either way; only bad usage or setup failures (a DEVICE that
 * is not a character device among them) exit non-zero.
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
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mtio.h>
#include <unistd.h>

#include "lib/numarg.h"
#include "lib/tapedev.h"

enum buffer_kind { BUF_NORMAL, BUF_UNMAPPED, BUF_READONLY, BUF_PARTIAL };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tapeprobe [OPTIONS] DEVICE read|write LENGTH\n"
		"       tapeprobe DEVICE tell\n"
		"\n"
		"  -b, --buffer KIND   normal (default); unmapped; readonly;\n"
		"                      partial (only the first page is mapped)\n"
		"  -o, --offset N      start the buffer N bytes into its first page\n"
		"  -D, --odirect       open with O_DIRECT\n"
		"  -h, --help          this text\n"
		"\n"
		"tell prints the MTIOCPOS block as result=N.\n"
		"Writes send the bytes 0x5a.\n");
}

static int parse_number(const char *arg, const char *what, unsigned long *out)
{
	uint64_t v;

	if (numarg("tapeprobe", what, arg, ULONG_MAX, &v))
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
	fprintf(stderr, "tapeprobe: --buffer is normal, unmapped, readonly or partial, not '%s'\n",
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
		munmap(p, area);
		break;
	case BUF_READONLY:
		if (mprotect(p, area, PROT_READ))
			return NULL;
		break;
	case BUF_PARTIAL:
		/* The transfer starts in a good page and runs into a hole. */
		if (munmap(p + page, area - page))
			return NULL;
		break;
	}
	return p + offset;
}

static void report(long long result)
{
	if (result < 0) {
		const char *name = strerrorname_np(errno);

		printf("errno=%s\n", name ? name : "unknown");
	} else {
		printf("result=%lld\n", result);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "buffer", required_argument, NULL, 'b' },
		{ "offset", required_argument, NULL, 'o' },
		{ "odirect", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum buffer_kind kind = BUF_NORMAL;
	unsigned long offset = 0, len;
	bool odirect = false, writing;
	unsigned char *buf;
	int c, fd, flags;

	while ((c = getopt_long(argc, argv, "b:o:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (parse_buffer(optarg, &kind))
				return 2;
			break;
		case 'o':
			if (parse_number(optarg, "offset", &offset))
				return 2;
			break;
		case 'D':
			odirect = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind == 2 && !strcmp(argv[optind + 1], "tell")) {
		struct mtpos pos;

		if (tapedev_check("tapeprobe", argv[optind]))
			return 1;
		fd = open(argv[optind], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			report(-1);
			return 0;
		}
		report(ioctl(fd, MTIOCPOS, &pos) ? -1 : pos.mt_blkno);
		close(fd);
		return 0;
	}
	if (argc - optind != 3) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind + 1], "write")) {
		writing = true;
	} else if (!strcmp(argv[optind + 1], "read")) {
		writing = false;
	} else {
		fprintf(stderr, "tapeprobe: the operation is read, write or tell, not '%s'\n",
			argv[optind + 1]);
		return 2;
	}
	if (parse_number(argv[optind + 2], "length", &len) ||
	    offset > (1UL << 20) || len > (256UL << 20)) {
		fprintf(stderr, "tapeprobe: offset at most 1 MiB, length at most 256 MiB\n");
		return 2;
	}
	if (tapedev_check("tapeprobe", argv[optind]))
		return 1;
	buf = make_buffer(kind, offset, len);
	if (!buf) {
		fprintf(stderr, "tapeprobe: cannot set up the buffer: %s\n",
			strerror(errno));
		return 1;
	}
	flags = (writing ? O_WRONLY : O_RDONLY) | O_CLOEXEC;
	if (odirect)
		flags |= O_DIRECT;
	fd = open(argv[optind], flags);
	if (fd < 0) {
		report(-1);
		return 0;
	}
	report(writing ? write(fd, buf, len) : read(fd, buf, len));
	close(fd);
	return 0;
}
