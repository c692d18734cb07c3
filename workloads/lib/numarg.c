// SPDX-License-Identifier: GPL-2.0
/*
 * One parser for every workload's numbers, so "64k" means the same to
 * tapeio, tapestream and dioload, and "12abc" is refused by all of them
 * instead of being read as 12.  Decimal unless 0x: strtoull's base 0 would
 * read "010" as eight.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "numarg.h"

int numarg(const char *prog, const char *what, const char *arg, uint64_t max, uint64_t *out)
{
	int base = strncmp(arg, "0x", 2) != 0 && strncmp(arg, "0X", 2) != 0 ? 10 : 16;
	unsigned long long value, scale = 1;
	char *end;

	errno = 0;
	value = strtoull(arg, &end, base);
	if (end == arg || (base == 16 && end <= arg + 2) || arg[0] == '-' || arg[0] == '+' ||
	    arg[0] == ' ') {
		fprintf(stderr, "%s: %s '%s' is not a non-negative number\n", prog, what, arg);
		return -1;
	}
	if (*end == 'k' || *end == 'K')
		scale = 1ULL << 10;
	else if (*end == 'm' || *end == 'M')
		scale = 1ULL << 20;
	else if (*end == 'g' || *end == 'G')
		scale = 1ULL << 30;
	if (scale != 1)
		end++;
	if (*end != '\0') {
		fprintf(stderr, "%s: %s '%s' has a bad suffix (use k, M or G)\n", prog, what, arg);
		return -1;
	}
	if (errno == ERANGE || value > max / scale) {
		fprintf(stderr, "%s: %s '%s' is larger than %llu\n", prog, what, arg,
			(unsigned long long)max);
		return -1;
	}
	*out = value * scale;
	return 0;
}
