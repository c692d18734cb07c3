/* SPDX-License-Identifier: GPL-2.0 */
/* dtape_trace.h - dtape's tracepoints (/sys/kernel/tracing/events/dtape/). */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dtape

#if !defined(DTAPE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define DTAPE_TRACE_H

#include <linux/tracepoint.h>

#include "dtape.h"

/* Exported so that perf and bpftrace can decode the symbolic fields. */
TRACE_DEFINE_ENUM(DTAPE_PATH_DIRECT);
TRACE_DEFINE_ENUM(DTAPE_PATH_BUFFERED);
TRACE_DEFINE_ENUM(DTAPE_PATH_LEGACY);
TRACE_DEFINE_ENUM(DTAPE_FALLBACK_MISALIGNED);
TRACE_DEFINE_ENUM(DTAPE_FALLBACK_PIN_PARTIAL);
TRACE_DEFINE_ENUM(DTAPE_FALLBACK_PIN_ERROR);
TRACE_DEFINE_ENUM(DTAPE_FALLBACK_NOMEM);

/*
 * A trace format needs its names as literals: the same names as
 * dtape_abi.h's DTAPE_*_NAMES, which diotrace prints.
 */
#define show_dtape_path(path)					\
	__print_symbolic(path,					\
			 { DTAPE_PATH_DIRECT, "direct" },	\
			 { DTAPE_PATH_BUFFERED, "buffered" },	\
			 { DTAPE_PATH_LEGACY, "legacy" })

#define show_dtape_fallback(why)					\
	__print_symbolic(why,						\
			 { DTAPE_FALLBACK_MISALIGNED, "misaligned" },	\
			 { DTAPE_FALLBACK_PIN_PARTIAL, "pin_partial" },	\
			 { DTAPE_FALLBACK_PIN_ERROR, "pin_error" },	\
			 { DTAPE_FALLBACK_NOMEM, "nomem" })

#define show_dtape_dir(to_medium) ((to_medium) ? "write" : "read")

/*
 * One layout for every event about a buffer's pages, in the argument
 * order of enum dtape_pages_arg (dtape_abi.h), which diotrace reads by
 * position: keep the two in step. Each event prints value its own way.
 */
#define DTAPE_PAGES_PRINT(value_fmt, show_value)			\
	TP_printk("drive=%u uaddr=0x%lx len=%zu pages=%u path=%s dir=%s "	\
		  value_fmt, __entry->drive, __entry->uaddr, __entry->len,	\
		  __entry->nr_pages, show_dtape_path(__entry->path),	\
		  show_dtape_dir(__entry->to_medium), show_value)

DECLARE_EVENT_CLASS(dtape_pages,
		    TP_PROTO(unsigned int drive, unsigned long uaddr, size_t len,
			     unsigned int nr_pages, enum dtape_path path,
			     bool to_medium, long value),
		    TP_ARGS(drive, uaddr, len, nr_pages, path, to_medium, value),
		    TP_STRUCT__entry(__field(unsigned int, drive)
				     __field(unsigned long, uaddr)
				     __field(size_t, len)
				     __field(unsigned int, nr_pages)
				     __field(int, path)
				     __field(bool, to_medium)
				     __field(long, value)
		    ),
		    TP_fast_assign(__entry->drive = drive;
				   __entry->uaddr = uaddr;
				   __entry->len = len;
				   __entry->nr_pages = nr_pages;
				   __entry->path = path;
				   __entry->to_medium = to_medium;
				   __entry->value = value;
		    ),
		    DTAPE_PAGES_PRINT("got=%ld", __entry->value)
);

#define DEFINE_DTAPE_PAGES_EVENT(name, value_fmt, show_value)		\
	DEFINE_EVENT_PRINT(dtape_pages, name,				\
			   TP_PROTO(unsigned int drive, unsigned long uaddr, \
				    size_t len, unsigned int nr_pages,	\
				    enum dtape_path path, bool to_medium, \
				    long value),			\
			   TP_ARGS(drive, uaddr, len, nr_pages, path,	\
				   to_medium, value),			\
			   DTAPE_PAGES_PRINT(value_fmt, show_value))

