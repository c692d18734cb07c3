/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapefuzz's chaos: threads that throw random and hostile calls at the
 * chaos drives and random values at every drive's sysfs knobs, and check
 * only that dtape answers each with a result or an errno it may give.
 */
#ifndef DIOLAB_FUZZ_CHAOS_H
#define DIOLAB_FUZZ_CHAOS_H

/* Run THREADS chaos threads for process PROC until the run ends; 0 or 1. */
int fz_chaos_process(unsigned int proc, unsigned int threads);

#endif
