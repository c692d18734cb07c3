/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow tape: what a dtape tape must hold, built from the calls that
 * succeeded, and what a read at a given block must return by st's rules
 * (module/README.md). tapefuzz checks the driver against it. Pure logic,
 * so tests/unit/test_tapemodel.c tests it without a kernel.
 */
#ifndef DIOLAB_TAPEMODEL_H
#define DIOLAB_TAPEMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* dtape's DTAPE_GAP_BYTES: the tape each record and filemark uses. */
#define TM_GAP_BYTES 64

/*
 * One record or filemark (len 0). A record's bytes are bytes [off, off +
 * len) of pattern stream (seed, id): a fixed-block write of k blocks is
 * one stream cut into k records.
 */
struct tm_entry {
	uint64_t len;
	uint64_t id;
	uint64_t off;
};

struct tapemodel {
	struct tm_entry *e;
	uint64_t n;		/* entries; end of data */
	uint64_t cap;
	uint64_t seed;		/* of every record's pattern */
};

/* What a read of some bytes at a block finds, and where it leaves the head. */
enum tm_read_kind {
	TM_NOTHING,		/* a read of 0 bytes: returns 0, head stays */
	TM_BAD_COUNT,		/* fixed-block mode, not whole blocks: EINVAL */
	TM_END_OF_DATA,		/* 0, 0, then EIO; the head stays */
	TM_FILEMARK,		/* 0, and the head moves past it */
	TM_TOO_SHORT,		/* ENOMEM: the record is passed over */
	TM_ILLEGAL_LENGTH,	/* fixed-block mode, a record of another length: EIO */
	TM_DATA,		/* len bytes from nrec records */
};

struct tm_read {
	enum tm_read_kind kind;
	uint64_t len;
	uint64_t nrec;
	uint64_t advance;	/* blocks the head moves */
};

void tm_init(struct tapemodel *m, uint64_t seed);
void tm_free(struct tapemodel *m);

/* Everything from BLOCK on is gone, as after MTERASE or a write there. */
void tm_truncate(struct tapemodel *m, uint64_t block);

/*
 * A write at BLOCK put NREC records of RECLEN bytes there, cut from stream
 * ID, and truncated what followed. False when out of memory.
 */
bool tm_write(struct tapemodel *m, uint64_t block, uint64_t nrec, uint64_t reclen, uint64_t id);

/* NR filemarks at BLOCK, truncating what followed. */
bool tm_filemarks(struct tapemodel *m, uint64_t block, uint64_t nr);

/* Bytes of tape used up to BLOCK, gaps included (sysfs used_bytes at n). */
uint64_t tm_used(const struct tapemodel *m, uint64_t block);

/* MTIOCGET's file and block numbers with the head at BLOCK. */
void tm_position(const struct tapemodel *m, uint64_t block, uint64_t *fileno, uint64_t *blkno);

/* A read of COUNT bytes at BLOCK, in a mode of BLOCK_SIZE (0: variable). */
struct tm_read tm_predict_read(const struct tapemodel *m, uint64_t block, uint64_t count,
			       uint64_t block_size);

/*
 * Whether BUF holds the LEN bytes of the NREC records from BLOCK on. When
 * not, *AT is the offset of the first byte that differs.
 */
bool tm_check_data(const struct tapemodel *m, uint64_t block, uint64_t nrec,
		   const unsigned char *buf, uint64_t len, uint64_t *at);

#endif