/* nr_pages asked for; value: how many were held, or -errno. */
DEFINE_EVENT(dtape_pages, dtape_pin,
	     TP_PROTO(unsigned int drive, unsigned long uaddr, size_t len,
		      unsigned int nr_pages, enum dtape_path path,
		      bool to_medium, long value),
	     TP_ARGS(drive, uaddr, len, nr_pages, path, to_medium, value)
);

/* nr_pages let go; value: 1 if they were marked dirty first. */
DEFINE_DTAPE_PAGES_EVENT(dtape_unpin, "dirty=%ld", __entry->value);

/* nr_pages copied (0: the bounce buffer was); value: the tape block. */
DEFINE_DTAPE_PAGES_EVENT(dtape_transfer, "block=%ld", __entry->value);

/*
 * path could not be used for the nr_pages the buffer spans; value: why
 * not, an enum dtape_fallback.
 */
DEFINE_DTAPE_PAGES_EVENT(dtape_fallback, "reason=%s",
			 show_dtape_fallback(__entry->value));

/* Asynchronous requests and the streaming model (dtape_queue.c). */
TRACE_EVENT(dtape_submit,
	    TP_PROTO(unsigned int drive, unsigned long uaddr, size_t len,
		     bool to_medium, bool sync, unsigned int inflight),
	    TP_ARGS(drive, uaddr, len, to_medium, sync, inflight),
	    TP_STRUCT__entry(__field(unsigned int, drive)
			     __field(unsigned long, uaddr)
			     __field(size_t, len)
			     __field(bool, to_medium)
			     __field(bool, sync)
			     __field(unsigned int, inflight)
	    ),
	    TP_fast_assign(__entry->drive = drive;
			   __entry->uaddr = uaddr;
			   __entry->len = len;
			   __entry->to_medium = to_medium;
			   __entry->sync = sync;
			   __entry->inflight = inflight;
	    ),
	    TP_printk("drive=%u uaddr=0x%lx len=%zu dir=%s %s inflight=%u",
		      __entry->drive, __entry->uaddr, __entry->len,
		      show_dtape_dir(__entry->to_medium),
		      __entry->sync ? "sync" : "async", __entry->inflight)
);

TRACE_EVENT(dtape_complete,
	    TP_PROTO(unsigned int drive, unsigned long uaddr, size_t len,
		     long result, bool sync),
	    TP_ARGS(drive, uaddr, len, result, sync),
	    TP_STRUCT__entry(__field(unsigned int, drive)
			     __field(unsigned long, uaddr)
			     __field(size_t, len)
			     __field(long, result)
			     __field(bool, sync)
	    ),
	    TP_fast_assign(__entry->drive = drive;
			   __entry->uaddr = uaddr;
			   __entry->len = len;
			   __entry->result = result;
			   __entry->sync = sync;
	    ),
	    TP_printk("drive=%u uaddr=0x%lx len=%zu result=%ld %s",
		      __entry->drive, __entry->uaddr, __entry->len,
		      __entry->result, __entry->sync ? "sync" : "async")
);

TRACE_EVENT(dtape_stall,
	    TP_PROTO(unsigned int drive, bool to_medium,
		     unsigned int reposition_ms),
	    TP_ARGS(drive, to_medium, reposition_ms),
	    TP_STRUCT__entry(__field(unsigned int, drive)
			     __field(bool, to_medium)
			     __field(unsigned int, reposition_ms)
	    ),
	    TP_fast_assign(__entry->drive = drive;
			   __entry->to_medium = to_medium;
			   __entry->reposition_ms = reposition_ms;
	    ),
	    TP_printk("drive=%u dir=%s reposition_ms=%u",
		      __entry->drive, show_dtape_dir(__entry->to_medium),
		      __entry->reposition_ms)
);

#endif /* DTAPE_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dtape_trace
#include <trace/define_trace.h>
