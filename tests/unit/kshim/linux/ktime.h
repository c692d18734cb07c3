/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim (see types.h): ktime_t is signed nanoseconds, as in the kernel. */
#ifndef KSHIM_LINUX_KTIME_H
#define KSHIM_LINUX_KTIME_H

#include <linux/types.h>

#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L

typedef s64 ktime_t;

#define ktime_add_ns(kt, ns)	((ktime_t)((kt) + (ns)))
#define ktime_sub_ns(kt, ns)	((ktime_t)((kt) - (ns)))
#define ktime_add_ms(kt, ms)	ktime_add_ns(kt, (u64)(ms) * NSEC_PER_MSEC)
#define ktime_sub(a, b)		((ktime_t)((a) - (b)))
#define ktime_to_ns(kt)		((s64)(kt))
#define ktime_after(a, b)	((a) > (b))
#define ktime_before(a, b)	((a) < (b))

#endif
