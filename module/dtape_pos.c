// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_pos.c - head movement: spacing, rewind, seek, end of data.
 *
 * File and block numbers are kept exact at every step, so MTIOCGET never
 * has to report an unknown position, unlike a real drive after backward
 * spacing.
 */
#include <linux/errno.h>

#include "dtape.h"

void dtape_pos_rewind(struct dtape_pos *pos)
{
	pos->block = 0;
	pos->fileno = 0;
	pos->blkno = 0;
}

void dtape_pos_step_forward(struct dtape_medium *m, struct dtape_pos *pos)
{
	struct dtape_extent ext;

	if (!dtape_medium_extent(m, pos->block, &ext))
		return;
	pos->block++;
	if (ext.filemark) {
		pos->fileno++;
		pos->blkno = 0;
	} else {
		pos->blkno++;
	}
}

static void dtape_pos_step_back(struct dtape_medium *m, struct dtape_pos *pos,
				struct dtape_extent *ext)
{
	pos->block--;
	dtape_medium_extent(m, pos->block, ext);
	if (ext->filemark) {
		pos->fileno--;
		pos->blkno = ext->file_records;
	} else {
		pos->blkno--;
	}
}

/*
 * MTFSR/MTBSR. As in st, crossing a filemark fails with EIO and leaves
 * the head on the far side of it.
 */
int dtape_pos_space_records(struct dtape_medium *m, struct dtape_pos *pos,
			    long count)
{
	struct dtape_extent ext;

	for (; count > 0; count--) {
		if (!dtape_medium_extent(m, pos->block, &ext))
			return -EIO;
		dtape_pos_step_forward(m, pos);
		if (ext.filemark)
			return -EIO;
	}
	for (; count < 0; count++) {
		if (!pos->block)
			return -EIO;
		dtape_pos_step_back(m, pos, &ext);
		if (ext.filemark)
			return -EIO;
	}
	return 0;
}

/*
 * MTFSF ends just after the count-th filemark, MTBSF just before it (on
 * the BOT side). Running into end of data or BOT fails with EIO.
 */
int dtape_pos_space_filemarks(struct dtape_medium *m, struct dtape_pos *pos,
			      long count)
{
	struct dtape_extent ext;

	while (count > 0) {
		if (!dtape_medium_extent(m, pos->block, &ext))
			return -EIO;
		dtape_pos_step_forward(m, pos);
		if (ext.filemark)
			count--;
	}
	while (count < 0) {
		if (!pos->block)
			return -EIO;
		dtape_pos_step_back(m, pos, &ext);
		if (ext.filemark)
			count++;
	}
	return 0;
}

void dtape_pos_end_of_data(struct dtape_medium *m, struct dtape_pos *pos)
{
	while (pos->block < m->nr_entries)
		dtape_pos_step_forward(m, pos);
}

int dtape_pos_seek(struct dtape_medium *m, struct dtape_pos *pos, u64 block)
{
	dtape_pos_rewind(pos);
	while (pos->block < block) {
		if (pos->block >= m->nr_entries)
			return -EIO;
		dtape_pos_step_forward(m, pos);
	}
	return 0;
}
