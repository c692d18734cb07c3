// SPDX-License-Identifier: GPL-2.0
/* Record format: "DIOTRACE" magic, u32 version, u32 sizeof(struct dt_ctx)
 * as a layout check, then records { u32 type; u32 len; payload }. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "record.h"

static const char magic[8] = "DIOTRACE";

static int put(FILE *f, uint32_t type, const void *p, uint32_t len)
{
	uint32_t h[2] = { type, len };

	if (fwrite(h, sizeof(h), 1, f) != 1 || (len && fwrite(p, len, 1, f) != 1))
		return -1;
	return 0;
}

/* Everything in dt_ctx except the steps, which go one record each so that
 * appending a step to steps.def keeps older recordings readable. */
struct rec_meta {
	char release[72];
	uint32_t page_size;
	int32_t nfoll, nbioflags;
	uint8_t foll_from_btf, has_fentry, has_kprobe, pad;
	struct dt_flagname foll[DT_MAX_FLAGS];
	struct dt_flagname bioflags[DT_MAX_FLAGS];
	char degraded[512];
};

struct rec_machine {
	uint8_t emulated;		/* enum dt_emul */
	char accel[DT_ACCEL_LEN];
	uint8_t pad[7];
};

struct rec_step {
	uint32_t id;
	uint32_t pad;
	struct dt_stepinfo si;
};

static int put_machine(FILE *f, const struct dt_ctx *c)
{
	struct rec_machine mc;

	memset(&mc, 0, sizeof(mc));
	mc.emulated = c->emulated;
	memcpy(mc.accel, c->accel, sizeof(mc.accel));
	return put(f, REC_MACHINE, &mc, sizeof(mc));
}

int record_write_header(FILE *f, const struct dt_ctx *c)
{
	uint32_t v[2] = { DT_RECORD_VERSION, sizeof(struct rec_step) };
	struct rec_meta m;

	memset(&m, 0, sizeof(m));
	memcpy(m.release, c->release, sizeof(m.release));
	m.page_size = c->page_size;
	m.nfoll = c->nfoll;
	m.nbioflags = c->nbioflags;
	m.foll_from_btf = c->foll_from_btf;
	m.has_fentry = c->has_fentry;
	m.has_kprobe = c->has_kprobe;
	memcpy(m.foll, c->foll, sizeof(m.foll));
	memcpy(m.bioflags, c->bioflags, sizeof(m.bioflags));
	memcpy(m.degraded, c->degraded, sizeof(m.degraded));
	if (fwrite(magic, sizeof(magic), 1, f) != 1 || fwrite(v, sizeof(v), 1, f) != 1)
		return -1;
	if (put(f, REC_META, &m, sizeof(m)) || put_machine(f, c))
		return -1;
	for (uint32_t i = 0; i < DT_STEP__N; i++) {
		struct rec_step rs;

		memset(&rs, 0, sizeof(rs));
		rs.id = i;
		rs.si = c->steps[i];
		if (put(f, REC_STEP, &rs, sizeof(rs)))
			return -1;
	}
	for (size_t i = 0; i < c->nsyms; i++)
		if (record_write_sym(f, c->syms[i].addr, c->syms[i].name))
			return -1;
	return 0;
}

int record_write_sym(FILE *f, uint64_t addr, const char *name)
{
	struct dt_sym s = { .addr = addr };

	snprintf(s.name, sizeof(s.name), "%s", name);
	return put(f, REC_SYM, &s, sizeof(s));
}

int record_write_event(FILE *f, const void *data, uint32_t len)
{
	return put(f, REC_EVENT, data, len);
}

int record_write_lost(FILE *f, uint64_t lost)
{
	return put(f, REC_LOST, &lost, sizeof(lost));
}

