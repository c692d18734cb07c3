// SPDX-License-Identifier: GPL-2.0
/* Messages that name the fix for a student's usual tape mistakes. */
#include "tapedev.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the module is, as the student can type it. */
static void print_insmod(FILE *out)
{
	const char *root = getenv("DIOLAB_ROOT");

	fprintf(out, "insmod %s%sbuild/modules/$(uname -r)/dtape.ko",
		root && *root ? root : "", root && *root ? "/" : "");
}

static const char *kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISBLK(mode))
		return "a block device";
	return "a FIFO or socket";
}

int tapedev_check(const char *prog, const char *path)
{
	bool loaded = access("/sys/module/dtape", F_OK) == 0;
	struct stat st;

	if (stat(path, &st) == 0) {
		if (S_ISCHR(st.st_mode))
			return 0;
		/*
		 * devtmpfs will not create the node over it, so mt says
		 * "Inappropriate ioctl for device" until it is gone.
		 */
		fprintf(stderr, "%s: %s is %s, not the dtape device: remove it (rm %s) and reload dtape (",
			prog, path, kind(st.st_mode), path);
		if (loaded)
			fprintf(stderr, "rmmod dtape; ");
		print_insmod(stderr);
		fprintf(stderr, ")\n");
		return -1;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (loaded) {
		fprintf(stderr, "%s: %s does not exist; dtape is loaded, and its drives are in /sys/class/dtape/ (the drives= parameter sets how many)\n",
			prog, path);
		return -1;
	}
	fprintf(stderr, "%s: %s does not exist: dtape is not loaded; load it with ",
		prog, path);
	print_insmod(stderr);
	fputc('\n', stderr);
	return -1;
}

void tapedev_full(const char *prog, const char *path)
{
	/*
	 * Writing after a rewind replaces everything after it; an erase
	 * removes what lies after the head, so it needs the rewind first.
	 */
	fprintf(stderr, "%s: %s: the tape is full (%s): rewind it to write over it from the start (mt -f %s rewind), or erase it (mt -f %s rewind; mt -f %s erase)\n",
		prog, path, strerror(ENOSPC), path, path, path);
}
