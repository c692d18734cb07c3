// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow tape's rules follow module/dtape_rw.c and dtape_pos.c, which
 * follow st: see tapemodel.h.
 */
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "tapemodel.h"

void tm_init(struct tapemodel *m, uint64_t seed)
{
	memset(m, 0, sizeof(*m));
	m->seed = seed;
}

void tm_free(struct tapemodel *m)
{
	free(m->e);
	m->e = NULL;
	m->n = m->cap = 0;
}

void tm_truncate(struct tapemodel *m, uint64_t block)
{
	if (block < m->n)
		m->n = block;
}

/* Room for entries up to BLOCK + NR, after truncating at BLOCK. */
static bool tm_room(struct tapemodel *m, uint64_t block, uint64_t nr)
{
	uint64_t want;
	struct tm_entry *e;

	tm_truncate(m, block);
	want = m->n + nr;
	if (want <= m->cap)
		return true;
	if (want < 2 * m->cap)
		want = 2 * m->cap;
	e = realloc(m->e, want * sizeof(*e));
	if (!e)
		return false;
	m->e = e;
	m->cap = want;
	return true;
}

bool tm_write(struct tapemodel *m, uint64_t block, uint64_t nrec, uint64_t reclen, uint64_t id)
{
	uint64_t i;

	if (block > m->n || !reclen || !tm_room(m, block, nrec))
		return false;
	for (i = 0; i < nrec; i++)
		m->e[m->n++] = (struct tm_entry){ .len = reclen, .id = id, .off = i * reclen };
	return true;
}

bool tm_filemarks(struct tapemodel *m, uint64_t block, uint64_t nr)
{
	uint64_t i;

	/* MTWEOF 0 only ends a pending write: nothing is truncated. */
	if (!nr)
		return block <= m->n;
	if (block > m->n || !tm_room(m, block, nr))
		return false;
	for (i = 0; i < nr; i++)
		m->e[m->n++] = (struct tm_entry){ 0 };
	return true;
}

uint64_t tm_used(const struct tapemodel *m, uint64_t block)
{
	uint64_t used = 0, i;

	for (i = 0; i < block && i < m->n; i++)
		used += m->e[i].len + TM_GAP_BYTES;
	return used;
}

void tm_position(const struct tapemodel *m, uint64_t block, uint64_t *fileno, uint64_t *blkno)
{
	uint64_t i;

	*fileno = *blkno = 0;
	for (i = 0; i < block && i < m->n; i++) {
		if (m->e[i].len) {
			(*blkno)++;
		} else {
			(*fileno)++;
			*blkno = 0;
		}
	}
}

static struct tm_read tm_result(enum tm_read_kind kind, uint64_t len, uint64_t nrec,
				uint64_t advance)
{
	return (struct tm_read){ .kind = kind, .len = len, .nrec = nrec, .advance = advance };
}

/* dtape_read_extent()'s fixed-block rule: whole blocks up to a filemark. */
static struct tm_read tm_read_blocks(const struct tapemodel *m, uint64_t block, uint64_t count,
				     uint64_t block_size)
{
	uint64_t wanted = count / block_size, nrec;

	for (nrec = 0; nrec < wanted && block + nrec < m->n; nrec++) {
		const struct tm_entry *e = &m->e[block + nrec];

		if (!e->len)
			break;
		if (e->len != block_size) {
			if (nrec)
				break;
			return tm_result(TM_ILLEGAL_LENGTH, 0, 0, 1);
		}
	}
	return tm_result(TM_DATA, nrec * block_size, nrec, nrec);
}

struct tm_read tm_predict_read(const struct tapemodel *m, uint64_t block, uint64_t count,
			       uint64_t block_size)
{
	const struct tm_entry *e;

	if (!count)
		return tm_result(TM_NOTHING, 0, 0, 0);
	if (block_size && count % block_size)
		return tm_result(TM_BAD_COUNT, 0, 0, 0);
	if (block >= m->n)
		return tm_result(TM_END_OF_DATA, 0, 0, 0);
	e = &m->e[block];
	if (!e->len)
		return tm_result(TM_FILEMARK, 0, 0, 1);
	if (block_size)
		return tm_read_blocks(m, block, count, block_size);
	if (count < e->len)
		return tm_result(TM_TOO_SHORT, 0, 0, 1);
	return tm_result(TM_DATA, e->len, 1, 1);
}

/*
 * Records cut from one stream lie next to each other in it, so a run of
 * them is generated once rather than once per record.
 */
bool tm_check_data(const struct tapemodel *m, uint64_t block, uint64_t nrec,
		   const unsigned char *buf, uint64_t len, uint64_t *at)
{
	uint64_t done = 0, i = 0, j;
	bool same = true;

	while (same && i < nrec) {
		const struct tm_entry *first = &m->e[block + i];
		uint64_t end = first->off + first->len;
		unsigned char *want;

		for (j = i + 1; j < nrec; j++) {
			const struct tm_entry *e = &m->e[block + j];

			if (e->id != first->id || e->off != end)
				break;
			end += e->len;
		}
		if (done + end - first->off > len) {
			*at = len;
			return false;
		}
		want = malloc(end ? end : 1);
		if (!want) {
			*at = done;
			return false;
		}
		pattern_fill(want, end, m->seed, first->id);
		same = !memcmp(want + first->off, buf + done, end - first->off);
		if (!same) {
			size_t where;

			for (where = first->off; want[where] == buf[done + where - first->off];
			     where++)
				;
			*at = done + where - first->off;
		}
		free(want);
		done += end - first->off;
		i = j;
	}
	if (same && done != len) {
		*at = done;
		return false;
	}
	return same;
}
