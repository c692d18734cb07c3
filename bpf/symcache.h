/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's symbol files, read once per boot and module list
 * (symcache.c says why and where).
 */
#ifndef DIOLAB_SYMCACHE_H
#define DIOLAB_SYMCACHE_H

#include <stdbool.h>

/*
 * One start's use of the copies: the cache directory, open, and the key a
 * copy must carry, computed once (dirfd -1: no copies, as when off).
 */
struct symcache {
	int dirfd;
	char key[160];
};

void symcache_open(struct symcache *sc);

/*
 * The text of @path (/proc/kallsyms or available_filter_functions), from
 * the copy called @name when it was taken in this boot with the modules
 * loaded now (*@cached set), else read afresh, cut down by @trim (if not
 * NULL), and the copy replaced.  Either way the text is what @trim leaves.
 * malloc'd; NULL with errno set when @path cannot be read.
 */
char *symcache_read(struct symcache *sc, const char *path, const char *name,
		    void (*trim)(char *text), bool *cached);

/*
 * A fact about this boot that costs time to learn (whether fentry attaches):
 * symcache_recall() is true when @name was noted in this boot with the
 * modules loaded now; symcache_note() notes it.
 */
bool symcache_recall(struct symcache *sc, const char *name);
void symcache_note(struct symcache *sc, const char *name);

void symcache_close(struct symcache *sc);

#endif
