// SPDX-License-Identifier: GPL-2.0
/*
 * diotrace: follow one read()/write() down the direct-I/O path.
 *
 * Every step in steps.def gets four programs (fentry, fexit, kprobe,
 * kretprobe) that share one body.  User space decides per step which pair
 * to load and where to attach it, so this one object runs unchanged on
 * every kernel: the per-kernel knowledge lives in the resolver, not here.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "diotrace.h"
#include "../module/dtape_abi.h"

char LICENSE[] SEC("license") = "GPL";

/* Filled by user space before load.  Argument positions come from the
 * running kernel's BTF, so changed signatures need no code here. */
const volatile struct dt_stepcfg cfg[DT_STEP__N] = {};
const volatile __u32 filter_flags = 0;
const volatile char filter_comm[DT_COMM_LEN] = {};
const volatile __u32 self_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);	/* a 64 KiB O_DIRECT write is ~50 events, ~12 KiB */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} traced_pids SEC(".maps");

struct task_state {
	__u64 root_ts;
	__u32 depth;
	__u32 lost;
	__u8 async_root;
	__u8 is_write;
	__u8 has_file;		/* the tree's root names its file */
	__u8 on;		/* inside a traced syscall (a tree is open) */
	__u32 pad;
	/* The root's file as the root decoded it.  A step at the top of the
	 * tree handed that same file takes this copy instead of six more
	 * reads of the file, its inode, superblock and mapping (about 1,200
	 * instructions a 64 KiB ext4 write on either kernel, under -icount).
	 * Only vfs_write and kin take a file there, right after the root:
	 * a later one would see the page count as the syscall began. */
	__u64 root_file;
	struct dt_objdesc root_obj;
};

/*
 * Task storage, not a hash keyed by thread id: every step program looks
 * its task up, and task storage finds it from the task itself (some 1,200
 * fewer instructions over a 64 KiB ext4 write's 30 lookups, under -icount).  A task keeps its storage between syscalls (on = 0)
 * rather than allocating it again for each.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} active SEC(".maps");

/* The open tree of the current task, or NULL. */
static __always_inline struct task_state *active_get(void)
{
	struct task_state *st = bpf_task_storage_get(&active, bpf_get_current_task_btf(), 0, 0);

	return st && st->on ? st : NULL;
}

/* A new tree for the current task: a syscall's, or an io-wq worker's. */
static __always_inline struct task_state *active_start(bool wr, bool has_file, bool async)
{
	struct task_state *st = bpf_task_storage_get(&active, bpf_get_current_task_btf(), 0,
						     BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (st) {
		st->root_ts = bpf_ktime_get_ns();
		st->depth = 0;
		st->lost = 0;
		st->async_root = async;
		st->is_write = wr;
		st->has_file = has_file;
		st->on = 1;
		st->root_file = 0;
	}
	return st;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_total SEC(".maps");

/* Syscalls left out because their file is on 9p (see root_enter). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} skipped_9p SEC(".maps");

struct page_key {
	__u64 ino;
	__u64 index;
	__u32 dev;
	__u32 pad;
};

/* Pages a traced syscall dropped from the page cache, remembered so that a
 * later fault by any process on them can be shown as a refault. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct page_key);
	__type(value, __u32);
} dropped SEC(".maps");

/* Who mmap(MAP_SHARED)s which file: "N mapped pages were unmapped" is only
 * useful with the names of the processes that will refault.  User space
 * seeds it from /proc with the mappings made before diotrace started. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct dt_file_key);
	__type(value, struct dt_mappers);
} mappers SEC(".maps");

/* Older layout of struct iov_iter (6.1): the iovec pointer was "iov"; 6.12
 * renamed it "__iov".  CO-RE picks whichever the kernel has. */
struct iov_iter___old {
	const struct iovec *iov;
} __attribute__((preserve_access_index));

struct iov_iter___new {
	const struct iovec *__iov;
} __attribute__((preserve_access_index));

/* Enumerators that exist only on some kernels. */
enum iter_type___old { ITER_PIPE___old = 3 };
enum iter_type___new { ITER_FOLIOQ___new = 4 };

static __always_inline void count_lost(struct task_state *st)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&lost_total, &k);

	if (v)
		(*v)++;
	if (st)
		st->lost++;
}

static __always_inline bool comm_ok(void)
{
	char c[DT_COMM_LEN];

	if (!(filter_flags & DT_F_COMM))
		return true;
	bpf_get_current_comm(c, sizeof(c));
	for (int i = 0; i < DT_COMM_LEN; i++) {
		if (c[i] != filter_comm[i])
			return false;
		if (!c[i])
			break;
	}
	return true;
}

static __always_inline bool want_task(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if ((filter_flags & DT_F_PID) && !bpf_map_lookup_elem(&traced_pids, &tgid))
		return false;
	return comm_ok();
}

static __always_inline __u8 map_iter(__u8 t)
{
	if (bpf_core_enum_value_exists(enum iter_type, ITER_UBUF) &&
	    t == bpf_core_enum_value(enum iter_type, ITER_UBUF))
		return DT_ITER_UBUF;
	if (t == bpf_core_enum_value(enum iter_type, ITER_IOVEC))
		return DT_ITER_IOVEC;
	if (t == bpf_core_enum_value(enum iter_type, ITER_KVEC))
		return DT_ITER_KVEC;
	if (t == bpf_core_enum_value(enum iter_type, ITER_BVEC))
		return DT_ITER_BVEC;
	if (t == bpf_core_enum_value(enum iter_type, ITER_XARRAY))
		return DT_ITER_XARRAY;
	if (t == bpf_core_enum_value(enum iter_type, ITER_DISCARD))
		return DT_ITER_DISCARD;
	if (bpf_core_enum_value_exists(enum iter_type___old, ITER_PIPE___old) &&
	    t == bpf_core_enum_value(enum iter_type___old, ITER_PIPE___old))
		return DT_ITER_PIPE;
	if (bpf_core_enum_value_exists(enum iter_type___new, ITER_FOLIOQ___new) &&
	    t == bpf_core_enum_value(enum iter_type___new, ITER_FOLIOQ___new))
		return DT_ITER_FOLIOQ;
	return DT_ITER_UNKNOWN;
}

