/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A character device's counters as its driver shows them in sysfs, under
 * /sys/dev/char/MAJ:MIN: for dtape, stats/NAME and stream/NAME. Shared by
 * tapeio and tapestream.
 */
#ifndef DIOLAB_DEVSTAT_H
#define DIOLAB_DEVSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Room for any /sys/dev/char/MAJ:MIN with 32-bit numbers, and its NUL. */
#define DEVSTAT_DIR_MAX 40

/* DIR (DEVSTAT_DIR_MAX bytes) becomes the sysfs directory of device RDEV. */
void devstat_dir(dev_t rdev, char *dir, size_t size);

/*
 * Read the number in DIR/NAME into *OUT. False, with *OUT untouched, when
 * the file is missing or does not start with a number.
 */
bool devstat_read(const char *dir, const char *name, long long *out);

#endif
