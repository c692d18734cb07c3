// SPDX-License-Identifier: GPL-2.0
/* The one place that instantiates the tracepoints declared in dtape_trace.h. */
#define CREATE_TRACE_POINTS
#include "dtape_trace.h"