/*
 * A struct's fields come out of one copy of its head: one
 * bpf_probe_read_kernel() per struct instead of one per field.  Each call
 * costs the traced program about a hundred instructions (7,900 for some
 * 80 calls a write, under -icount); a longer copy costs little more.  Offsets and sizes are the running kernel's
 * (CO-RE), so one object reads both 6.1's layouts and 6.12's.  A reader
 * copies its struct up to the end of the last field it takes (HEAD_END),
 * never past it: an iov_iter or kiocb may sit at the top of a stack.  A
 * field beyond DT_HEAD_MAX bytes (a lockdep kernel's larger locks can push
 * one there) is read on its own.
 */
#define DT_HEAD_MAX 224		/* 6.1's struct file up to f_mapping */

struct dt_head {
	__u64 w[DT_HEAD_MAX / 8];	/* aligned for every field in it */
	const void *base;		/* the struct copied */
};

#define HEAD_END(type, field) \
	(bpf_core_field_offset(type, field) + bpf_core_field_size(type, field))
#define HEAD_GET(h, type, field) \
	head_get(h, bpf_core_field_offset(type, field), bpf_core_field_size(type, field))

static __always_inline __u32 max_u32(__u32 a, __u32 b)
{
	return a > b ? a : b;
}

static __always_inline void head_read(struct dt_head *h, const void *p, __u32 len)
{
	h->base = p;
	if (len > DT_HEAD_MAX)
		len = DT_HEAD_MAX;
	bpf_probe_read_kernel(h->w, len, p);
}

static __always_inline __u64 head_get(const struct dt_head *h, __u32 off, __u32 size)
{
	const __u8 *b = (const __u8 *)h->w;
	__u64 v = 0;

	if (size > sizeof(v))
		return 0;
	if (off > DT_HEAD_MAX - size) {
		/* x86 is little-endian: the field lands in v's low bytes */
		bpf_probe_read_kernel(&v, size, (const __u8 *)h->base + off);
		return v;
	}
	switch (size) {
	case 1:
		return b[off];
	case 2:
		return *(const __u16 *)(b + off);
	case 4:
		return *(const __u32 *)(b + off);
	case 8:
		return *(const __u64 *)(b + off);
	}
	return 0;
}

static __always_inline void decode_iter(struct dt_iodesc *io, struct iov_iter *it,
					struct dt_head *h)
{
	bool new_iov = bpf_core_field_exists(struct iov_iter___new, __iov);
	__u32 len = max_u32(HEAD_END(struct iov_iter, count), HEAD_END(struct iov_iter, nr_segs));
	const struct iovec *iov;

	len = max_u32(len, HEAD_END(struct iov_iter, ubuf));
	if (new_iov)
		len = max_u32(len, HEAD_END(struct iov_iter___new, __iov));
	else
		len = max_u32(len, HEAD_END(struct iov_iter___old, iov));
	head_read(h, it, len);
	io->has_iter = 1;
	io->iter_type = map_iter(HEAD_GET(h, struct iov_iter, iter_type));
	io->data_source = HEAD_GET(h, struct iov_iter, data_source);
	io->count = HEAD_GET(h, struct iov_iter, count);
	io->nr_segs = HEAD_GET(h, struct iov_iter, nr_segs);
	if (io->iter_type == DT_ITER_UBUF) {
		io->uaddr = HEAD_GET(h, struct iov_iter, ubuf);
	} else if (io->iter_type == DT_ITER_IOVEC) {
		if (new_iov)
			iov = (const struct iovec *)HEAD_GET(h, struct iov_iter___new, __iov);
		else
			iov = (const struct iovec *)HEAD_GET(h, struct iov_iter___old, iov);
		if (iov)
			io->uaddr = (__u64)BPF_CORE_READ(iov, iov_base);
	}
}

static __always_inline void decode_kiocb(struct dt_iodesc *io, struct kiocb *iocb,
					 struct dt_head *h)
{
	head_read(h, iocb, max_u32(HEAD_END(struct kiocb, ki_pos),
				   HEAD_END(struct kiocb, ki_flags)));
	io->has_iocb = 1;
	io->pos = HEAD_GET(h, struct kiocb, ki_pos);
	io->ki_flags = HEAD_GET(h, struct kiocb, ki_flags);
}

/* What a decode and a tree's root take from a file, its inode and its
 * superblock.  One per program, passed down: the BPF stack is 512 bytes. */
struct file_ptrs {
	struct address_space *mapping;		/* the file's */
	struct address_space *i_mapping;	/* the inode's: differs for a block device */
	const struct file_operations *op;
	struct dentry *dentry;
	struct vfsmount *mnt;
	__u64 ino;
	__s64 isize;
	__u64 magic;
	__u32 dev;
	__u32 flags;
};

#define DT_V9FS_MAGIC 0x01021997	/* uapi magic.h */

static __always_inline void read_inode(struct file_ptrs *fp, struct inode *inode,
				       struct dt_head *h)
{
	__u32 len = max_u32(HEAD_END(struct inode, i_sb), HEAD_END(struct inode, i_mapping));
	struct super_block *sb;

	len = max_u32(len, max_u32(HEAD_END(struct inode, i_ino), HEAD_END(struct inode, i_size)));
	head_read(h, inode, len);
	fp->ino = HEAD_GET(h, struct inode, i_ino);
	fp->isize = HEAD_GET(h, struct inode, i_size);
	fp->i_mapping = (struct address_space *)HEAD_GET(h, struct inode, i_mapping);
	sb = (struct super_block *)HEAD_GET(h, struct inode, i_sb);
	head_read(h, sb, max_u32(HEAD_END(struct super_block, s_dev),
				 HEAD_END(struct super_block, s_magic)));
	fp->dev = HEAD_GET(h, struct super_block, s_dev);
	fp->magic = HEAD_GET(h, struct super_block, s_magic);
}

/* A file's own pointers, then its inode's and superblock's heads. */
static __always_inline void read_file(struct file_ptrs *fp, struct file *f, struct dt_head *h)
{
	__u32 len = max_u32(HEAD_END(struct file, f_inode), HEAD_END(struct file, f_mapping));

	len = max_u32(len, max_u32(HEAD_END(struct file, f_op), HEAD_END(struct file, f_flags)));
	len = max_u32(len, max_u32(HEAD_END(struct file, f_path.mnt),
				   HEAD_END(struct file, f_path.dentry)));
	head_read(h, f, len);
	fp->mapping = (struct address_space *)HEAD_GET(h, struct file, f_mapping);
	fp->op = (const struct file_operations *)HEAD_GET(h, struct file, f_op);
	fp->flags = HEAD_GET(h, struct file, f_flags);
	fp->mnt = (struct vfsmount *)HEAD_GET(h, struct file, f_path.mnt);
	fp->dentry = (struct dentry *)HEAD_GET(h, struct file, f_path.dentry);
	read_inode(fp, (struct inode *)HEAD_GET(h, struct file, f_inode), h);
}

