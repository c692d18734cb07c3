// SPDX-License-Identifier: GPL-2.0
/*
 * A copy of the kernel's symbol files kept for the rest of the boot.
 *
 * Under TCG, reading /proc/kallsyms takes about 0.9 s (the kernel formats
 * 170,000 lines), and so does available_filter_functions (ftrace walks
 * its 45,000 functions from the first one again on every 4 KiB read()).
 * Every diotrace start paid both.  The text symbols in both files change
 * only when a module comes or goes, so a copy taken in this boot, with the
 * same modules loaded at the same addresses, is the same text.  The copy
 * of kallsyms keeps only its function lines (ksyms_trim_kallsyms()), which
 * is all diotrace parses.
 *
 * The copies live in /run/diotrace (DIOTRACE_SYMCACHE names another
 * directory, or "off"), a directory that must belong to the user running
 * diotrace, root, and be closed to everyone else: a copy anyone else could
 * write would decide which functions diotrace believes exist.  Each copy
 * starts with the boot and module list it was taken with; one that does
 * not match is read afresh and replaced.
 *
 * The same directory keeps facts of the boot that are dear to learn, as
 * empty copies: "fentry-ok" says a test fentry program attached.  That test
 * sets up a trampoline and tears it down again, and the teardown waits for
 * RCU-tasks grace periods: 64-803 ms a start in the lab VM under TCG.
 * "kprobe-multi-module-ok" says a kprobe.multi link took a module's
 * function (resolve.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ksyms.h"
#include "symcache.h"

#define SYMCACHE_DIR "/run/diotrace"
#define SYMCACHE_MAGIC "diotrace-symcache 1"

/*
 * The cache directory, made if need be, open; -1 if it is off or unsafe.
 * The checks are made on the directory opened, not on its name, so that
 * nothing can be swapped in between.
 */
static int cache_dir(void)
{
	const char *dir = getenv("DIOTRACE_SYMCACHE");
	struct stat st;
	int fd;

	if (!dir || !*dir)
		dir = SYMCACHE_DIR;
	if (!strcmp(dir, "off"))
		return -1;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

/*
 * "MAGIC BOOT_ID MODULES\n": the boot, and a hash of every loaded module's
 * name, size, state and address.  Use counts and dependents are left out:
 * they change as filesystems mount and unmount, the symbols do not.
 */
static int cache_key(char *key, size_t keylen)
{
	char boot[64] = "", *mods, *line, *save = NULL;
	uint64_t h = 0xcbf29ce484222325ull;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	if (!f)
		return -1;
	if (!fgets(boot, sizeof(boot), f))
		boot[0] = 0;
	fclose(f);
	boot[strcspn(boot, "\n")] = 0;
	if (!boot[0])
		return -1;
	mods = ksyms_read_file("/proc/modules");	/* none without modules */
	for (line = mods ? strtok_r(mods, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok, *tsave = NULL;
		int i = 0;

		for (tok = strtok_r(line, " ", &tsave); tok; tok = strtok_r(NULL, " ", &tsave), i++)
			if (i != 2 && i != 3)
				h = fnv1a(fnv1a(h, tok, strlen(tok)), " ", 1);
		h = fnv1a(h, "\n", 1);
	}
	free(mods);
	snprintf(key, keylen, "%s %s %016llx\n", SYMCACHE_MAGIC, boot, (unsigned long long)h);
	return 0;
}

/* The copy's text after its key line, if the key is this start's; else NULL. */
static char *read_copy(const struct symcache *sc, const char *name)
{
	int fd = openat(sc->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t klen = strlen(sc->key);
	char head[sizeof(sc->key)];
	struct stat st;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022)) {
		close(fd);
		return NULL;
	}
	/* the key line first, so that the text is read in place after it */
	if (klen >= sizeof(head) || read(fd, head, klen) != (ssize_t)klen ||
	    memcmp(head, sc->key, klen) != 0) {
		close(fd);
		return NULL;
	}
	return ksyms_read_fd(fd);	/* closes fd */
}

/* Write the copy under a temporary name, then rename it into place. */
static void write_copy(int dirfd, const char *name, const char *key, const char *text)
{
	char tmp[128];
	size_t len = strlen(text);
	bool ok;
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return;
	}
	ok = fputs(key, f) >= 0 && fwrite(text, 1, len, f) == len;
	ok = !fclose(f) && ok;
	if (!ok || renameat(dirfd, tmp, dirfd, name))
		unlinkat(dirfd, tmp, 0);
}

void symcache_open(struct symcache *sc)
{
	sc->dirfd = -1;
	if (cache_key(sc->key, sizeof(sc->key)))
		return;
	sc->dirfd = cache_dir();
}

char *symcache_read(struct symcache *sc, const char *path, const char *name,
		    void (*trim)(char *text), bool *cached)
{
	char again[sizeof(sc->key)], *text;

	*cached = false;
	text = sc->dirfd < 0 ? NULL : read_copy(sc, name);
	if (text) {
		*cached = true;
		return text;
	}
	text = ksyms_read_file(path);
	if (text && trim)
		trim(text);
	if (sc->dirfd < 0)
		return text;
	/* a module that came or went during the read: no copy */
	if (text && !cache_key(again, sizeof(again)) && !strcmp(again, sc->key))
		write_copy(sc->dirfd, name, sc->key, text);
	return text;
}

bool symcache_recall(struct symcache *sc, const char *name)
{
	char *text;
	bool known;

	if (sc->dirfd < 0)
		return false;
	text = read_copy(sc, name);
	known = text != NULL;
	free(text);
	return known;
}

void symcache_note(struct symcache *sc, const char *name)
{
	if (sc->dirfd >= 0)
		write_copy(sc->dirfd, name, sc->key, "");
}

void symcache_close(struct symcache *sc)
{
	if (sc->dirfd >= 0)
		close(sc->dirfd);
	sc->dirfd = -1;
}
