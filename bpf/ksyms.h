/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's function symbols (/proc/kallsyms) and the functions ftrace
 * can hook (available_filter_functions), each read in one pass.
 */
#ifndef DIOLAB_KSYMS_H
#define DIOLAB_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	const char *name;
	const char *mod;	/* NULL for vmlinux */
};

struct ksyms;

/*
 * Text symbols ('t'/'T') from a file in /proc/kallsyms format, or, with
 * @with_addr false, the names from one in available_filter_functions
 * format.  NULL with errno set when the file cannot be read; a file with
 * no symbols gives an empty table.
 */
struct ksyms *ksyms_load(const char *path, bool with_addr);
/* The same from a file's text, which the table then owns (NULL: errno). */
struct ksyms *ksyms_parse(char *text, bool with_addr);

/*
 * Drop, in place, the lines of kallsyms text that ksyms_parse() would drop
 * (data symbols, BPF programs and trampolines): the copy kept for the boot
 * (symcache.c) then costs each start 100,000 lines to parse, not 170,000.
 */
void ksyms_trim_kallsyms(char *text);

/* A whole file, NUL-terminated and malloc'd; NULL with errno set.
 * ksyms_read_fd() closes @fd. */
char *ksyms_read_file(const char *path);
char *ksyms_read_fd(int fd);
void ksyms_free(struct ksyms *k);
size_t ksyms_count(const struct ksyms *k);

const struct ksym *ksyms_find(const struct ksyms *k, const char *name);
/* The one symbol named @name with a known address: NULL when there is none,
 * more than one (static functions of the same name), or its address is
 * hidden (0, as a reader without CAP_SYSLOG sees it). */
const struct ksym *ksyms_find_one(const struct ksyms *k, const char *name);

/*
 * The compiler's clones of @name (name.isra.0, name.part.0, ...), sorted
 * by name; returns how many there are, and stores at most @max.
 */
size_t ksyms_clones(const struct ksyms *k, const char *name, const struct ksym **out,
		    size_t max);

/* The symbol at or below @addr, or NULL. */
const struct ksym *ksyms_at(const struct ksyms *k, uint64_t addr);

#endif