static __always_inline void decode_inode_fp(struct dt_objdesc *o, struct file_ptrs *fp)
{
	o->ino = fp->ino;
	o->dev = fp->dev;
	o->isize = fp->isize;
}

static __always_inline void decode_file_fp(struct dt_objdesc *o, struct file_ptrs *fp,
					   bool wr, struct dt_head *h)
{
	__u32 len = max_u32(HEAD_END(struct address_space, i_mmap.rb_root.rb_node),
			    HEAD_END(struct address_space, nrpages));
	const struct file_operations *op = fp->op;
	struct address_space *im = fp->i_mapping;
	const struct address_space_operations *aops;

	o->has_file = 1;
	o->has_mapping = 1;
	o->f_flags = fp->flags;
	o->on_9p = fp->magic == DT_V9FS_MAGIC;
	decode_inode_fp(o, fp);
	if (wr)
		o->fn1 = (__u64)BPF_CORE_READ(op, write_iter);
	else
		o->fn1 = (__u64)BPF_CORE_READ(op, read_iter);
	head_read(h, fp->mapping, max_u32(len, HEAD_END(struct address_space, a_ops)));
	/* mapping_mapped(): someone has it mmapped, so user space should look
	 * now for who, while they are certainly still alive. */
	o->mapped = HEAD_GET(h, struct address_space, i_mmap.rb_root.rb_node) != 0;
	/* The inode's page count, as for an inode argument: the file's
	 * mapping is the inode's except on a block device node. */
	if (im == fp->mapping)
		o->nrpages = HEAD_GET(h, struct address_space, nrpages);
	else
		o->nrpages = BPF_CORE_READ(im, nrpages);
	aops = (const struct address_space_operations *)HEAD_GET(h, struct address_space, a_ops);
	/* 6.12 ext4/xfs/bdev have no ->direct_IO; 0 then means "none". */
	o->fn2 = (__u64)BPF_CORE_READ(aops, direct_IO);
}

static __always_inline void decode_file(struct dt_objdesc *o, struct file *f, bool wr,
					struct file_ptrs *fp, struct dt_head *h)
{
	read_file(fp, f, h);
	decode_file_fp(o, fp, wr, h);
}

static __always_inline void decode_inode(struct dt_objdesc *o, struct inode *inode,
					 struct file_ptrs *fp, struct dt_head *h)
{
	struct address_space *im;

	read_inode(fp, inode, h);
	decode_inode_fp(o, fp);
	im = fp->i_mapping;
	o->nrpages = BPF_CORE_READ(im, nrpages);
}

/* A mapping argument: its own page count, and its inode. */
static __always_inline void decode_mapping(struct dt_objdesc *o, struct address_space *m,
					   struct file_ptrs *fp, struct dt_head *h)
{
	struct inode *host;

	head_read(h, m, max_u32(HEAD_END(struct address_space, host),
				HEAD_END(struct address_space, nrpages)));
	o->has_mapping = 1;
	o->nrpages = HEAD_GET(h, struct address_space, nrpages);
	host = (struct inode *)HEAD_GET(h, struct address_space, host);
	read_inode(fp, host, h);
	decode_inode_fp(o, fp);
}

static __always_inline void decode_bio(struct dt_objdesc *o, struct bio *bio, struct dt_head *h)
{
	__u32 len = max_u32(HEAD_END(struct bio, bi_iter.bi_sector),
			    HEAD_END(struct bio, bi_iter.bi_size));
	struct block_device *bdev;

	len = max_u32(len, max_u32(HEAD_END(struct bio, bi_opf), HEAD_END(struct bio, bi_flags)));
	len = max_u32(len, max_u32(HEAD_END(struct bio, bi_vcnt), HEAD_END(struct bio, bi_bdev)));
	head_read(h, bio, len);
	o->has_bio = 1;
	o->sector = HEAD_GET(h, struct bio, bi_iter.bi_sector);
	o->bi_size = HEAD_GET(h, struct bio, bi_iter.bi_size);
	o->bi_opf = HEAD_GET(h, struct bio, bi_opf);
	o->bi_flags = HEAD_GET(h, struct bio, bi_flags);
	o->bi_vcnt = HEAD_GET(h, struct bio, bi_vcnt);
	bdev = (struct block_device *)HEAD_GET(h, struct bio, bi_bdev);
	o->dev = BPF_CORE_READ(bdev, bd_dev);
}

static __always_inline void decode(struct dt_event *e, __u32 step, __u64 *a,
				   const struct task_state *st, struct file_ptrs *fp,
				   struct dt_head *h)
{
	bool wr = st->is_write;
	__s8 i;

	if (step >= DT_STEP__N)
		return;
	i = cfg[step].iocb_arg;
	if (i >= 0 && i < DT_NARGS)
		decode_kiocb(&e->io, (struct kiocb *)a[i], h);
	i = cfg[step].iter_arg;
	if (i >= 0 && i < DT_NARGS)
		decode_iter(&e->io, (struct iov_iter *)a[i], h);
	i = cfg[step].file_arg;
	if (i >= 0 && i < DT_NARGS) {
		if (st->depth == 0 && st->root_file && a[i] == st->root_file)
			e->obj = st->root_obj;
		else
			decode_file(&e->obj, (struct file *)a[i], wr, fp, h);
	}
	i = cfg[step].mapping_arg;
	if (i >= 0 && i < DT_NARGS)
		decode_mapping(&e->obj, (struct address_space *)a[i], fp, h);
	i = cfg[step].inode_arg;
	if (i >= 0 && i < DT_NARGS) {
		e->obj.has_mapping = 1;
		decode_inode(&e->obj, (struct inode *)a[i], fp, h);
	}
	i = cfg[step].bio_arg;
	if (i >= 0 && i < DT_NARGS)
		decode_bio(&e->obj, (struct bio *)a[i], h);
}

static __always_inline void fill_hdr(struct dt_event *e, __u8 type, __u8 step,
				     __u64 id, struct task_state *st)
{
	e->type = type;
	e->step = step;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->ts = bpf_ktime_get_ns();
	e->depth = st ? st->depth : 0;
}

/* ---------------------------------------------------------------- roots */

/* Mounts stacked on one dentry that the walk below climbs through. */
#define DT_MOUNT_HOPS 4

