// SPDX-License-Identifier: GPL-2.0
/*
 * BPF learns who maps a file from mmap() calls, which only covers mappings
 * made while diotrace runs.  A lab's mapper usually maps first and waits,
 * so the ones already in place are read from /proc/PID/maps: a line with
 * "s" in its permissions is a shared mapping, and its "MAJ:MIN INODE" is
 * the inode's i_sb->s_dev and i_ino, the same key BPF uses.
 */
#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "diotrace.h"
#include "mappers.h"

static void read_comm(uint32_t pid, char *comm)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	memset(comm, 0, DT_COMM_LEN);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(comm, DT_COMM_LEN, f))
		comm[strcspn(comm, "\n")] = 0;
	fclose(f);
}

bool mappers_parse_line(const char *line, struct dt_file_key *k)
{
	char perms[8];
	unsigned int maj, min;
	uint64_t ino;

	memset(k, 0, sizeof(*k));
	if (sscanf(line, "%*s %7s %*s %x:%x %" SCNu64, perms, &maj, &min, &ino) != 4 ||
	    strlen(perms) < 4 || perms[3] != 's' || !ino)
		return false;
	k->ino = ino;
	k->dev = maj << 20 | min;
	return true;
}

/* Adds pid to the file's mapper list unless it is there or the list is full. */
static int add_mapper(int map_fd, const struct dt_file_key *k, uint32_t pid, const char *comm)
{
	struct dt_mappers m;
	int i;

	if (bpf_map_lookup_elem(map_fd, k, &m))
		memset(&m, 0, sizeof(m));
	for (i = 0; i < DT_MAPPERS && m.pid[i]; i++)
		if (m.pid[i] == pid)
			return 0;
	if (i == DT_MAPPERS)
		return 0;
	m.pid[i] = pid;
	memcpy(m.comm[i], comm, DT_COMM_LEN);
	return bpf_map_update_elem(map_fd, k, &m, BPF_ANY) ? 0 : 1;
}

static int seed_pid(int map_fd, uint32_t pid)
{
	char path[64], line[512], comm[DT_COMM_LEN];
	int files = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;	/* gone, or a kernel thread */
	read_comm(pid, comm);
	while (fgets(line, sizeof(line), f)) {
		struct dt_file_key k;

		if (mappers_parse_line(line, &k))
			files += add_mapper(map_fd, &k, pid, comm);
	}
	fclose(f);
	return files;
}

int mappers_seed(int map_fd, uint32_t self)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int files = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (!isdigit((unsigned char)de->d_name[0]) || *end || pid == self)
			continue;
		files += seed_pid(map_fd, (uint32_t)pid);
	}
	closedir(d);
	return files;
}
