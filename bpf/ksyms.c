// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol tables read in one pass.
 *
 * The file is read whole and its lines are cut into strings in place; a
 * hash on the part of a name before its first '.' finds a symbol and the
 * compiler's clones of it (foo.isra.0, foo.part.0) without sorting 100,000
 * names.  Under TCG, reading kallsyms with fgets, sscanf and strdup and
 * sorting it by name took most of diotrace's 4-7 s of resolution.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ksyms.h"

#define NO_SYM UINT32_MAX

struct ksyms {
	char *text;			/* the file; names and modules point into it */
	struct ksym *syms;
	size_t n;
	uint32_t *heads, *next;		/* hash chains of indexes into syms */
	uint32_t mask;
	const struct ksym **byaddr;	/* symbols with an address, by address */
	size_t naddr;
};

char *ksyms_read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? NULL : ksyms_read_fd(fd);
}

char *ksyms_read_fd(int fd)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t r;

		if (cap - len < 65536) {
			char *nb = realloc(buf, cap ? cap * 2 : 1 << 20);

			if (!nb)
				goto fail;
			buf = nb;
			cap = cap ? cap * 2 : 1 << 20;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = 0;
	return buf;
fail:
	{
		int e = errno;

		free(buf);
		close(fd);
		errno = e;
		return NULL;
	}
}

/* FNV-1a over the name up to its first '.', so clones share a chain. */
static uint32_t base_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s && *s != '.'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* BPF programs and trampolines: never a step, and they come and go
 * without a module (symcache.c).  @m: the module's name, ']' or NUL after. */
static bool transient_module(const char *m)
{
	return !strncmp(m, "bpf]", 4) || !strcmp(m, "bpf") || !strncmp(m, "__builtin", 9);
}

/*
 * One line of either format, cut in place:
 *   kallsyms:                  "ffffffff81234560 T name\t[module]"
 *   available_filter_functions: "name [module]"
 * Returns false for lines that name no function.
 */
static bool parse_line(char *line, bool with_addr, struct ksym *out)
{
	char *p = line, *end;

	out->addr = 0;
	out->mod = NULL;
	if (with_addr) {
		out->addr = strtoull(p, &end, 16);
		if (end == p || end[0] != ' ' || !end[1] || end[2] != ' ')
			return false;
		if (end[1] != 't' && end[1] != 'T')
			return false;
		p = end + 3;
	}
	end = p + strcspn(p, " \t");
	if (end == p)
		return false;
	out->name = p;
	if (*end) {
		char *m = strchr(end + 1, '[');

		*end = 0;
		if (m) {
			char *close = strchr(++m, ']');

			if (close)
				*close = 0;
			out->mod = m;
			if (transient_module(m))
				return false;
		}
	}
	return true;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = *(const struct ksym *const *)a;
	const struct ksym *y = *(const struct ksym *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct ksym *const *)a)->name,
		      (*(const struct ksym *const *)b)->name);
}

static int index_names(struct ksyms *k)
{
	uint32_t nb = 1024;

	while (nb < k->n * 2)
		nb *= 2;
	k->mask = nb - 1;
	k->heads = malloc(nb * sizeof(*k->heads));
	k->next = malloc((k->n ? k->n : 1) * sizeof(*k->next));
	if (!k->heads || !k->next)
		return -ENOMEM;
	memset(k->heads, 0xff, nb * sizeof(*k->heads));
	/* backwards, so a chain lists symbols in file order */
	for (size_t i = k->n; i-- > 0;) {
		uint32_t b = base_hash(k->syms[i].name) & k->mask;

		k->next[i] = k->heads[b];
		k->heads[b] = (uint32_t)i;
	}
	return 0;
}

static int index_addrs(struct ksyms *k)
{
	bool sorted = true;

	k->byaddr = malloc((k->n ? k->n : 1) * sizeof(const struct ksym *));
	if (!k->byaddr)
		return -ENOMEM;
	for (size_t i = 0; i < k->n; i++) {
		if (!k->syms[i].addr)
			continue;	/* hidden by kptr_restrict */
		if (k->naddr && k->byaddr[k->naddr - 1]->addr > k->syms[i].addr)
			sorted = false;
		k->byaddr[k->naddr++] = &k->syms[i];
	}
	/* vmlinux comes in address order; modules may not */
	if (!sorted)
		qsort(k->byaddr, k->naddr, sizeof(const struct ksym *), cmp_addr);
	return 0;
}

