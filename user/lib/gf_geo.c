// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "geofence.h"
#include "gf_file.h"
#include "gf_geo.h"
#include "gf_text.h"
#include "gf_tor.h"

void gf_geo_opts_default(struct gf_geo_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->registered_country_fallback = 1;
}

void gf_geo_init(struct gf_geo *g)
{
	memset(g, 0, sizeof(*g));
	gf_rs_init(&g->rs[0], 4);
	gf_rs_init(&g->rs[1], 6);
}

void gf_geo_free(struct gf_geo *g)
{
	gf_rs_free(&g->rs[0]);
	gf_rs_free(&g->rs[1]);
}

/* ---------------------------------------------------------------------
 * MaxMind DB: walk the search tree.
 *
 * Every network in the database is a path from the root to a data record.
 * The walk keeps the path's prefix; a data record at depth d covers the
 * prefix of d bits.  In an IPv6 tree, IPv4 lives in the subtree at ::/96;
 * writers link ::ffff:0:0/96, 2002::/16 and 2001::/32 to that same node
 * (aliases).  Those links are not followed: their addresses carry an IPv4
 * address and take its country (gf_geo_find), so following them would
 * count the IPv4 data several times over.
 */

/* data-section offset -> class, so each distinct record is decoded once */
struct rec_cache {
	__u32 *off;	/* offset + 1, 0 = empty slot */
	__u16 *cls;
	__u32 cap, n;
};

static int cache_get(struct rec_cache *c, __u32 off, __u16 *cls)
{
	if (!c->cap)
		return 0;
	for (__u32 i = (off * 2654435761u) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
		if (!c->off[i])
			return 0;
		if (c->off[i] == off + 1) {
			*cls = c->cls[i];
			return 1;
		}
	}
}

static int cache_put(struct rec_cache *c, __u32 off, __u16 cls)
{
	if ((c->n + 1) * 2 > c->cap) {
		struct rec_cache big = { .cap = c->cap ? c->cap * 2 : 1024 };

		big.off = calloc(big.cap, sizeof(*big.off));
		big.cls = calloc(big.cap, sizeof(*big.cls));
		if (!big.off || !big.cls) {
			free(big.off);
			free(big.cls);
			return -ENOMEM;
		}
		for (__u32 i = 0; i < c->cap; i++)
			if (c->off[i])
				cache_put(&big, c->off[i] - 1, c->cls[i]);
		free(c->off);
		free(c->cls);
		*c = big;
	}
	for (__u32 i = (off * 2654435761u) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
		if (!c->off[i]) {
			c->off[i] = off + 1;
			c->cls[i] = cls;
			c->n++;
			return 0;
		}
	}
}

