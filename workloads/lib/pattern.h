/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data the tape workloads write: every record's bytes follow from
 * (seed, record number), so a read pass checks content and order without
 * keeping the data, and tapeio and tapestream write the same bytes for
 * the same seed.
 */
#ifndef DIOLAB_PATTERN_H
#define DIOLAB_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* splitmix64's output function: every pattern byte comes from it. */
uint64_t pattern_mix64(uint64_t x);

/* Fill BUF with the LEN bytes of record RECORD of the stream SEED. */
void pattern_fill(unsigned char *buf, size_t len, uint64_t seed, uint64_t record);

/*
 * Whether BUF holds record RECORD of the stream SEED. When it does not,
 * *AT is the offset of the first byte that differs and *WANT the byte the
 * pattern has there (either may be NULL).
 */
bool pattern_check(const unsigned char *buf, size_t len, uint64_t seed, uint64_t record,
		   size_t *at, unsigned char *want);

#endif
