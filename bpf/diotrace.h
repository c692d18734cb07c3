/* SPDX-License-Identifier: GPL-2.0 */
/* Event layout shared by diotrace.bpf.c and user space.  The record file
 * stores these structs verbatim, so any change to them bumps
 * DT_RECORD_VERSION (appending a step to steps.def does not). */
#ifndef DIOTRACE_H
#define DIOTRACE_H

#define DT_RECORD_VERSION 3
#define DT_COMM_LEN 16
#define DT_PATH_DEPTH 10
#define DT_NAME_LEN 32
#define DT_NARGS 6
#define DT_MAPPERS 4

enum dt_cat {
	CAT_VFS, CAT_ASYNC, CAT_ITER, CAT_DIRECT, CAT_DIO, CAT_CACHE, CAT_FLUSH,
	CAT_INVAL, CAT_UNMAP, CAT_PIN, CAT_BIO, CAT_COMPLETE, CAT_FALLBACK,
	CAT_BUFFERED, CAT_FAULT, CAT_TP, CAT__N
};

/* step flags */
#define SF_DOC     0x1	/* documented step that is usually inlined: listed, never probed */
#define SF_ROOT    0x2	/* may start a tree in a thread with no syscall root (io-wq) */
#define SF_FOLD    0x4	/* folded into its parent when rendering */
/* 0x8 and 0x10 (a_ops->direct_IO, any task) were read by nothing; older
 * recordings may still carry them */

enum dt_step {
#define STEP(id, cat, fl, cands, tp) DT_##id,
#include "steps.def"
#undef STEP
	DT_STEP__N
};

/* Instant events from tracepoints; they hang under the current node. */
enum dt_tp {
	DT_TP_FILEMAP_DELETE = 1,
	DT_TP_FILEMAP_ADD,
	DT_TP_BIO_QUEUE,
	DT_TP_IOMAP_INVAL_FAIL,
	DT_TP_FAULT,
	/* dtape's own tracepoints (module/dtape_trace.h), read as raw
	 * tracepoints at module/dtape_abi.h's positions.  In the event (and
	 * so in the record file): args[0] drive, args[1] user address,
	 * args[2] length, then per event
	 *   submit    [3] to_medium  [4] sync  [5] inflight
	 *   pin       [3] nr_pages  [4] got  [5] path | to_medium << 8
	 *   transfer  [3] nr_pages  [4] path | to_medium << 8  [5] block
	 *   unpin     [3] nr_pages  [4] path  [5] dirty
	 *   fallback  [3] why  [4] to_medium  [5] path
	 *   complete  [3] result  [4] sync
	 *   stall     [0] drive only, [3] reposition_ms  [4] to_medium */
	DT_TP_DTAPE_SUBMIT,
	DT_TP_DTAPE_PIN,
	DT_TP_DTAPE_TRANSFER,
	DT_TP_DTAPE_UNPIN,
	DT_TP_DTAPE_FALLBACK,
	DT_TP_DTAPE_COMPLETE,
	DT_TP_DTAPE_STALL,
	DT_TP__N
};

enum dt_ev_type {
	EV_ROOT_ENTER = 1,	/* syscall entry (tracepoint) */
	EV_ROOT_EXIT,
	EV_ENTER,		/* step entry: fentry or kprobe */
	EV_EXIT,		/* step exit: fexit or kretprobe */
	EV_TP,			/* tracepoint instant */
	EV_REFAULT,		/* fault on a page a traced write dropped */
	EV_WORKER,		/* a dtape tracepoint in the drive's worker thread for
				 * a traced request: pid/tid are the submitter's,
				 * ret is the time since submission */
	EV_FILE,		/* struct dt_root: the file an async request
				 * (io_uring, aio) works on, found in the request
				 * because the submitting syscall names none */
};

/* How a step's probe was attached, stored in the event for the record. */
enum dt_method { M_NONE, M_FENTRY, M_KPROBE, M_TP, M_KMULTI };

/* Stable iov_iter types: the kernel's enum iter_type was renumbered
 * between 6.1 and 6.12, so BPF maps it through bpf_core_enum_value(). */
enum dt_iter {
	DT_ITER_UNKNOWN, DT_ITER_UBUF, DT_ITER_IOVEC, DT_ITER_KVEC,
	DT_ITER_BVEC, DT_ITER_XARRAY, DT_ITER_DISCARD, DT_ITER_PIPE,
	DT_ITER_FOLIOQ,
};

enum dt_sys {
	SYS_NONE, SYS_WRITE, SYS_PWRITE64, SYS_WRITEV, SYS_PWRITEV,
	SYS_READ, SYS_PREAD64, SYS_READV, SYS_PREADV, SYS_IO_SUBMIT,
	SYS_IO_URING_ENTER, SYS_ASYNC_WORKER, SYS_PWRITEV2, SYS_PREADV2,
};

