/* SPDX-License-Identifier: GPL-2.0 */
/* Processes that had a file mmap(MAP_SHARED)ed before diotrace started. */
#ifndef MAPPERS_H
#define MAPPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "diotrace.h"

/* Adds every shared file mapping found in /proc/PID/maps to the BPF map
 * (struct dt_file_key -> struct dt_mappers); returns how many files. */
int mappers_seed(int map_fd, uint32_t self);
/* One /proc/PID/maps line: true and the file's key for a shared file mapping. */
bool mappers_parse_line(const char *line, struct dt_file_key *k);

#endif