int record_read(FILE *f, struct dt_ctx *c, record_event_cb cb, void *arg, char *err, size_t errlen)
{
	char m[8];
	uint32_t v[2], h[2];
	char *buf = NULL;
	size_t cap = 0;
	int rc = 0;

	if (fread(m, sizeof(m), 1, f) != 1 || memcmp(m, magic, sizeof(m)) != 0) {
		snprintf(err, errlen, "not a diotrace recording");
		return -1;
	}
	if (fread(v, sizeof(v), 1, f) != 1 || v[0] != DT_RECORD_VERSION ||
	    v[1] != sizeof(struct rec_step)) {
		snprintf(err, errlen, "recording version %u is not %u (re-record with this diotrace)",
			 (unsigned int)v[0], (unsigned int)DT_RECORD_VERSION);
		return -1;
	}
	while (fread(h, sizeof(h), 1, f) == 1) {
		if (h[1] > (1u << 20)) {
			snprintf(err, errlen, "corrupt record (length %u)", h[1]);
			rc = -1;
			break;
		}
		if (h[1] > cap) {
			char *nb = realloc(buf, h[1]);

			if (!nb) {
				rc = -1;
				break;
			}
			buf = nb;
			cap = h[1];
		}
		if (h[1] && fread(buf, h[1], 1, f) != 1) {
			snprintf(err, errlen, "truncated recording");
			rc = -1;
			break;
		}
		switch (h[0]) {
		case REC_META:
			if (h[1] == sizeof(struct rec_meta)) {
				const struct rec_meta *meta = (const struct rec_meta *)buf;

				memcpy(c->release, meta->release, sizeof(c->release));
				c->release[sizeof(c->release) - 1] = 0;
				c->page_size = meta->page_size;
				c->nfoll = meta->nfoll < DT_MAX_FLAGS ? meta->nfoll : DT_MAX_FLAGS;
				c->nbioflags = meta->nbioflags < DT_MAX_FLAGS ? meta->nbioflags : DT_MAX_FLAGS;
				c->foll_from_btf = meta->foll_from_btf;
				c->has_fentry = meta->has_fentry;
				c->has_kprobe = meta->has_kprobe;
				memcpy(c->foll, meta->foll, sizeof(c->foll));
				memcpy(c->bioflags, meta->bioflags, sizeof(c->bioflags));
				memcpy(c->degraded, meta->degraded, sizeof(c->degraded));
				c->degraded[sizeof(c->degraded) - 1] = 0;
			}
			break;
		case REC_MACHINE:
			if (h[1] == sizeof(struct rec_machine)) {
				const struct rec_machine *mc = (const struct rec_machine *)buf;

				c->emulated = mc->emulated <= DT_EMUL_YES ? mc->emulated :
					      DT_EMUL_UNKNOWN;
				memcpy(c->accel, mc->accel, sizeof(c->accel));
				c->accel[sizeof(c->accel) - 1] = 0;
			}
			break;
		case REC_STEP:
			/* steps newer than this binary are skipped */
			if (h[1] == sizeof(struct rec_step)) {
				const struct rec_step *rs = (const struct rec_step *)buf;

				if (rs->id < DT_STEP__N)
					c->steps[rs->id] = rs->si;
			}
			break;
		case REC_SYM:
			if (h[1] == sizeof(struct dt_sym)) {
				struct dt_sym *s = (struct dt_sym *)buf;

				s->name[DT_SYM_LEN - 1] = 0;
				dt_sym_add(c, s->addr, s->name);
			}
			break;
		case REC_EVENT:
			if (cb && cb(buf, h[1], arg))
				rc = -1;
			break;
		case REC_LOST:
			if (h[1] == sizeof(uint64_t))
				memcpy(&c->lost_total, buf, sizeof(uint64_t));
			break;
		default:
			break;	/* unknown records are skipped for forward compatibility */
		}
		if (rc)
			break;
	}
	free(buf);
	return rc;
}

/* Recordings shipped with the labs are gzipped; zlib reads both kinds. */
static ssize_t gz_read(void *cookie, char *buf, size_t n)
{
	int r = gzread(cookie, buf, n > INT_MAX ? INT_MAX : (unsigned int)n);

	return r < 0 ? -1 : r;
}

static int gz_close(void *cookie)
{
	return gzclose(cookie) == Z_OK ? 0 : EOF;
}

FILE *record_open(const char *path)
{
	cookie_io_functions_t io = { .read = gz_read, .close = gz_close };
	gzFile z = gzopen(path, "rb");
	FILE *f;

	if (!z) {
		if (!errno)
			errno = ENOMEM;
		return NULL;
	}
	f = fopencookie(z, "r", io);
	if (!f)
		gzclose(z);
	return f;
}
