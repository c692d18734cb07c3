// SPDX-License-Identifier: GPL-2.0
/*
 * One way to read the clocks, so that tapeio, tapestream and dioload
 * report wall and CPU time measured alike.
 */
#include <time.h>
#include "clock.h"

static uint64_t ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t clock_wall_ns(void)
{
	return ns(CLOCK_MONOTONIC);
}

uint64_t clock_cpu_ns(void)
{
	return ns(CLOCK_PROCESS_CPUTIME_ID);
}
