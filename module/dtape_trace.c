// SPDX-License-Identifier: GPL-2.0
/* dtape_trace.c - the one place that instantiates dtape_trace.h's tracepoints. */
#define CREATE_TRACE_POINTS
#include "dtape_trace.h"
