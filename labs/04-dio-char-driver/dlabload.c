// SPDX-License-Identifier: GPL-2.0
/*
 * dlabload DEVICE LABEL: lab 04's workload. Writes records of awkward
 * sizes and offsets to DEVICE and reads them back, then tries a buffer
 * whose second page cannot be pinned. It names itself dlab-w-LABEL while
 * writing, dlab-r-LABEL while reading and dlab-s-LABEL for the short pins,
 * so the checker can tell the three apart in the kernel's trace.
 *
 * Prints "key value" lines. pin_acquired and pin_released are how much
 * /proc/vmstat's global counters moved inside dlabload's own reads and
 * writes of DEVICE: any task's pins count there, so the window is kept to
 * those calls. Each CPU keeps a few changes of its own before adding them
 * to the global counters, once a second or past a threshold, so before
 * each read dlabload has the kernel fold them in (vm/stat_refresh, root
 * only); without that, part 1 showed 43 of its 50 pins on 6.1, and part 2
 * now and then the 11 that part 1 had left on its CPU.
 *
 * Built static and run from tmpfs by lab 04's run: on 6.12, every read()
 * from the 9p root pins the reader's buffer, and a dynamic loader would
 * add those pins to the counts here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define PG 4096L

/* size, offset of the data in its first page, position on the medium */
static const struct { long len, off, pos; } recs[] = {
	{ PG, 0, 0 },
	{ 16 * PG, 0, 8 * PG },
	{ 3 * PG + 17, 100, 32 * PG },
	{ 1, PG - 1, 48 * PG },
	{ 2 * PG, PG / 2, 56 * PG + 5 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NRECS ARRAY_SIZE(recs)

static long pages_of(long off, long len) { return (off + len + PG - 1) / PG; }

static void name(const char *what, const char *label)
{
	char comm[16];

	snprintf(comm, sizeof(comm), "dlab-%s-%s", what, label);
	prctl(PR_SET_NAME, comm);
}

/* Whether @line is /proc/vmstat's line for @key; its value in @v if so. */
static int vmstat_field(const char *line, const char *key, long *v)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) || line[n] != ' ')
		return 0;
	*v = atol(line + n + 1);
	return 1;
}

/* Both pin counters, from one read of /proc/vmstat; -1 where absent. */
static void vmstat_pins(long *acquired, long *released)
{
	char line[256];
	FILE *f = fopen("/proc/vmstat", "r");

	*acquired = -1;
	*released = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!vmstat_field(line, "nr_foll_pin_acquired", acquired))
			vmstat_field(line, "nr_foll_pin_released", released);
	fclose(f);
}

/*
 * Fold every CPU's pending vmstat changes into the global counters (any
 * write to vm/stat_refresh does it), so that a read sees them all.
 */
static void vmstat_refresh(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		perror("dlabload: /proc/sys/vm/stat_refresh");
	close(fd);
}

/* What the global pin counters moved by inside dev_io(), summed. */
static long pins_acquired, pins_released;

/*
 * One pread or pwrite of DEVICE, with the pin counters read on both sides.
 * Filling and checking the buffers takes far longer under emulation than
 * the call itself, and another task's pins in that time are not ours.
 */
static ssize_t dev_io(int fd, int write, unsigned char *buf, long len, long pos)
{
	long acq0, rel0, acq1, rel1;
	ssize_t r;

	vmstat_refresh();
	vmstat_pins(&acq0, &rel0);
	r = write ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);
	vmstat_refresh();
	vmstat_pins(&acq1, &rel1);
	pins_acquired += acq1 - acq0;
	pins_released += rel1 - rel0;
	return r;
}

static unsigned char pattern(long pos, long i, int round)
{
	return (unsigned char)((pos + i) * 31 + round * 7 + 1);
}

static unsigned char *map(long pages)
{
	unsigned char *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("dlabload: mmap");
		exit(2);
	}
	/* Touched first: a read must not land in the shared zero page. */
	memset(p, 0xee, pages * PG);
	return p;
}

/* A page of 0x5a followed by a page that cannot be pinned. */
static unsigned char *short_buf(void)
{
	unsigned char *p = map(2);

	mprotect(p + PG, PG, PROT_NONE);
	memset(p, 0x5a, PG);
	return p;
}

int main(int argc, char **argv)
{
	long pw = 0, pr = 0, bad = 0, i;
	unsigned char *buf;
	size_t k;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: dlabload DEVICE LABEL\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "dlabload: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	name("w", argv[2]);
	for (k = 0; k < NRECS; k++) {
		long n = pages_of(recs[k].off, recs[k].len), r;

		buf = map(n);
		for (i = 0; i < recs[k].len; i++)
			buf[recs[k].off + i] = pattern(recs[k].pos, i, 1);
		r = dev_io(fd, 1, buf + recs[k].off, recs[k].len, recs[k].pos);
		if (r != recs[k].len) {
			printf("error write %zu returned %ld (%s)\n", k, r,
			       r < 0 ? strerror(errno) : "short");
			bad++;
		}
		pw += n;
		munmap(buf, n * PG);
	}
	name("r", argv[2]);
	for (k = 0; k < NRECS; k++) {
		long n = pages_of(recs[k].off, recs[k].len), r, end = recs[k].off + recs[k].len;

		buf = map(n);
		r = dev_io(fd, 0, buf + recs[k].off, recs[k].len, recs[k].pos);
		if (r != recs[k].len) {
			printf("error read %zu returned %ld (%s)\n", k, r,
			       r < 0 ? strerror(errno) : "short");
			bad++;
		} else {
			for (i = 0; i < recs[k].len; i++)
				if (buf[recs[k].off + i] != pattern(recs[k].pos, i, 1))
					break;
			if (i < recs[k].len) {
				printf("error read %zu: byte %ld is 0x%02x, wrote 0x%02x\n", k, i,
				       buf[recs[k].off + i], pattern(recs[k].pos, i, 1));
				bad++;
			}
			/* The bytes around the record are the caller's, not the device's. */
			if ((recs[k].off && buf[recs[k].off - 1] != 0xee) ||
			    (end < n * PG && buf[end] != 0xee)) {
				printf("error read %zu: wrote outside the record\n", k);
				bad++;
			}
		}
		pr += n;
		munmap(buf, n * PG);
	}
	printf("pin_acquired %ld\npin_released %ld\n", pins_acquired, pins_released);
	printf("pages_written %ld\npages_read %ld\n", pw, pr);
	printf("data %s\n", bad ? "bad" : "ok");

	/*
	 * Two pages; the second cannot be touched, so only the first pins.
	 * A fresh buffer for each call: a driver that unpins twice leaves a
	 * page whose next pin the kernel refuses with a WARN, and that is
	 * the double unpin's line to report, not this one's.
	 */
	name("s", argv[2]);
	buf = short_buf();
	errno = 0;
	i = pwrite(fd, buf, 2 * PG, recs[0].pos);
	printf("short_write %ld %d\n", i, i < 0 ? errno : 0);
	munmap(buf, 2 * PG);
	buf = short_buf();
	errno = 0;
	i = pread(fd, buf, 2 * PG, recs[0].pos);
	printf("short_read %ld %d\n", i, i < 0 ? errno : 0);
	munmap(buf, 2 * PG);
	buf = map(1);
	i = pread(fd, buf, PG, recs[0].pos);
	for (k = 0; i == PG && k < PG; k++)
		if (buf[k] != pattern(recs[0].pos, k, 1))
			break;
	printf("short_untouched %s\n", i == PG && k == PG ? "ok" : "bad");
	return 0;
}