/* iso_code at path..., as a class; 0 if absent; -EINVAL if corrupt */
static int record_cc(MMDB_entry_s *e, const char *map)
{
	MMDB_entry_data_s d;
	char cc[3];
	int rc;

	rc = MMDB_get_value(e, &d, map, "iso_code", NULL);
	if (rc == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
		return 0;
	if (rc != MMDB_SUCCESS)
		return -EINVAL;
	if (!d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2)
		return 0;
	cc[0] = d.utf8_string[0];
	cc[1] = d.utf8_string[1];
	cc[2] = '\0';
	rc = gf_class_from_cc(cc);
	return rc < 0 ? 0 : rc;
}

/* An ASN record's class: 1 + its AS's index in the named ones, 0 for another; -EINVAL if corrupt. */
static int record_asn(MMDB_entry_s *e, const struct gf_geo_opts *o, __u64 *with_asn)
{
	MMDB_entry_data_s d;
	int rc = MMDB_get_value(e, &d, "autonomous_system_number", NULL);

	if (rc == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
		return 0;
	if (rc != MMDB_SUCCESS)
		return -EINVAL;
	if (!d.has_data || (d.type != MMDB_DATA_TYPE_UINT32 && d.type != MMDB_DATA_TYPE_UINT16))
		return 0;
	(*with_asn)++;
	for (int i = 0; i < o->nasn; i++)
		if (o->asn[i] == (d.type == MMDB_DATA_TYPE_UINT32 ? d.uint32 : d.uint16))
			return i + 1;
	return 0;
}

struct walk {
	const MMDB_s *db;
	struct gf_geo *g;
	const struct gf_geo_opts *opts;
	struct rec_cache cache;
	__u32 ipv4_start;	/* node of ::/96 in an IPv6 tree, or ~0 */
	int have_ipv4_start;
	__u64 work, work_max;
	__u64 with_asn;		/* ASN mode: records that carry a number */
	char *err;
	size_t errlen;
};

/*
 * A record's class.  The cache keeps the class with GF_VIA_REGISTERED set
 * when it came from registered_country, so that the figures count networks
 * (the tree points many networks at one record), not records.
 */
#define GF_VIA_REGISTERED 0x8000

static int walk_class(struct walk *w, MMDB_entry_s *e, __u16 *cls)
{
	__u16 v;
	int c, via = 0;

	if (w->opts->asn) {
		if (!cache_get(&w->cache, e->offset, &v)) {
			c = record_asn(e, w->opts, &w->with_asn);
			if (c < 0) {
				snprintf(w->err, w->errlen, "%s: corrupt data record at offset %u: the file "
					 "is damaged; download it again", w->g->path, e->offset);
				return -EINVAL;
			}
			v = c;
			if (cache_put(&w->cache, e->offset, v))
				return -ENOMEM;
		}
		*cls = v;
		return 0;
	}
	if (!cache_get(&w->cache, e->offset, &v)) {
		c = record_cc(e, "country");
		if (c == 0 && w->opts->registered_country_fallback) {
			c = record_cc(e, "registered_country");
			via = c > 0;
		}
		if (c < 0) {
			snprintf(w->err, w->errlen, "%s: corrupt data record at offset %u: the file "
				 "is damaged; download it again", w->g->path, e->offset);
			return -EINVAL;
		}
		v = c | (via ? GF_VIA_REGISTERED : 0);
		if (cache_put(&w->cache, e->offset, v))
			return -ENOMEM;
	}
	if (v & GF_VIA_REGISTERED)
		w->g->fallback_registered++;
	else if (!v)
		w->g->no_country++;
	*cls = v & ~GF_VIA_REGISTERED;
	return 0;
}

/* A data record covering prefix/len of the tree (bits = 32 or 128). */
static int walk_emit(struct walk *w, gf_u128 prefix, int len, int bits, __u16 cls)
{
	gf_u128 host;
	int err;

	w->g->networks++;
	if (!cls)
		return 0;	/* no country: leave it to the "unknown" class */
	if (bits == 32) {
		host = len == 32 ? 0 : (((gf_u128)1 << (32 - len)) - 1);
		return gf_rs_push(&w->g->rs[0], prefix, prefix | host, cls, 0);
	}
	/* IPv6 tree: ::/96 is IPv4 */
	if (len >= 96 && prefix >> 32 == 0) {
		host = len == 128 ? 0 : (((gf_u128)1 << (128 - len)) - 1);
		return gf_rs_push(&w->g->rs[0], prefix & 0xffffffffu, (prefix | host) & 0xffffffffu,
				  cls, 0);
	}
	host = len == 0 ? ~(gf_u128)0 : len == 128 ? 0 : (((gf_u128)1 << (128 - len)) - 1);
	/* the walk meets networks in address order: merge neighbours as they come */
	err = gf_rs_push(&w->g->rs[1], prefix, prefix | host, cls, 0);
	/* a shorter prefix of zeros covers ::/96, i.e. all of IPv4, too */
	if (!err && len < 96 && prefix == 0)
		err = gf_rs_add(&w->g->rs[0], 0, 0xffffffffu, cls, 0);
	return err;
}

static int walk_node(struct walk *w, __u32 node, gf_u128 prefix, int depth, int bits)
{
	MMDB_search_node_s n;
	int rc;

	if (++w->work > w->work_max) {
		snprintf(w->err, w->errlen, "%s: the search tree visits more nodes than it holds "
			 "(%u): the file is damaged or not a MaxMind DB", w->g->path,
			 w->db->metadata.node_count);
		return -EINVAL;
	}
	rc = MMDB_read_node(w->db, node, &n);
	if (rc != MMDB_SUCCESS) {
		snprintf(w->err, w->errlen, "%s: search tree node %u: %s", w->g->path, node,
			 MMDB_strerror(rc));
		return -EINVAL;
	}
	for (int side = 0; side < 2; side++) {
		__u8 type = side ? n.right_record_type : n.left_record_type;
		__u64 rec = side ? n.right_record : n.left_record;
		MMDB_entry_s *e = side ? &n.right_record_entry : &n.left_record_entry;
		gf_u128 p = prefix | ((gf_u128)side << (bits - 1 - depth));
		__u16 cls;

		switch (type) {
		case MMDB_RECORD_TYPE_SEARCH_NODE:
			if (depth + 1 >= bits) {
				snprintf(w->err, w->errlen, "%s: the search tree is deeper than %d "
					 "bits: the file is damaged", w->g->path, bits);
				return -EINVAL;
			}
			/* an alias of the IPv4 subtree, anywhere but at ::/96 itself */
			if (w->have_ipv4_start && rec == w->ipv4_start && !(depth + 1 == 96 && p == 0)) {
				w->g->aliases_skipped++;
				if (w->g->nalias < GF_GEO_MAX_ALIASES && depth + 1 <= 96)
					w->g->alias[w->g->nalias++] = (struct gf_alias){ p, depth + 1 };
				break;
			}
			rc = walk_node(w, rec, p, depth + 1, bits);
			if (rc)
				return rc;
			break;
		case MMDB_RECORD_TYPE_DATA:
			rc = walk_class(w, e, &cls) ?: walk_emit(w, p, depth + 1, bits, cls);
			if (rc)
				return rc;
			break;
		case MMDB_RECORD_TYPE_EMPTY:
			break;
		default:
			snprintf(w->err, w->errlen, "%s: search tree node %u has an invalid record: "
				 "the file is damaged", w->g->path, node);
			return -EINVAL;
		}
	}
	return 0;
}

static int load_mmdb(struct gf_geo *g, const struct gf_geo_opts *opts, char *err, size_t errlen)
{
	struct walk w = { .g = g, .opts = opts, .err = err, .errlen = errlen };
	char copy[64];
	size_t size;
	MMDB_s db;
	int rc, bits, fd;

	/* a copy, not the file: one rewritten in place while we walk it must not end the agent */
	rc = gf_file_snapshot(g->path, &fd, &size);
	if (rc) {
		snprintf(err, errlen, "%s: %s", g->path, strerror(-rc));
		return rc == -ENOENT ? -ENOENT : -EIO;
	}
	snprintf(copy, sizeof(copy), "/proc/self/fd/%d", fd);
	rc = MMDB_open(copy, MMDB_MODE_MMAP, &db);
	close(fd);	/* the mapping keeps the copy */
	if (rc != MMDB_SUCCESS) {
		if (rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR)
			snprintf(err, errlen, "%s: %s (%s)", g->path, MMDB_strerror(rc), strerror(errno));
		else
			snprintf(err, errlen, "%s: %s: is this a MaxMind DB (.mmdb) file, complete "
				 "and undamaged?", g->path, MMDB_strerror(rc));
		return rc == MMDB_FILE_OPEN_ERROR ? -ENOENT : -EINVAL;
	}
	w.db = &db;
	g->bytes = db.file_size;
	g->build_epoch = db.metadata.build_epoch;
	/* metadata is the file's word: printable before anyone prints it */
	if (db.metadata.database_type)
		gf_escape(db.metadata.database_type, strlen(db.metadata.database_type),
			  g->database_type, sizeof(g->database_type), 0);
	for (size_t i = 0; i < db.metadata.description.count; i++)
		if (db.metadata.description.descriptions[i]->language &&
		    db.metadata.description.descriptions[i]->description &&
		    !strcmp(db.metadata.description.descriptions[i]->language, "en"))
			gf_escape(db.metadata.description.descriptions[i]->description,
				  strlen(db.metadata.description.descriptions[i]->description),
				  g->description, sizeof(g->description), 0);
	if (g->build_epoch > (__u64)GF_EPOCH_MAX) {
		snprintf(err, errlen, "%s: build_epoch %llu in the metadata is not a date: the file "
			 "is damaged; download it again", g->path, (unsigned long long)g->build_epoch);
		MMDB_close(&db);
		return -EINVAL;
	}
	if (db.metadata.ip_version != 4 && db.metadata.ip_version != 6) {
		snprintf(err, errlen, "%s: ip_version %u in the metadata, expected 4 or 6", g->path,
			 db.metadata.ip_version);
		MMDB_close(&db);
		return -EINVAL;
	}
	bits = db.metadata.ip_version == 4 ? 32 : 128;

	/* the IPv4 subtree of an IPv6 tree: 96 left turns from the root */
	if (bits == 128) {
		__u32 node = 0;
		int d;

		for (d = 0; d < 96; d++) {
			MMDB_search_node_s n;

			if (MMDB_read_node(&db, node, &n) != MMDB_SUCCESS ||
			    n.left_record_type != MMDB_RECORD_TYPE_SEARCH_NODE)
				break;
			node = n.left_record;
		}
		if (d == 96) {
			w.ipv4_start = node;
			w.have_ipv4_start = 1;
		}
	}
	/* a tree visits each node once, plus the IPv4 subtree's entry */
	w.work_max = (__u64)db.metadata.node_count + 1;

	rc = walk_node(&w, 0, 0, 0, bits);
	free(w.cache.off);
	free(w.cache.cls);
	MMDB_close(&db);
	if (rc)
		return rc;
	if (opts && opts->asn) {
		if (g->networks && !w.with_asn) {
			snprintf(err, errlen, "%s: none of its records has an autonomous_system_number (database "
				 "type '%s'): geoip.asn takes an ASN database (GeoLite2-ASN's shape)", g->path,
				 g->database_type);
			return -EINVAL;
		}
		return 0;
	}
	if (g->networks && g->networks == g->no_country) {
		snprintf(err, errlen, "%s: none of its %llu networks has a country (database type "
			 "'%s'): use a Country or City database", g->path,
			 (unsigned long long)g->networks, g->database_type);
		return -EINVAL;
	}
	if (!g->networks) {
		snprintf(err, errlen, "%s: the database holds no networks", g->path);
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * CIDR lists: one prefix per line, '#' or ';' comments, IPv4 and IPv6 mixed.
 */
int gf_list_cc_from_name(const char *path, char cc[3])
{
	const char *base = strrchr(path, '/');
	size_t stem;

	base = base ? base + 1 : path;
	/* "cn", "cn.zone", "CN.txt", and ipdeny's "cn-aggregated.zone"; anything
	 * else ("gf-cli-de.zone" is not French Guiana) needs the country given */
	stem = strcspn(base, ".");
	if (!(stem == 2 || (stem == 13 && !strncmp(base + 2, "-aggregated", 11))) ||
	    !isalnum((unsigned char)base[0]) || !isalnum((unsigned char)base[1]))
		return -EINVAL;
	cc[0] = toupper((unsigned char)base[0]);
	cc[1] = toupper((unsigned char)base[1]);
	cc[2] = '\0';
	return gf_class_from_cc(cc) < 0 ? -EINVAL : 0;
}

int gf_list_parse(const char *buf, size_t len, const char *name, __u16 cls,
		  struct gf_rs rs[2], char *err, size_t errlen)
{
	size_t pos = 0, lineno = 0;

	while (pos < len) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char tok[128];
		size_t a = 0, b;
		gf_u128 addr, host;
		int family, plen, bits, ret;

		pos += n + (nl ? 1 : 0);
		lineno++;
		/* strip comments and blanks */
		for (b = 0; b < n; b++)
			if (line[b] == '#' || line[b] == ';')
				break;
		n = b;
		while (a < n && isspace((unsigned char)line[a]))
			a++;
		while (n > a && isspace((unsigned char)line[n - 1]))
			n--;
		if (a == n)
			continue;
		if (n - a >= sizeof(tok) || memchr(line + a, '\0', n - a)) {
			snprintf(err, errlen, "%s:%zu: not a prefix", name, lineno);
			return -EINVAL;
		}
		memcpy(tok, line + a, n - a);
		tok[n - a] = '\0';
		for (b = 0; tok[b]; b++) {
			if (isspace((unsigned char)tok[b])) {
				snprintf(err, errlen, "%s:%zu: one prefix per line, got '%s'", name,
					 lineno, tok);
				return -EINVAL;
			}
		}
		family = gf_prefix_parse(tok, &addr, &plen);
		if (family < 0) {
			snprintf(err, errlen, "%s:%zu: '%s' is not an IPv4 or IPv6 prefix", name,
				 lineno, tok);
			return -EINVAL;
		}
		bits = family == 4 ? 32 : 128;
		/* IPv4-mapped IPv6 means the IPv4 prefix */
		if (family == 6 && addr >> 32 == 0xffff) {
			if (plen < 96) {
				snprintf(err, errlen, "%s:%zu: '%s' reaches beyond IPv4-mapped space "
					 "(::ffff:0:0/96): write IPv4 prefixes as IPv4", name, lineno, tok);
				return -EINVAL;
			}
			family = 4;
			bits = 32;
			addr &= 0xffffffffu;
			plen -= 96;
		}
		host = plen == bits ? 0 : plen == 0 ? gf_family_max(family) :
		       (((gf_u128)1 << (bits - plen)) - 1);
		if (addr & host) {
			char fix[64];

			gf_addr_str(family, addr & ~host, fix, sizeof(fix));
			snprintf(err, errlen, "%s:%zu: '%s' has host bits set: did you mean %s/%d?",
				 name, lineno, tok, fix, plen);
			return -EINVAL;
		}
		ret = gf_rs_add(&rs[family == 6], addr, addr | host, cls, lineno);
		if (ret) {
			snprintf(err, errlen, "%s:%zu: %s", name, lineno, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int load_list(struct gf_geo *g, const char *cc, char *err, size_t errlen)
{
	char code[3], *map = NULL;
	struct stat st;
	size_t size;
	int fd, ret, cls;
	__u32 a, b;

	if (cc) {
		cls = gf_class_from_cc(cc);
		if (cls < 0) {
			snprintf(err, errlen, "%s: '%s' is not a two-character country code", g->path, cc);
			return -EINVAL;
		}
	} else {
		if (gf_list_cc_from_name(g->path, code)) {
			snprintf(err, errlen, "%s: cannot tell the country from the file name: name "
				 "it CC.zone (e.g. cn.zone) or give the country", g->path);
			return -EINVAL;
		}
		cls = gf_class_from_cc(code);
	}
	fd = open(g->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", g->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	g->bytes = st.st_size;
	g->build_epoch = st.st_mtime;
	snprintf(g->database_type, sizeof(g->database_type), "cidr-list");
	/* read, not mapped: a file rewritten in place while we read it gives a bad copy, not a SIGBUS */
	ret = gf_file_read_fd(fd, &map, &size);
	close(fd);
	if (ret) {
		snprintf(err, errlen, "%s: %s", g->path, strerror(-ret));
		return ret;
	}
	ret = gf_list_parse(map, size, g->path, cls, g->rs, err, errlen);
	free(map);
	if (ret)
		return ret;
	for (int f = 0; f < 2; f++) {
		g->networks += g->rs[f].n;
		/* nested prefixes of one country: the union */
		ret = gf_rs_flatten(&g->rs[f], &a, &b);
		if (!ret)
			ret = gf_rs_normalize(&g->rs[f], &a, &b);
		if (ret) {
			snprintf(err, errlen, "%s: lines %u and %u overlap", g->path, a, b);
			return ret;
		}
	}
	return 0;
}

static int load_tor(struct gf_geo *g, char *err, size_t errlen)
{
	char line[256] = "";
	struct stat st;
	int family, ret;
	__u32 a, b;
	FILE *f = fopen(g->path, "r");

	/* geoip holds decimal integers, geoip6 addresses: tell by the first data line */
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", g->path, strerror(errno));
		return ret;
	}
	while (fgets(line, sizeof(line), f) && (line[0] == '#' || line[0] == '\n'))
		;
	fstat(fileno(f), &st);
	fclose(f);
	family = strchr(line, ':') ? 6 : 4;
	g->bytes = st.st_size;
	g->build_epoch = st.st_mtime;
	snprintf(g->database_type, sizeof(g->database_type), "tor-geoip%s", family == 6 ? "6" : "");
	ret = gf_tor_load(g->path, &g->rs[family == 6], err, errlen);
	if (ret)
		return ret;
	g->networks = g->rs[family == 6].n;
	ret = gf_rs_normalize(&g->rs[family == 6], &a, &b);
	if (ret)
		snprintf(err, errlen, "%s: lines %u and %u overlap", g->path, a, b);
	return ret;
}

int gf_geo_load(struct gf_geo *g, enum gf_geo_kind kind, const char *path, const char *cc,
		const struct gf_geo_opts *opts, char *err, size_t errlen)
{
	struct gf_geo_opts def;
	int ret;

	if (!opts) {
		gf_geo_opts_default(&def);
		opts = &def;
	}
	gf_geo_init(g);
	g->kind = kind;
	snprintf(g->path, sizeof(g->path), "%s", path);
	switch (kind) {
	case GF_GEO_MMDB:
		ret = load_mmdb(g, opts, err, errlen);
		for (int f = 0; !ret && f < 2; f++) {
			__u32 a, b;

			ret = gf_rs_normalize(&g->rs[f], &a, &b);
			if (ret)
				snprintf(err, errlen, "%s: networks overlap: the file is damaged", path);
		}
		break;
	case GF_GEO_LIST:
		ret = load_list(g, cc, err, errlen);
		break;
	case GF_GEO_TOR:
		ret = load_tor(g, err, errlen);
		break;
	default:
		ret = -EINVAL;
		snprintf(err, errlen, "%s: unknown source kind", path);
	}
	if (ret) {
		gf_geo_free(g);
		gf_geo_init(g);
	}
	return ret;
}

/* ---------------------------------------------------------------------
 * Combining sources.
 */

/* Count where top and base both have data and disagree. */
static void count_conflicts(const struct gf_rs *base, const struct gf_rs *top, int fam,
			    const char *base_name, const char *top_name,
			    struct gf_geo_conflicts *c)
{
	size_t i = 0, j = 0;

	while (i < base->n && j < top->n) {
		const struct gf_range *b = &base->v[i], *t = &top->v[j];
		gf_u128 lo = b->first > t->first ? b->first : t->first;
		gf_u128 hi = b->last < t->last ? b->last : t->last;

		if (lo <= hi && b->cls != t->cls) {
			if (!c->ranges) {
				char a1[64], a2[64], c1[16], c2[16];

				snprintf(c->first, sizeof(c->first), "%s-%s: %s says %s, %s says %s",
					 gf_addr_str(fam ? 6 : 4, lo, a1, sizeof(a1)),
					 gf_addr_str(fam ? 6 : 4, hi, a2, sizeof(a2)), base_name,
					 gf_class_name(b->cls, c1, sizeof(c1)), top_name,
					 gf_class_name(t->cls, c2, sizeof(c2)));
			}
			c->ranges++;
			c->addresses[fam] += hi - lo + 1;
		}
		if (b->last < t->last)
			i++;
		else
			j++;
	}
}

int gf_geo_combine(const struct gf_geo *srcs, size_t n, struct gf_rs out[2],
		   struct gf_geo_conflicts *conflicts)
{
	int ret = 0;

	if (conflicts)
		memset(conflicts, 0, sizeof(*conflicts));
	for (int f = 0; f < 2; f++) {
		struct gf_rs acc;

		gf_rs_init(&acc, f ? 6 : 4);
		for (size_t s = 0; s < n && !ret; s++) {
			struct gf_rs next;

			if (conflicts && s)
				count_conflicts(&acc, &srcs[s].rs[f], f, "earlier sources", srcs[s].path,
						conflicts);
			ret = gf_rs_overlay(&acc, &srcs[s].rs[f], &next);
			gf_rs_free(&acc);
			acc = next;
		}
		if (ret) {
			gf_rs_free(&acc);
			if (f)
				gf_rs_free(&out[0]);
			return ret;
		}
		out[f] = acc;
	}
	return 0;
}

__u16 gf_geo_find(const struct gf_rs rs[2], int family, gf_u128 addr, const struct gf_alias *alias,
		  int nalias)
{
	if (family == 4)
		return gf_rs_find(&rs[0], addr, GF_CLASS_UNKNOWN);
	for (int i = 0; i < nalias; i++) {
		int shift = 128 - alias[i].len;

		if (addr >> shift == alias[i].prefix >> shift)
			return gf_rs_find(&rs[0], (__u32)(addr >> (96 - alias[i].len)), GF_CLASS_UNKNOWN);
	}
	if (addr >> 32 == 0)
		return gf_rs_find(&rs[0], (__u32)addr, GF_CLASS_UNKNOWN);
	return gf_rs_find(&rs[1], addr, GF_CLASS_UNKNOWN);
}
