/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapefuzz's model checker: one process owns the model drive and makes
 * random calls on it (sync, vectored, AIO and io_uring reads and writes,
 * spacing, filemarks, erasing, reopening through either node) while the
 * chaos threads turn its knobs. Every call's effect is checked against
 * the shadow tape (tapemodel.h): each record that a write said it wrote
 * reads back intact and in order, failed calls change nothing, and the
 * head is where st's rules put it.
 */
#ifndef DIOLAB_FUZZ_MODEL_H
#define DIOLAB_FUZZ_MODEL_H

/* Run until the run ends, then compare the whole tape once more; 0 or 1. */
int fz_model_process(void);

#endif
