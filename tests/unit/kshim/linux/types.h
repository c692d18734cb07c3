/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's headers to compile module/dtape_stream.c on
 * the host: the model is pure arithmetic on timestamps, so its stall rules
 * can be checked with made-up times (tests/unit/test_stream_model.c).
 */
#ifndef KSHIM_LINUX_TYPES_H
#define KSHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t u32;
typedef int64_t s64;
typedef uint64_t u64;

#endif
