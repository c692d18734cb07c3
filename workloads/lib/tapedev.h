/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages that name the fix for a student's usual tape mistakes, shared
 * by tapeio, tapestream and tapeprobe.
 */
#ifndef TAPEDEV_H
#define TAPEDEV_H

/*
 * Check that PATH is a character device before anything opens it. A path
 * that is missing or is something else (a regular file left by
 * "tar -cf /dev/ndtape0" without dtape loaded) gets a message on stderr,
 * prefixed "PROG: ", that says how to fix it; then -1 is returned.
 */
int tapedev_check(const char *prog, const char *path);

/* On stderr: the tape at PATH is full, and how to rewind or erase it. */
void tapedev_full(const char *prog, const char *path);

#endif