/* A mount's place in the tree, from one read of its head (its struct
 * vfsmount is inside it). */
struct mount_at {
	struct mount *mnt;
	struct mount *parent;
	struct dentry *mountpoint;	/* where it sits in its parent */
	struct dentry *root;		/* its own root dentry */
};

static __always_inline void read_mount(struct mount_at *m, struct mount *mnt, struct dt_head *h)
{
	__u32 len = max_u32(HEAD_END(struct mount, mnt_parent),
			    HEAD_END(struct mount, mnt_mountpoint));

	head_read(h, mnt, max_u32(len, HEAD_END(struct mount, mnt.mnt_root)));
	m->mnt = mnt;
	m->parent = (struct mount *)HEAD_GET(h, struct mount, mnt_parent);
	m->mountpoint = (struct dentry *)HEAD_GET(h, struct mount, mnt_mountpoint);
	m->root = (struct dentry *)HEAD_GET(h, struct mount, mnt.mnt_root);
}

/*
 * Before a path component: stop at the task's root, and climb from a
 * mount's root to its mountpoint in the parent mount.  False where the
 * walk ends.  A loop of its own, so that the verifier walks the hops once
 * per component: in one loop with the components, it followed every mix
 * of both counts (53,000 instructions for each of two programs, against
 * about 200 for the others; the verifier was a fifth of a diotrace start's
 * CPU under TCG).
 */
static __always_inline bool climb_mounts(struct dentry **d, struct mount_at *m,
					 struct dentry *root_d, struct vfsmount *root_m,
					 struct dt_head *h)
{
	for (int i = 0; i < DT_MOUNT_HOPS; i++) {
		if (*d == root_d && &m->mnt->mnt == root_m)
			return false;
		if (*d != m->root)
			return true;
		if (m->parent == m->mnt)
			return false;
		*d = m->mountpoint;
		read_mount(m, m->parent, h);
	}
	return false;
}

static __always_inline void fill_path(struct dt_root *r, struct file_ptrs *fp, struct dt_head *h)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct dentry *d = fp->dentry;
	struct dentry *root_d;
	struct vfsmount *root_m;
	struct mount_at m;
	int n;

	head_read(h, BPF_CORE_READ(task, fs), HEAD_END(struct fs_struct, root));
	root_d = (struct dentry *)HEAD_GET(h, struct fs_struct, root.dentry);
	root_m = (struct vfsmount *)HEAD_GET(h, struct fs_struct, root.mnt);
	read_mount(&m, container_of(fp->mnt, struct mount, mnt), h);
	/* Same walk as d_path(), bounded: stop at the task's root so paths
	 * inside the lab VM's chroot read as the student sees them. */
	for (n = 0; n < DT_PATH_DEPTH; n++) {
		struct dentry *parent;

		if (!climb_mounts(&d, &m, root_d, root_m, h))
			break;
		head_read(h, d, max_u32(HEAD_END(struct dentry, d_parent),
					HEAD_END(struct dentry, d_name.name)));
		bpf_probe_read_kernel_str(r->path[n], DT_NAME_LEN,
					  (const void *)HEAD_GET(h, struct dentry, d_name.name));
		parent = (struct dentry *)HEAD_GET(h, struct dentry, d_parent);
		if (parent == d) {
			n++;
			break;
		}
		d = parent;
	}
	r->path_n = n;
}

static __always_inline struct file *fd_file(int fd, struct dt_head *h)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **arr;
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	head_read(h, BPF_CORE_READ(task, files, fdt),
		  max_u32(HEAD_END(struct fdtable, max_fds), HEAD_END(struct fdtable, fd)));
	if (fd >= (int)HEAD_GET(h, struct fdtable, max_fds))
		return NULL;
	arr = (struct file **)HEAD_GET(h, struct fdtable, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &arr[fd]);
	return f;
}

/* Its path and who maps it, for a root whose file is decoded. */
static __always_inline void fill_where(struct dt_root *r, struct file_ptrs *fp, struct dt_head *h)
{
	fill_path(r, fp, h);
	if (r->ev.obj.mapped) {
		struct dt_file_key fk = { .ino = r->ev.obj.ino, .dev = r->ev.obj.dev };
		struct dt_mappers *m = bpf_map_lookup_elem(&mappers, &fk);

		if (m) {
			__builtin_memcpy(r->mapper_pid, m->pid, sizeof(m->pid));
			__builtin_memcpy(r->mapper_comm, m->comm, sizeof(m->comm));
		}
	}
}

/* The file, its path and who maps it: what a tree's root says about its file. */
static __always_inline void fill_file(struct dt_root *r, struct file *f, bool wr,
				      struct file_ptrs *fp, struct dt_head *h)
{
	decode_file(&r->ev.obj, f, wr, fp, h);
	fill_where(r, fp, h);
}

static __always_inline int root_enter(__u32 sys, bool wr, int fd, __u64 buf,
				      __u64 count, __s64 off)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct file_ptrs fp = {};
	struct task_state *stp;
	struct dt_root *r;
	struct file *f = NULL;
	struct dt_head h;

	if (!(filter_flags & (wr ? DT_F_WRITE : DT_F_READ)))
		return 0;
	if (!want_task(id >> 32))
		return 0;
	if (sys != SYS_IO_SUBMIT && sys != SYS_IO_URING_ENTER)
		f = fd_file(fd, &h);
	/* the 9p test and the decode below share these reads */
	if (f)
		read_file(&fp, f, &h);
	/* The lab VM's root file system is the host's, over 9p: every program
	 * start reads its libraries there, and on 6.12 netfs pins the reader's
	 * buffer for each read, which would bury the trees the student asked
	 * for.  Left out unless --include-9p. */
	if (f && !(filter_flags & DT_F_9P) && fp.magic == DT_V9FS_MAGIC) {
		__u32 k = 0;
		__u64 *v = bpf_map_lookup_elem(&skipped_9p, &k);

		if (v)
			(*v)++;
		/* A tree whose exit was lost (6.1's task storage can be busy
		 * in an interrupt) must not adopt this syscall's steps. */
		stp = active_get();
		if (stp)
			stp->on = 0;
		return 0;
	}
	stp = active_start(wr, f != NULL, false);
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost(stp);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->ev, EV_ROOT_ENTER, 0, id, stp);
	r->sys = sys;
	r->fd = fd;
	r->count = count;
	r->offset = off;
	r->buf = buf;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	if (f) {
		decode_file_fp(&r->ev.obj, &fp, wr, &h);
		if (stp) {
			stp->root_file = (__u64)f;
			stp->root_obj = r->ev.obj;
		}
		fill_where(r, &fp, &h);
	}
	bpf_ringbuf_submit(r, 0);
	return 0;
}

