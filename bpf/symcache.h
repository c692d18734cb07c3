/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's symbol files, read once per boot and module list
 * (symcache.c says why and where).
 */
#ifndef DIOLAB_SYMCACHE_H
#define DIOLAB_SYMCACHE_H

#include <stdbool.h>

/*
 * The text of @path (/proc/kallsyms or available_filter_functions), from
 * the copy called @name when it was taken in this boot with the modules
 * loaded now (*@cached set), else read afresh and the copy replaced.
 * malloc'd; NULL with errno set when @path cannot be read.
 */
char *symcache_read(const char *path, const char *name, bool *cached);

#endif
