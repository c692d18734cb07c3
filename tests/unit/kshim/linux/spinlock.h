/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim (see types.h): one thread, so the locks do nothing. */
#ifndef KSHIM_LINUX_SPINLOCK_H
#define KSHIM_LINUX_SPINLOCK_H

typedef struct {
	int unused;
} spinlock_t;

#define spin_lock_init(l)	((void)(l))
#define spin_lock(l)		((void)(l))
#define spin_unlock(l)		((void)(l))
#define READ_ONCE(x)		(x)

#endif
