/* SPDX-License-Identifier: GPL-2.0 */
/* `diotrace record` file: a header, the context, then the raw events, so a
 * class without root can render real traces later with `diotrace report`. */
#ifndef RECORD_H
#define RECORD_H

#include <stdio.h>
#include "dtctx.h"

/* REC_MACHINE came later: older readers skip it, and a recording without
 * it reads as "emulation unknown". */
enum rec_type { REC_META = 1, REC_SYM, REC_EVENT, REC_LOST, REC_STEP, REC_MACHINE };

int record_write_header(FILE *f, const struct dt_ctx *c);
int record_write_sym(FILE *f, uint64_t addr, const char *name);
int record_write_event(FILE *f, const void *data, uint32_t len);
int record_write_lost(FILE *f, uint64_t lost);

typedef int (*record_event_cb)(const void *data, size_t len, void *arg);

/* Opens a recording for record_read(), plain or gzipped. */
FILE *record_open(const char *path);

/* Reads a recording into c (context, symbols) and hands events to cb. */
int record_read(FILE *f, struct dt_ctx *c, record_event_cb cb, void *arg, char *err, size_t errlen);

#endif