/* Every field of the short form is written: nothing to clear first. */
static __always_inline void emit_exit(__u8 type, __u8 step, __u64 id, struct task_state *st,
				      __u8 method, __u64 ip, long ret)
{
	struct dt_exit_ev *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost(st);
		return;
	}
	e->type = type;
	e->step = step;
	e->method = method;
	e->depth = st->depth;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->lost = type == EV_ROOT_EXIT ? st->lost : 0;
	e->ts = bpf_ktime_get_ns();
	e->ip = ip;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline int root_exit(long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_state *st = active_get();

	if (!st)
		return 0;
	emit_exit(EV_ROOT_EXIT, 0, id, st, 0, 0, ret);
	st->on = 0;
	return 0;
}

/*
 * The ten read and write syscalls share one program each way, attached
 * to each syscall's tracepoint (diotrace.c), and ctx->id tells them apart.
 * The verifier walks root_enter() once instead of once per syscall: 1.5 s
 * less at every start under TCG.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DT_MAX_SYSCALL_NR);
	__type(key, __u32);
	__type(value, struct dt_rw_sys);
} rw_syscalls SEC(".maps");

SEC("tracepoint")
int tp_enter_rw(struct trace_event_raw_sys_enter *ctx)
{
	__u32 nr = (__u32)ctx->id;
	struct dt_rw_sys *s = bpf_map_lookup_elem(&rw_syscalls, &nr);
	__s64 pos = -1;

	if (!s || s->sys == SYS_NONE)
		return 0;
	/* Not ctx->args[3]: the kernel refuses to attach a program that
	 * reads past the record of a three-argument syscall such as write. */
	if (s->has_pos)
		bpf_probe_read_kernel(&pos, sizeof(pos), &ctx->args[3]);
	return root_enter(s->sys, s->wr, (int)ctx->args[0], ctx->args[1], ctx->args[2], pos);
}

SEC("tracepoint")
int tp_exit_rw(struct trace_event_raw_sys_exit *ctx)
{
	return root_exit(ctx->ret);
}

/* Async submissions carry no single fd; direction is known only below. */
SEC("tracepoint/syscalls/sys_enter_io_submit")
int tp_enter_io_submit(struct trace_event_raw_sys_enter *ctx)
{
	return root_enter(SYS_IO_SUBMIT, true, -1, ctx->args[2], ctx->args[1], -1);
}

SEC("tracepoint/syscalls/sys_exit_io_submit")
int tp_exit_io_submit(struct trace_event_raw_sys_exit *ctx)
{
	return root_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_io_uring_enter")
int tp_enter_io_uring_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (!ctx->args[1])	/* to_submit == 0: only reaping completions */
		return 0;
	return root_enter(SYS_IO_URING_ENTER, true, (int)ctx->args[0], 0,
			  ctx->args[1], -1);
}

SEC("tracepoint/syscalls/sys_exit_io_uring_enter")
int tp_exit_io_uring_enter(struct trace_event_raw_sys_exit *ctx)
{
	return root_exit(ctx->ret);
}

#define DT_MAP_SHARED 0x01	/* uapi mman-common.h */

SEC("tracepoint/syscalls/sys_enter_mmap")
int tp_enter_mmap(struct trace_event_raw_sys_enter *ctx)
{
	struct dt_mappers zero = {}, *m;
	struct dt_file_key fk = {};
	struct file_ptrs fp = {};
	struct dt_head h;
	struct file *f;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!(ctx->args[3] & DT_MAP_SHARED) || (int)ctx->args[4] < 0)
		return 0;
	f = fd_file((int)ctx->args[4], &h);
	if (!f)
		return 0;
	read_inode(&fp, BPF_CORE_READ(f, f_inode), &h);
	fk.ino = fp.ino;
	fk.dev = fp.dev;
	bpf_map_update_elem(&mappers, &fk, &zero, BPF_NOEXIST);
	m = bpf_map_lookup_elem(&mappers, &fk);
	if (!m)
		return 0;
	for (int i = 0; i < DT_MAPPERS; i++) {
		if (m->pid[i] == tgid)
			return 0;
		if (!m->pid[i]) {
			m->pid[i] = tgid;
			bpf_get_current_comm(m->comm[i], DT_COMM_LEN);
			return 0;
		}
	}
	return 0;
}

/* `diotrace -- CMD` follows the command's children like strace -f. */
SEC("tracepoint/sched/sched_process_fork")
int tp_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	__u32 child = ctx->child_pid;
	__u8 one = 1;

	if (!(filter_flags & DT_F_PID))
		return 0;
	if (bpf_map_lookup_elem(&traced_pids, &parent))
		bpf_map_update_elem(&traced_pids, &child, &one, BPF_ANY);
	return 0;
}

/* ---------------------------------------------------------------- steps */

/* io_uring_enter and io_submit name no file, and an io-wq worker runs no
 * syscall at all: the file is in the request.  aio_read/aio_write get the
 * struct kiocb, whose ki_filp __io_submit_one() set; io_read/io_write get
 * the struct io_kiocb, whose file io_rw_init_file() hands to the kiocb. */
static __always_inline void async_file(struct task_state *st, __u32 step, __u64 *a,
				       __u64 id, bool wr, struct file_ptrs *fp, struct dt_head *h)
{
	struct file *f = NULL;
	struct dt_root *r;
	__s8 i = cfg[step].iocb_arg;

	if (i >= 0 && i < DT_NARGS)
		f = BPF_CORE_READ((struct kiocb *)a[i], ki_filp);
	else if (bpf_core_field_exists(struct io_kiocb, file))
		f = BPF_CORE_READ((struct io_kiocb *)a[0], file);
	if (!f)
		return;
	st->has_file = 1;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost(st);
		return;
	}
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->ev, EV_FILE, step, id, st);
	r->fd = -1;
	r->offset = -1;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	fill_file(r, f, wr, fp, h);
	bpf_ringbuf_submit(r, 0);
}

/*
 * step_enter() and step_exit() are BPF subprograms, not inlined into each
 * of the ~200 step programs: inlined, the object was 5.6 MB of code and line
 * info that libbpf took 2.5 s to open under TCG; now it is 0.6 MB.  The
 * verifier still sees the step number as a constant in each caller.
 */
