/* SPDX-License-Identifier: GPL-2.0 */
/* How dtape's tracepoint events read, in a tree and on their own. */
#ifndef DTAPE_EV_H
#define DTAPE_EV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#include "diotrace.h"

static inline bool dt_tp_is_dtape(unsigned tp)
{
	return tp >= DT_TP_DTAPE_SUBMIT && tp <= DT_TP_DTAPE_STALL;
}

/* Key arguments, e.g. "drive=0 uaddr=0x7f.. len=65536 path=direct". */
void dtape_ev_fmt(const struct dt_event *e, char *buf, size_t len);
/* The same as comma-separated JSON members, "drive" first. */
void dtape_ev_json(FILE *f, const struct dt_event *e);
/* enum dtape_fallback as the driver's tracepoint prints it */
const char *dtape_why_name(uint64_t why);
/* One line for a worker event whose syscall has already returned. */
void dtape_ev_text_line(FILE *f, const struct dt_event *e, const char *comm);

#endif
