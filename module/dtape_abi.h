/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dtape_abi.h - what the tracers in bpf/ may assume about dtape.
 *
 * The values dtape's tracepoints and counters carry, with their names, and
 * the order of the tracepoint arguments, which diotrace's raw_tp programs
 * read by position. Three kinds of C include it, so that a change here
 * reaches all of them or breaks the build:
 *   - the module (dtape.h, dtape_trace.h);
 *   - diotrace's BPF programs (bpf/diotrace.bpf.c), after vmlinux.h;
 *   - diotrace's user space (bpf/dtape_ev.c), as C11.
 * So it holds enums and macros only: no includes, no kernel types.
 *
 * Each *_NAMES macro initializes an array of names indexed by the enum's
 * values, the names the tracepoints print (dtape_trace.h's
 * __print_symbolic() tables spell them too, as a trace format must).
 */
#ifndef DTAPE_ABI_H
#define DTAPE_ABI_H

/* How a transfer reaches user memory: the tracepoints' path field. */
enum dtape_path {
	DTAPE_PATH_DIRECT,	/* pinned, pin_user_pages_fast() (FOLL_PIN) */
	DTAPE_PATH_BUFFERED,	/* copied through the bounce buffer */
	DTAPE_PATH_LEGACY,	/* referenced, get_user_pages() (FOLL_GET) */
	DTAPE_NR_PATHS,
};

#define DTAPE_PATH_NAMES {			\
	[DTAPE_PATH_DIRECT] = "direct",		\
	[DTAPE_PATH_BUFFERED] = "buffered",	\
	[DTAPE_PATH_LEGACY] = "legacy",		\
}

/* The mode module parameter: which path a transfer may take. */
enum dtape_mode {
	DTAPE_MODE_AUTO,	/* direct when aligned, else buffered (st) */
	DTAPE_MODE_DIRECT,	/* direct, or EINVAL */
	DTAPE_MODE_BUFFERED,
	DTAPE_MODE_LEGACY,
	DTAPE_NR_MODES,
};

#define DTAPE_MODE_NAMES {			\
	[DTAPE_MODE_AUTO] = "auto",		\
	[DTAPE_MODE_DIRECT] = "direct",		\
	[DTAPE_MODE_BUFFERED] = "buffered",	\
	[DTAPE_MODE_LEGACY] = "legacy",		\
}

/* Which way the data goes: the tracepoints' to_medium field. */
enum dtape_dir {
	DTAPE_DIR_READ,		/* read(): tape to user memory */
	DTAPE_DIR_WRITE,	/* write(): user memory to tape */
};

#define DTAPE_DIR_NAMES {		\
	[DTAPE_DIR_READ] = "read",	\
	[DTAPE_DIR_WRITE] = "write",	\
}

/*
 * Why a transfer could not go direct: dtape_fallback's value field and
 * the stats/fallback_<name> counters. A synchronous call then copies
 * through the bounce buffer; a queued request has none and fails.
 */
enum dtape_fallback {
	DTAPE_FALLBACK_MISALIGNED,	/* not at dma_alignment (auto, legacy) */
	DTAPE_FALLBACK_PIN_PARTIAL,	/* some pages would not pin */
	DTAPE_FALLBACK_PIN_ERROR,	/* no page would pin */
	DTAPE_FALLBACK_NOMEM,		/* no memory for the page array */
	DTAPE_NR_FALLBACKS,
};

#define DTAPE_FALLBACK_NAMES {				\
	[DTAPE_FALLBACK_MISALIGNED] = "misaligned",	\
	[DTAPE_FALLBACK_PIN_PARTIAL] = "pin_partial",	\
	[DTAPE_FALLBACK_PIN_ERROR] = "pin_error",	\
	[DTAPE_FALLBACK_NOMEM] = "nomem",		\
}

/*
 * Tracepoint arguments, in TP_PROTO order: a raw tracepoint (BPF raw_tp)
 * sees them at these positions, and each tracepoint's fields have the
 * names in the comments, in the same order (bpftrace's args->name).
 *
 * dtape_pin, dtape_unpin, dtape_transfer and dtape_fallback are one event
 * class, dtape_pages: the same arguments, and a value that depends on the
 * event.
 */
enum dtape_pages_arg {
	DTAPE_ARG_DRIVE,	/* drive: the drive's number */
	DTAPE_ARG_UADDR,	/* uaddr: the user buffer */
	DTAPE_ARG_LEN,		/* len: its length in bytes */
	DTAPE_ARG_NR_PAGES,	/* nr_pages: pages the event is about */
	DTAPE_ARG_PATH,		/* path: enum dtape_path */
	DTAPE_ARG_TO_MEDIUM,	/* to_medium: enum dtape_dir */
	DTAPE_ARG_VALUE,	/* value: one of the four below */
	DTAPE_NR_PAGES_ARGS,
};

/* What value holds, per event. */
#define DTAPE_PIN_GOT		DTAPE_ARG_VALUE	/* pages held, or -errno */
#define DTAPE_UNPIN_DIRTY	DTAPE_ARG_VALUE	/* 1: marked dirty first */
#define DTAPE_TRANSFER_BLOCK	DTAPE_ARG_VALUE	/* the tape block */
#define DTAPE_FALLBACK_WHY	DTAPE_ARG_VALUE	/* enum dtape_fallback */

/* dtape_submit: drive, uaddr and len as above, then these. */
enum dtape_submit_arg {
	DTAPE_SUBMIT_TO_MEDIUM = DTAPE_ARG_LEN + 1,	/* to_medium */
	DTAPE_SUBMIT_SYNC,	/* sync: a synchronous caller waits */
	DTAPE_SUBMIT_INFLIGHT,	/* inflight: queued, this one included */
};

/* dtape_complete: drive, uaddr and len as above, then these. */
enum dtape_complete_arg {
	DTAPE_COMPLETE_RESULT = DTAPE_ARG_LEN + 1,	/* result: bytes or -errno */
	DTAPE_COMPLETE_SYNC,	/* sync */
};

/* dtape_stall */
enum dtape_stall_arg {
	DTAPE_STALL_DRIVE,		/* drive */
	DTAPE_STALL_TO_MEDIUM,		/* to_medium */
	DTAPE_STALL_REPOSITION_MS,	/* reposition_ms */
};

#endif /* DTAPE_ABI_H */