static __noinline int step_enter(__u32 step, __u64 *a, __u64 ip, __u8 method)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_state *st = active_get();
	struct file_ptrs fp = {};
	struct dt_head h;
	struct dt_event *e;
	bool wr;

	if (step >= DT_STEP__N)
		return 0;
	if (!st) {
		/* io_uring punts to an io-wq worker that shares the mm and
		 * tgid but never entered a syscall we saw: root it here. */
		if (!(cfg[step].flags & SF_ROOT) || !want_task(id >> 32))
			return 0;
		st = active_start(step == DT_IO_WRITE || step == DT_AIO_WRITE, false, true);
		if (!st)
			return 0;
		{
			struct dt_root *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);

			if (!r) {
				count_lost(st);
			} else {
				__builtin_memset(r, 0, sizeof(*r));
				fill_hdr(&r->ev, EV_ROOT_ENTER, step, id, st);
				r->sys = SYS_ASYNC_WORKER;
				r->fd = -1;
				r->offset = -1;
				bpf_get_current_comm(r->comm, sizeof(r->comm));
				bpf_ringbuf_submit(r, 0);
			}
		}
	}
	wr = st->is_write;
	if (!st->has_file && (step == DT_IO_WRITE || step == DT_IO_READ ||
			      step == DT_AIO_WRITE || step == DT_AIO_READ))
		async_file(st, step, a, id, wr, &fp, &h);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(st);
		st->depth++;
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	fill_hdr(e, EV_ENTER, step, id, st);
	e->method = method;
	e->ip = ip;
	for (int i = 0; i < DT_NARGS; i++)
		e->args[i] = a[i];
	decode(e, step, a, st, &fp, &h);
	st->depth++;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __noinline int step_exit(__u32 step, long ret, __u64 ip, __u8 method)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_state *st = active_get();

	if (!st)
		return 0;
	if (st->depth > 0)
		st->depth--;
	emit_exit(EV_EXIT, step, id, st, method, ip, ret);
	if (st->async_root && st->depth == 0)
		root_exit(ret);
	return 0;
}

static __always_inline int fe_enter(__u64 *ctx, __u32 step)
{
	__u64 a[DT_NARGS] = {};

	/* bpf_get_func_arg() knows the real arity from BTF and refuses
	 * indexes past it, so one body serves every signature. */
	for (int i = 0; i < DT_NARGS; i++)
		if (bpf_get_func_arg(ctx, i, &a[i]))
			break;
	return step_enter(step, a, bpf_get_func_ip(ctx), M_FENTRY);
}

static __always_inline int fx_exit(__u64 *ctx, __u32 step)
{
	__u64 r = 0;

	bpf_get_func_ret(ctx, &r);
	return step_exit(step, (long)r, bpf_get_func_ip(ctx), M_FENTRY);
}

static __always_inline int kp_enter(struct pt_regs *ctx, __u32 step, __u8 method)
{
	__u64 a[DT_NARGS];

	a[0] = PT_REGS_PARM1(ctx);
	a[1] = PT_REGS_PARM2(ctx);
	a[2] = PT_REGS_PARM3(ctx);
	a[3] = PT_REGS_PARM4(ctx);
	a[4] = PT_REGS_PARM5(ctx);
	a[5] = ctx->r9;		/* sixth x86-64 argument register */
	return step_enter(step, a, bpf_get_func_ip(ctx), method);
}

static __always_inline int kr_exit(struct pt_regs *ctx, __u32 step)
{
	return step_exit(step, (long)PT_REGS_RC(ctx), 0, M_KPROBE);
}

/* Refault detection runs in any task, so it cannot use the per-task tree. */
static __always_inline int fault_check(__u64 ino, __u32 dev, __u64 index,
				       __u64 ip, __u8 method)
{
	struct page_key k = { .ino = ino, .index = index, .dev = dev };
	__u32 *writer = bpf_map_lookup_elem(&dropped, &k);
	__u64 id = bpf_get_current_pid_tgid();
	struct dt_event *e;

	if (!writer)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(NULL);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	fill_hdr(e, EV_REFAULT, DT_FILEMAP_FAULT, id, NULL);
	e->method = method;
	e->ip = ip;
	e->obj.ino = ino;
	e->obj.dev = dev;
	e->args[0] = index;
	e->args[1] = *writer;
	/* args[2..3]: the faulting task's comm (16 bytes) */
	bpf_get_current_comm(&e->args[2], 16);
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&dropped, &k);
	return 0;
}

static __always_inline int fault_enter(struct vm_fault *vmf, __u64 ip, __u8 method)
{
	struct inode *inode = BPF_CORE_READ(vmf, vma, vm_file, f_inode);

	return fault_check(BPF_CORE_READ(inode, i_ino), BPF_CORE_READ(inode, i_sb, s_dev),
			   BPF_CORE_READ(vmf, pgoff), ip, method);
}

#define STEP(id, cat, fl, cands, tp)						\
SEC("fentry") int fe_##id(__u64 *ctx) { return fe_enter(ctx, DT_##id); }	\
SEC("fexit") int fx_##id(__u64 *ctx) { return fx_exit(ctx, DT_##id); }	\
SEC("kprobe") int kp_##id(struct pt_regs *ctx) { return kp_enter(ctx, DT_##id, M_KPROBE); } \
SEC("kretprobe") int kr_##id(struct pt_regs *ctx) { return kr_exit(ctx, DT_##id); }
#include "steps.def"
#undef STEP

/*
 * --attach kprobes: one program for every step in vmlinux, the step riding
 * in each function's attach cookie, on one kprobe.multi link per direction
 * instead of a trampoline per function (bpf/diotrace.c, batch_steps()).
 */
static __always_inline int cookie_enter(struct pt_regs *ctx, __u8 method)
{
	__u64 step = bpf_get_attach_cookie(ctx);

	/* Bounded as the whole 64-bit register: step_enter() checks a
	 * truncated copy, a bound the verifier does not carry back. */
	if (step >= DT_STEP__N)
		return 0;
	return kp_enter(ctx, step, method);
}

SEC("kprobe.multi")
int kpm_enter(struct pt_regs *ctx)
{
	return cookie_enter(ctx, M_KMULTI);
}

SEC("kretprobe.multi")
int kpm_exit(struct pt_regs *ctx)
{
	return step_exit((__u32)bpf_get_attach_cookie(ctx), (long)PT_REGS_RC(ctx),
			 bpf_get_func_ip(ctx), M_KMULTI);
}

