/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two clocks the workloads time themselves with, in nanoseconds.
 */
#ifndef DIOLAB_CLOCK_H
#define DIOLAB_CLOCK_H

#include <stdint.h>

/* Wall time: CLOCK_MONOTONIC. */
uint64_t clock_wall_ns(void);

/*
 * This process's own time on a CPU, all its threads: the scheduler's exact
 * count (CLOCK_PROCESS_CPUTIME_ID), not ticks.  It leaves out whatever ran
 * on the same CPU while the process waited, such as a tracer's consumer.
 */
uint64_t clock_cpu_ns(void);

#endif