/* Whether ksyms_parse() surely drops this kallsyms line (@len: no '\n'). */
static bool dropped_line(const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len), *m;

	if (!sp || (size_t)(sp - line) + 3 > len || sp[2] != ' ' || (sp[1] != 't' && sp[1] != 'T'))
		return true;
	m = memchr(sp, '[', len - (size_t)(sp - line));
	return m && transient_module(m + 1);
}

void ksyms_trim_kallsyms(char *text)
{
	char *in = text, *out = text;

	while (*in) {
		char *nl = strchr(in, '\n');
		size_t len = nl ? (size_t)(nl - in) : strlen(in);
		size_t keep = len + (nl != NULL);

		if (!dropped_line(in, len)) {
			memmove(out, in, keep);
			out += keep;
		}
		in += keep;
	}
	*out = 0;
}

struct ksyms *ksyms_load(const char *path, bool with_addr)
{
	return ksyms_parse(ksyms_read_file(path), with_addr);
}

struct ksyms *ksyms_parse(char *text, bool with_addr)
{
	struct ksyms *k;
	size_t lines = 1;
	char *line;
	int e;

	if (!text)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k) {
		free(text);
		return NULL;
	}
	k->text = text;
	for (char *p = k->text; (p = strchr(p, '\n')); p++)
		lines++;
	k->syms = malloc(lines * sizeof(*k->syms));
	if (!k->syms)
		goto fail;
	for (line = k->text; *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = 0;
		if (parse_line(line, with_addr, &k->syms[k->n]))
			k->n++;
		if (!nl)
			break;
		line = nl + 1;
	}
	e = index_names(k);
	if (!e && with_addr)
		e = index_addrs(k);
	if (e) {
		errno = -e;
		goto fail;
	}
	return k;
fail:
	e = errno;
	ksyms_free(k);
	errno = e;
	return NULL;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->text);
	free(k->syms);
	free(k->heads);
	free(k->next);
	free(k->byaddr);
	free(k);
}

size_t ksyms_count(const struct ksyms *k)
{
	return k ? k->n : 0;
}

const struct ksym *ksyms_find(const struct ksyms *k, const char *name)
{
	if (!k)
		return NULL;
	for (uint32_t i = k->heads[base_hash(name) & k->mask]; i != NO_SYM; i = k->next[i])
		if (!strcmp(k->syms[i].name, name))
			return &k->syms[i];
	return NULL;
}

const struct ksym *ksyms_find_one(const struct ksyms *k, const char *name)
{
	const struct ksym *one = NULL;

	if (!k)
		return NULL;
	for (uint32_t i = k->heads[base_hash(name) & k->mask]; i != NO_SYM; i = k->next[i]) {
		if (strcmp(k->syms[i].name, name) != 0)
			continue;
		if (one)
			return NULL;
		one = &k->syms[i];
	}
	return one && one->addr ? one : NULL;
}

size_t ksyms_clones(const struct ksyms *k, const char *name, const struct ksym **out,
		    size_t max)
{
	size_t len = strlen(name), n = 0;

	if (!k)
		return 0;
	for (uint32_t i = k->heads[base_hash(name) & k->mask]; i != NO_SYM; i = k->next[i]) {
		const char *s = k->syms[i].name;

		if (strncmp(s, name, len) != 0 || s[len] != '.')
			continue;
		if (n < max)
			out[n] = &k->syms[i];
		n++;
	}
	qsort(out, n < max ? n : max, sizeof(const struct ksym *), cmp_name);
	return n;
}

const struct ksym *ksyms_at(const struct ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!k || !k->naddr || k->byaddr[0]->addr > addr)
		return NULL;
	hi = k->naddr;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->byaddr[mid]->addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return k->byaddr[lo];
}