/* The same where the kernel has no kprobe.multi: a kprobe per function,
 * one program for them all, each attachment with its step as cookie. */
SEC("kprobe")
int kps_enter(struct pt_regs *ctx)
{
	return cookie_enter(ctx, M_KPROBE);
}

SEC("kretprobe")
int kps_exit(struct pt_regs *ctx)
{
	return step_exit((__u32)bpf_get_attach_cookie(ctx), (long)PT_REGS_RC(ctx), 0,
			 M_KPROBE);
}

/* filemap_fault is special: it must see every task, not just traced ones. */
SEC("fentry")
int fe_fault(__u64 *ctx)
{
	__u64 vmf = 0;

	bpf_get_func_arg(ctx, 0, &vmf);
	return fault_enter((struct vm_fault *)vmf, bpf_get_func_ip(ctx), M_FENTRY);
}

SEC("kprobe")
int kp_fault(struct pt_regs *ctx)
{
	return fault_enter((struct vm_fault *)PT_REGS_PARM1(ctx),
			   bpf_get_func_ip(ctx), M_KPROBE);
}

SEC("tracepoint/filemap/mm_filemap_fault")
int tp_fault(struct trace_event_raw_mm_filemap_fault *ctx)
{
	return fault_check(ctx->i_ino, ctx->s_dev, ctx->index, 0, M_TP);
}

/* ---------------------------------------------------------- tracepoints */

static __always_inline struct task_state *cur_state(void)
{
	return active_get();
}

static __always_inline struct dt_event *tp_event(__u8 what, struct task_state *st)
{
	struct dt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost(st);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	fill_hdr(e, EV_TP, what, bpf_get_current_pid_tgid(), st);
	e->method = M_TP;
	return e;
}

