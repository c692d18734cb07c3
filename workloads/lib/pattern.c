// SPDX-License-Identifier: GPL-2.0
/*
 * splitmix64, chained: each record starts from its own state, so the
 * streams of two records (or two seeds) differ from the first byte on.
 * Each 64-bit value gives eight bytes, least significant first, the same
 * on any host.
 */
#include <string.h>
#include "pattern.h"

uint64_t pattern_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t first_state(uint64_t seed, uint64_t record)
{
	return pattern_mix64(seed ^ pattern_mix64(record));
}

/* Spelled out byte by byte, which compilers turn into one store. */
static void next_word(uint64_t *state, unsigned char *w)
{
	uint64_t v = pattern_mix64(*state);

	*state = v;
	w[0] = (unsigned char)v;
	w[1] = (unsigned char)(v >> 8);
	w[2] = (unsigned char)(v >> 16);
	w[3] = (unsigned char)(v >> 24);
	w[4] = (unsigned char)(v >> 32);
	w[5] = (unsigned char)(v >> 40);
	w[6] = (unsigned char)(v >> 48);
	w[7] = (unsigned char)(v >> 56);
}

void pattern_fill(unsigned char *buf, size_t len, uint64_t seed, uint64_t record)
{
	uint64_t state = first_state(seed, record);
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		next_word(&state, buf + i);
	if (i < len) {
		unsigned char w[8];

		next_word(&state, w);
		memcpy(buf + i, w, len - i);
	}
}

bool pattern_check(const unsigned char *buf, size_t len, uint64_t seed, uint64_t record,
		   size_t *at, unsigned char *want)
{
	uint64_t state = first_state(seed, record);
	unsigned char w[8];
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			next_word(&state, w);
		if (buf[i] == w[i % 8])
			continue;
		if (at)
			*at = i;
		if (want)
			*want = w[i % 8];
		return false;
	}
	return true;
}