/*
 * The rw_syscalls map: what each syscall number that tp_enter_rw sees
 * means.  User space fills it, because the numbers are the architecture's.
 */
#define DT_MAX_SYSCALL_NR 512
struct dt_rw_sys {
	__u8 sys;		/* enum dt_sys; SYS_NONE: not a read or write */
	__u8 wr;
	__u8 has_pos;		/* args[3] is the file position */
	__u8 pad;
};

struct dt_iodesc {		/* decoded kiocb + iov_iter */
	__u64 pos;
	__u64 count;
	__u64 uaddr;		/* first segment's user address, 0 if not user-backed */
	__u64 nr_segs;
	__u32 ki_flags;
	__u8 iter_type;		/* enum dt_iter */
	__u8 data_source;	/* 1: iterator is a source (a write) */
	__u8 has_iocb;
	__u8 has_iter;
};

struct dt_objdesc {		/* decoded mapping/inode/bio/file */
	__u64 ino;
	__u64 isize;
	__u64 nrpages;
	__u64 sector;
	__u64 fn1;		/* file->f_op->write_iter / read_iter */
	__u64 fn2;		/* mapping->a_ops->direct_IO */
	__u32 dev;
	__u32 bi_size;
	__u32 bi_opf;
	__u32 bi_flags;
	__u32 f_flags;
	__u16 bi_vcnt;
	__u8 has_mapping;
	__u8 has_bio;
	__u8 has_file;
	__u8 mapped;		/* the file has VMAs (mapping_mapped()) */
	__u8 on_9p;		/* the file is on a 9p mount (s_magic V9FS_MAGIC) */
	__u8 pad;
};

struct dt_event {
	__u8 type;		/* enum dt_ev_type */
	__u8 step;		/* enum dt_step, or enum dt_tp for EV_TP */
	__u8 method;		/* enum dt_method */
	__u8 depth;
	__u32 pid;		/* tgid */
	__u32 tid;
	union {
		__u32 lost;	/* EV_ROOT_EXIT: events this tree lost */
		__u32 worker_tid; /* EV_WORKER: the drive worker's thread (0 in
				   * recordings made before it was noted) */
	};
	__u64 ts;
	__u64 ip;		/* probed address (tells clones apart) */
	__u64 args[DT_NARGS];
	__s64 ret;
	struct dt_iodesc io;
	struct dt_objdesc obj;
};

/*
 * An exit (EV_EXIT, EV_ROOT_EXIT) in the ring buffer: struct dt_event's
 * fields up to ip, then ret.  An exit decodes no arguments, and a full
 * event would have the probe clear 170 bytes it never fills.  diotrace
 * widens it to a struct dt_event as it takes it off the ring buffer
 * (dt_event_widen()), so nothing past that sees the short form.
 */
struct dt_exit_ev {
	__u8 type;
	__u8 step;
	__u8 method;
	__u8 depth;
	__u32 pid;
	__u32 tid;
	__u32 lost;
	__u64 ts;
	__u64 ip;
	__s64 ret;
};

struct dt_root {		/* EV_ROOT_ENTER payload follows the common header */
	struct dt_event ev;
	__u32 sys;		/* enum dt_sys */
	__s32 fd;
	__u64 count;
	__s64 offset;		/* -1: file position */
	__u64 buf;
	char comm[DT_COMM_LEN];
	__u8 path_n;
	__u8 pad[7];
	char path[DT_PATH_DEPTH][DT_NAME_LEN];	/* leaf first */
	/* processes that mmap(MAP_SHARED)ed this file while diotrace ran */
	__u32 mapper_pid[DT_MAPPERS];
	char mapper_comm[DT_MAPPERS][DT_COMM_LEN];
};

struct dt_file_key {		/* a file, as the page cache knows it */
	__u64 ino;
	__u32 dev;		/* the kernel's dev_t: major << 20 | minor */
	__u32 pad;
};

struct dt_mappers {
	__u32 pid[DT_MAPPERS];
	char comm[DT_MAPPERS][DT_COMM_LEN];
};

/* Filter and configuration in .rodata / maps, set before load. */
struct dt_stepcfg {
	__s8 iocb_arg;		/* argument index holding struct kiocb *, -1 none */
	__s8 iter_arg;
	__s8 file_arg;
	__s8 mapping_arg;
	__s8 bio_arg;
	__s8 inode_arg;
	__u8 method;
	__u8 flags;
};

#define DT_F_PID   0x1	/* only tgids in the traced map */
#define DT_F_COMM  0x2
#define DT_F_READ  0x4
#define DT_F_WRITE 0x8
#define DT_F_ALL   0x10	/* no pid/comm filter: trace everything but ourselves */
#define DT_F_9P    0x20	/* also files on 9p mounts (the lab VM's host root) */

#endif