SEC("tracepoint/filemap/mm_filemap_delete_from_page_cache")
int tp_filemap_delete(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	struct task_state *st = cur_state();
	struct page_key k = {};
	struct dt_event *e;
	__u32 tgid;

	if (!st)
		return 0;
	k.ino = ctx->i_ino;
	k.index = ctx->index;
	k.dev = ctx->s_dev;
	tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_map_update_elem(&dropped, &k, &tgid, BPF_ANY);
	e = tp_event(DT_TP_FILEMAP_DELETE, st);
	if (!e)
		return 0;
	e->obj.ino = k.ino;
	e->obj.dev = k.dev;
	e->args[0] = k.index;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/filemap/mm_filemap_add_to_page_cache")
int tp_filemap_add(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	struct task_state *st = cur_state();
	struct dt_event *e;

	if (!st)
		return 0;
	e = tp_event(DT_TP_FILEMAP_ADD, st);
	if (!e)
		return 0;
	e->obj.ino = ctx->i_ino;
	e->obj.dev = ctx->s_dev;
	e->args[0] = ctx->index;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* Only attached when submit_bio itself cannot be probed. */
SEC("tracepoint/block/block_bio_queue")
int tp_bio_queue(struct trace_event_raw_block_bio *ctx)
{
	struct task_state *st = cur_state();
	struct dt_event *e;

	if (!st)
		return 0;
	e = tp_event(DT_TP_BIO_QUEUE, st);
	if (!e)
		return 0;
	e->obj.has_bio = 1;
	e->obj.dev = ctx->dev;
	e->obj.sector = ctx->sector;
	e->obj.bi_size = ctx->nr_sector << 9;
	bpf_probe_read_kernel(&e->args[0], 8, ctx->rwbs);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/iomap/iomap_dio_invalidate_fail")
int tp_iomap_inval_fail(struct trace_event_raw_iomap_range_class *ctx)
{
	struct task_state *st = cur_state();
	struct dt_event *e;

	if (!st)
		return 0;
	e = tp_event(DT_TP_IOMAP_INVAL_FAIL, st);
	if (!e)
		return 0;
	e->obj.ino = ctx->ino;
	e->obj.dev = ctx->dev;
	e->args[0] = ctx->offset;
	e->args[1] = ctx->length;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ------------------------------------------ dtape (module) tracepoints */

/*
 * dtape places a queued record from its per-drive worker thread, long
 * after the submitting syscall may have returned (AIO), so the worker's
 * events are tied back to the submission by (drive, user address, length).
 * raw_tp programs read the TP_PROTO arguments, so they load whether or not
 * the module is there; they are attached only when it is.
 */
struct dtape_key {
	__u64 uaddr;
	__u64 len;
	__u32 drive;
	__u32 pad;
};

struct dtape_sub {
	__u64 ts;
	__u64 id;		/* submitter's pid_tgid */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct dtape_key);
	__type(value, struct dtape_sub);
} dtape_reqs SEC(".maps");

/* the last traced submitter per drive, to whom a stall is reported */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct dtape_sub);
} dtape_drives SEC(".maps");

static __always_inline void dtape_args(struct dt_event *e, __u64 drive, __u64 uaddr,
				       __u64 len, __u64 a3, __u64 a4, __u64 a5)
{
	e->args[0] = drive;
	e->args[1] = uaddr;
	e->args[2] = len;
	e->args[3] = a3;
	e->args[4] = a4;
	e->args[5] = a5;
}

/* In a traced task: an instant under its current node.  In the worker: an
 * EV_WORKER for the submitter, if a traced task submitted the request. */
static __always_inline int dtape_emit(__u8 what, struct dtape_sub *sub, __u64 drive,
				      __u64 uaddr, __u64 len, __u64 a3, __u64 a4, __u64 a5)
{
	struct task_state *st = cur_state();
	struct dt_event *e;

	/* two separate tests: merged into (st | sub) the verifier refuses them */
	if (st) {
		e = tp_event(what, st);
		if (!e)
			return 0;
	} else if (sub) {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e) {
			count_lost(NULL);
			return 0;
		}
		__builtin_memset(e, 0, sizeof(*e));
		fill_hdr(e, EV_WORKER, what, sub->id, NULL);
		e->worker_tid = (__u32)bpf_get_current_pid_tgid();
		e->method = M_TP;
		e->ret = e->ts - sub->ts;
	} else {
		return 0;
	}
	dtape_args(e, drive, uaddr, len, a3, a4, a5);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline struct dtape_sub *dtape_req(__u64 drive, __u64 uaddr, __u64 len)
{
	struct dtape_key k = { .uaddr = uaddr, .len = len, .drive = (__u32)drive };

	return bpf_map_lookup_elem(&dtape_reqs, &k);
}

/*
 * The raw_tp programs read each tracepoint's arguments at the positions
 * module/dtape_abi.h gives, and store them in diotrace's own event layout
 * (see enum dt_tp in diotrace.h).
 */
#define DTAPE_ARG(ctx, pos) ((ctx)->args[pos])

/* the path and the direction in one argument of the event */
static __always_inline __u64 dtape_path_dir(struct bpf_raw_tracepoint_args *ctx)
{
	return DTAPE_ARG(ctx, DTAPE_ARG_PATH) | DTAPE_ARG(ctx, DTAPE_ARG_TO_MEDIUM) << 8;
}

SEC("raw_tp/dtape_submit")
int rtp_dtape_submit(struct bpf_raw_tracepoint_args *ctx)
{
	struct dtape_key k = { .uaddr = DTAPE_ARG(ctx, DTAPE_ARG_UADDR),
			       .len = DTAPE_ARG(ctx, DTAPE_ARG_LEN),
			       .drive = (__u32)DTAPE_ARG(ctx, DTAPE_ARG_DRIVE) };
	struct dtape_sub sub = { .ts = bpf_ktime_get_ns(), .id = bpf_get_current_pid_tgid() };

	if (!cur_state())
		return 0;
	bpf_map_update_elem(&dtape_reqs, &k, &sub, BPF_ANY);
	bpf_map_update_elem(&dtape_drives, &k.drive, &sub, BPF_ANY);
	return dtape_emit(DT_TP_DTAPE_SUBMIT, NULL, k.drive, k.uaddr, k.len,
			  DTAPE_ARG(ctx, DTAPE_SUBMIT_TO_MEDIUM), DTAPE_ARG(ctx, DTAPE_SUBMIT_SYNC),
			  DTAPE_ARG(ctx, DTAPE_SUBMIT_INFLIGHT));
}

/* the pin, unpin, transfer and fallback events: one class, one layout */
static __always_inline int dtape_pages_emit(__u8 what, struct dtape_sub *sub,
					    struct bpf_raw_tracepoint_args *ctx, __u64 a3,
					    __u64 a4, __u64 a5)
{
	return dtape_emit(what, sub, DTAPE_ARG(ctx, DTAPE_ARG_DRIVE), DTAPE_ARG(ctx, DTAPE_ARG_UADDR),
			  DTAPE_ARG(ctx, DTAPE_ARG_LEN), a3, a4, a5);
}

static __always_inline struct dtape_sub *dtape_pages_req(struct bpf_raw_tracepoint_args *ctx)
{
	return dtape_req(DTAPE_ARG(ctx, DTAPE_ARG_DRIVE), DTAPE_ARG(ctx, DTAPE_ARG_UADDR),
			 DTAPE_ARG(ctx, DTAPE_ARG_LEN));
}

/* at submission only, in the submitter */
SEC("raw_tp/dtape_pin")
int rtp_dtape_pin(struct bpf_raw_tracepoint_args *ctx)
{
	return dtape_pages_emit(DT_TP_DTAPE_PIN, NULL, ctx, DTAPE_ARG(ctx, DTAPE_ARG_NR_PAGES),
				DTAPE_ARG(ctx, DTAPE_PIN_GOT), dtape_path_dir(ctx));
}

SEC("raw_tp/dtape_transfer")
int rtp_dtape_transfer(struct bpf_raw_tracepoint_args *ctx)
{
	return dtape_pages_emit(DT_TP_DTAPE_TRANSFER, dtape_pages_req(ctx), ctx,
				DTAPE_ARG(ctx, DTAPE_ARG_NR_PAGES), dtape_path_dir(ctx),
				DTAPE_ARG(ctx, DTAPE_TRANSFER_BLOCK));
}

SEC("raw_tp/dtape_unpin")
int rtp_dtape_unpin(struct bpf_raw_tracepoint_args *ctx)
{
	return dtape_pages_emit(DT_TP_DTAPE_UNPIN, dtape_pages_req(ctx), ctx,
				DTAPE_ARG(ctx, DTAPE_ARG_NR_PAGES), DTAPE_ARG(ctx, DTAPE_ARG_PATH),
				DTAPE_ARG(ctx, DTAPE_UNPIN_DIRTY));
}

/* at submission only, in the submitter */
SEC("raw_tp/dtape_fallback")
int rtp_dtape_fallback(struct bpf_raw_tracepoint_args *ctx)
{
	return dtape_pages_emit(DT_TP_DTAPE_FALLBACK, NULL, ctx, DTAPE_ARG(ctx, DTAPE_FALLBACK_WHY),
				DTAPE_ARG(ctx, DTAPE_ARG_TO_MEDIUM), DTAPE_ARG(ctx, DTAPE_ARG_PATH));
}

SEC("raw_tp/dtape_complete")
int rtp_dtape_complete(struct bpf_raw_tracepoint_args *ctx)
{
	struct dtape_key k = { .uaddr = DTAPE_ARG(ctx, DTAPE_ARG_UADDR),
			       .len = DTAPE_ARG(ctx, DTAPE_ARG_LEN),
			       .drive = (__u32)DTAPE_ARG(ctx, DTAPE_ARG_DRIVE) };
	__u64 result = DTAPE_ARG(ctx, DTAPE_COMPLETE_RESULT);
	__u64 sync = DTAPE_ARG(ctx, DTAPE_COMPLETE_SYNC);
	struct dtape_sub *sub = bpf_map_lookup_elem(&dtape_reqs, &k);
	struct dtape_sub copy;

	if (!sub)
		return dtape_emit(DT_TP_DTAPE_COMPLETE, NULL, k.drive, k.uaddr, k.len, result,
				  sync, 0);
	copy = *sub;
	bpf_map_delete_elem(&dtape_reqs, &k);
	return dtape_emit(DT_TP_DTAPE_COMPLETE, &copy, k.drive, k.uaddr, k.len, result, sync, 0);
}

SEC("raw_tp/dtape_stall")
int rtp_dtape_stall(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 drive = (__u32)DTAPE_ARG(ctx, DTAPE_STALL_DRIVE);

	return dtape_emit(DT_TP_DTAPE_STALL, bpf_map_lookup_elem(&dtape_drives, &drive),
			  drive, 0, 0, DTAPE_ARG(ctx, DTAPE_STALL_REPOSITION_MS),
			  DTAPE_ARG(ctx, DTAPE_STALL_TO_MEDIUM), 0);
}
