// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the MaxMind DB reader (user/lib/gf_geo.c) against
 * libmaxminddb's own lookups.  Databases are written by MaxMind's Perl
 * writer (tests/lib/mkdb.pl) in every shape the reader must handle:
 * record sizes 24/28/32, IPv4-only, IPv6 with and without the IPv4
 * aliases, Country and City records, registered_country-only records,
 * records without a country, represented_country.  For 100,000 random
 * addresses per database the reader's answer must equal libmaxminddb's.
 * Then bad input: missing, truncated, corrupted, looping, wrong type.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "geofence.h"
#include "gf_geo.h"
#include "gf_mmdb_ref.h"
#include "gf_rand.h"
#include "gf_ranges.h"

#define N_PROBES 100000

static struct gf_rand rng = { 0x5851f42d4c957f2dull };
static char dbpath[64];

static void mkdb(const char *args)
{
	char cmd[512];

	snprintf(dbpath, sizeof(dbpath), "/tmp/gf-mmdb-test-%d.mmdb", getpid());
	snprintf(cmd, sizeof(cmd), "%s/tests/lib/mkdb.pl %s %s", GF_SRCDIR, dbpath, args);
	assert_int_equal(system(cmd), 0);
}

static gf_u128 probe_addr(const struct gf_geo *g, int family, long i)
{
	gf_u128 r = gf_rand128(&rng);
	const struct gf_rs *rs = &g->rs[family == 6];

	if (family == 4)
		r &= 0xffffffffu;
	switch (i % 4) {
	case 0:		/* anywhere */
		return family == 4 ? r : (i % 8 == 0 ? r : ((gf_u128)0x2 << 124) | (r >> 4));
	case 1:		/* the IPv4-carrying prefixes of an IPv6 tree */
		if (family == 6) {
			static const gf_u128 pre[] = { (gf_u128)0xffff << 32, (gf_u128)0x2002 << 112,
						       (gf_u128)0x20010000 << 96, 0 };
			static const int host[] = { 32, 112, 96, 32 };
			int k = gf_rand64(&rng) % 4;

			return pre[k] | (r & (((gf_u128)1 << host[k]) - 1));
		}
		/* fall through */
	default:	/* in and around the ranges the reader found */
		if (!rs->n)
			return r;
		{
			const struct gf_range *x = &rs->v[gf_rand64(&rng) % rs->n];

			switch (gf_rand64(&rng) % 4) {
			case 0: return x->first;
			case 1: return x->last + 1;
			case 2: return x->first - 1;
			default: return x->first + r % (x->last - x->first + 1 ?: ~(gf_u128)0);
			}
		}
	}
}

static void compare(const char *args, int fallback)
{
	struct gf_geo_opts o;
	struct gf_geo g;
	char err[512] = "";
	long bad = 0;
	MMDB_s db;

	mkdb(args);
	gf_geo_opts_default(&o);
	o.registered_country_fallback = fallback;
	if (gf_geo_load(&g, GF_GEO_MMDB, dbpath, NULL, &o, err, sizeof(err)))
		fail_msg("%s: %s", args, err);
	assert_int_equal(MMDB_open(dbpath, MMDB_MODE_MMAP, &db), MMDB_SUCCESS);
	assert_true(g.networks > 0);
	for (long i = 0; i < N_PROBES; i++) {
		int family = db.metadata.ip_version == 4 || i % 2 ? 4 : 6;
		gf_u128 a = probe_addr(&g, family, i) & gf_family_max(family);
		int want = gf_mmdb_ref_class(&db, family, a, fallback);
		int got = gf_geo_find(g.rs, family, a, g.alias, g.nalias);

		if (got != want && bad++ < 3) {
			char b[64];

			print_message("%s: %s: reader %d, libmaxminddb %d\n", args,
				      gf_addr_str(family, a, b, sizeof(b)), got, want);
		}
	}
	if (bad)
		fail_msg("%s: %ld of %d addresses disagree", args, bad, N_PROBES);
	MMDB_close(&db);
	gf_geo_free(&g);
	unlink(dbpath);
}

static void test_ipv4_only_24(void **s) { compare("--ip-version 4 --record-size 24 --seed 1", 1); }
static void test_ipv4_only_28(void **s) { compare("--ip-version 4 --record-size 28 --seed 2", 1); }
static void test_ipv4_only_32(void **s) { compare("--ip-version 4 --record-size 32 --seed 3", 1); }
static void test_ipv6_aliases_24(void **s) { compare("--ip-version 6 --record-size 24 --aliases --seed 4", 1); }
static void test_ipv6_aliases_28(void **s) { compare("--ip-version 6 --record-size 28 --aliases --seed 5", 1); }
static void test_ipv6_aliases_32(void **s) { compare("--ip-version 6 --record-size 32 --aliases --seed 6", 1); }
static void test_ipv6_no_aliases(void **s) { compare("--ip-version 6 --record-size 28 --seed 7", 1); }
static void test_city_shape(void **s) { compare("--ip-version 6 --record-size 28 --aliases --shape city --seed 8", 1); }
static void test_no_fallback(void **s) { compare("--ip-version 6 --record-size 24 --aliases --seed 9", 0); }
static void test_many_networks(void **s) { compare("--ip-version 6 --record-size 32 --aliases --networks 40000 --seed 10", 1); }

/* aliases are linked, not enumerated: the IPv4 data appears once */
static void test_aliases_not_counted_twice(void **s)
{
	struct gf_geo a, b;
	char err[512];

	mkdb("--ip-version 6 --record-size 28 --aliases --seed 11");
	assert_int_equal(gf_geo_load(&a, GF_GEO_MMDB, dbpath, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(a.aliases_skipped, 3);
	mkdb("--ip-version 6 --record-size 28 --seed 11");
	assert_int_equal(gf_geo_load(&b, GF_GEO_MMDB, dbpath, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(b.aliases_skipped, 0);
	/* same networks with or without aliases */
	assert_int_equal(a.networks, b.networks);
	assert_int_equal(a.rs[0].n, b.rs[0].n);
	assert_int_equal(a.rs[1].n, b.rs[1].n);
	gf_geo_free(&a);
	gf_geo_free(&b);
	unlink(dbpath);
}

static int load_expect_error(const char *path, const char *want)
{
	struct gf_geo g;
	char err[512] = "";
	int rc = gf_geo_load(&g, GF_GEO_MMDB, path, NULL, NULL, err, sizeof(err));

	if (rc == 0) {
		gf_geo_free(&g);
		fail_msg("%s loaded, expected an error with '%s'", path, want);
	}
	if (!strstr(err, path) || !strstr(err, want))
		fail_msg("error '%s' does not name %s and '%s'", err, path, want);
	/* nothing half-loaded */
	assert_int_equal(g.rs[0].n, 0);
	assert_int_equal(g.rs[1].n, 0);
	return rc;
}

static void test_missing(void **s)
{
	assert_int_equal(load_expect_error("/nonexistent/x.mmdb", "No such file"), -ENOENT);
}

static void test_wrong_type(void **s)
{
	mkdb("--shape asn --seed 12");
	load_expect_error(dbpath, "use a Country or City database");
	unlink(dbpath);
}

static void test_not_mmdb(void **s)
{
	FILE *f;

	snprintf(dbpath, sizeof(dbpath), "/tmp/gf-mmdb-test-%d.mmdb", getpid());
	f = fopen(dbpath, "w");
	fputs("1.0.0.0/24\n2.0.0.0/8\n", f);
	fclose(f);
	load_expect_error(dbpath, "is this a MaxMind DB");
	unlink(dbpath);
}

/* cut the file short at many lengths: every one is refused or, rarely,
 * still a complete database (never a crash, never half a result) */
static void test_truncated(void **s)
{
	struct stat st;
	char cut[80];
	int refused = 0, tried = 0;

	mkdb("--ip-version 6 --record-size 28 --aliases --seed 13");
	assert_int_equal(stat(dbpath, &st), 0);
	snprintf(cut, sizeof(cut), "%s.cut", dbpath);
	for (off_t len = 0; len < st.st_size; len += 1 + st.st_size / 97) {
		char cmd[256];
		struct gf_geo g;
		char err[512];

		snprintf(cmd, sizeof(cmd), "head -c %lld %s > %s", (long long)len, dbpath, cut);
		assert_int_equal(system(cmd), 0);
		tried++;
		if (gf_geo_load(&g, GF_GEO_MMDB, cut, NULL, NULL, err, sizeof(err))) {
			refused++;
			assert_non_null(strstr(err, cut));
			assert_int_equal(g.rs[0].n + g.rs[1].n, 0);
		} else {
			gf_geo_free(&g);
		}
	}
	/* the metadata is at the end: every cut loses it */
	assert_int_equal(refused, tried);
	unlink(cut);
	unlink(dbpath);
}

/* a search tree pointing back at its root: refused, not an endless walk */
static void test_looping_tree(void **s)
{
	MMDB_s db;
	int fd;
	__u8 zero[3] = { 0, 0, 0 };

	mkdb("--ip-version 4 --record-size 24 --seed 14");
	assert_int_equal(MMDB_open(dbpath, MMDB_MODE_MMAP, &db), MMDB_SUCCESS);
	assert_true(db.metadata.node_count > 10);
	MMDB_close(&db);
	/* 24-bit records: node n is 6 bytes, left record first; point node 5 left at node 0 */
	fd = open(dbpath, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, zero, 3, 5 * 6), 3);
	close(fd);
	load_expect_error(dbpath, "damaged");
	unlink(dbpath);
}

/* random bytes flipped anywhere: a clean error or a complete load, never a crash */
static void test_corrupted(void **s)
{
	struct stat st;
	char bad[80];
	__u8 *orig;
	int fd, refused = 0;

	mkdb("--ip-version 6 --record-size 28 --aliases --shape city --seed 15");
	assert_int_equal(stat(dbpath, &st), 0);
	orig = malloc(st.st_size);
	fd = open(dbpath, O_RDONLY);
	assert_int_equal(read(fd, orig, st.st_size), st.st_size);
	close(fd);
	snprintf(bad, sizeof(bad), "%s.bad", dbpath);
	for (int round = 0; round < 300; round++) {
		struct gf_geo g;
		char err[512];
		__u8 *copy = malloc(st.st_size);

		memcpy(copy, orig, st.st_size);
		for (int k = 0; k < 1 + round % 8; k++)
			copy[gf_rand64(&rng) % st.st_size] ^= 1 << (gf_rand64(&rng) % 8);
		fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_int_equal(write(fd, copy, st.st_size), st.st_size);
		close(fd);
		free(copy);
		if (gf_geo_load(&g, GF_GEO_MMDB, bad, NULL, NULL, err, sizeof(err))) {
			refused++;
			assert_non_null(strstr(err, bad));
		} else {
			gf_geo_free(&g);
		}
	}
	print_message("corrupted copies: %d of 300 refused, the rest still well-formed\n", refused);
	free(orig);
	unlink(bad);
	unlink(dbpath);
}

/* A 24-bit record's raw value, and its replacement, in node n (6 bytes, left first). */
static __u32 rec24(const __u8 *f, __u32 n, int right)
{
	const __u8 *p = f + n * 6 + right * 3;

	return (__u32)p[0] << 16 | (__u32)p[1] << 8 | p[2];
}

/*
 * A database that links only ::ffff:0:0/96 and Teredo to its IPv4 data and
 * has its own answer for 6to4: the reader must answer 2002::/16 from it, as
 * libmaxminddb does, and Teredo and mapped addresses from the IPv4 data.
 * Made from an aliased database by pointing the 2002::/16 link at the
 * record of 2a00:1::/32 (JP).
 */
static void test_partial_aliases(void **s)
{
	struct gf_geo g;
	char err[512];
	MMDB_s db;
	MMDB_search_node_s n;
	__u32 node = 0, jp_rec = 0, ipv4_start;
	gf_u128 a;
	__u8 *f;
	struct stat st;
	int fd, jp = gf_class_from_cc("JP"), cn = gf_class_from_cc("CN");

	mkdb("--ip-version 6 --record-size 24 --aliases --networks 0 --net 1.1.1.0/24=CN "
	     "--net 2a00:1::/32=JP --net 8.8.8.0/24=US");
	assert_int_equal(MMDB_open(dbpath, MMDB_MODE_MMAP, &db), MMDB_SUCCESS);
	/* JP's record: follow 2a00:0001:: until a data record */
	gf_addr_parse("2a00:1::", &a);
	for (int d = 0; d < 128 && !jp_rec; d++) {
		int bit = (a >> (127 - d)) & 1;

		assert_int_equal(MMDB_read_node(&db, node, &n), MMDB_SUCCESS);
		if ((bit ? n.right_record_type : n.left_record_type) == MMDB_RECORD_TYPE_DATA)
			jp_rec = bit ? n.right_record : n.left_record;
		node = bit ? n.right_record : n.left_record;
	}
	/* the IPv4 subtree: 96 left turns */
	for (node = 0; node < db.metadata.node_count;) {
		static int d;

		assert_int_equal(MMDB_read_node(&db, node, &n), MMDB_SUCCESS);
		node = n.left_record;
		if (++d == 96)
			break;
	}
	ipv4_start = node;
	/* the node 15 steps down 2002:: holds the /16 link, on the left (bit 15 of 0x2002 is 0) */
	node = 0;
	for (int d = 0; d < 15; d++) {
		assert_int_equal(MMDB_read_node(&db, node, &n), MMDB_SUCCESS);
		node = (0x2002 >> (15 - d)) & 1 ? n.right_record : n.left_record;
	}
	MMDB_close(&db);
	assert_true(jp_rec != 0);
	stat(dbpath, &st);
	f = malloc(st.st_size);
	fd = open(dbpath, O_RDWR);
	assert_int_equal(pread(fd, f, st.st_size, 0), st.st_size);
	assert_int_equal(rec24(f, node, 0), ipv4_start);	/* it is the alias */
	f[node * 6] = jp_rec >> 16, f[node * 6 + 1] = jp_rec >> 8, f[node * 6 + 2] = jp_rec;
	assert_int_equal(pwrite(fd, f + node * 6, 3, node * 6), 3);
	close(fd);
	free(f);

	assert_int_equal(gf_geo_load(&g, GF_GEO_MMDB, dbpath, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(g.nalias, 2);	/* mapped and Teredo */
	assert_int_equal(MMDB_open(dbpath, MMDB_MODE_MMAP, &db), MMDB_SUCCESS);
	{
		const struct {
			const char *addr;
			int *cls;
		} want[] = {
			{ "2002:101:101::1", &jp },		/* 6to4 of 1.1.1.1: the database's own data */
			{ "::ffff:1.1.1.1", &cn },		/* mapped: the alias */
			{ "2001:0:101:101::1", &cn },		/* Teredo, server 1.1.1.1: the alias */
			{ "::1.1.1.1", &cn },			/* IPv4-compatible: ::/96 is the IPv4 data */
		};

		for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
			gf_addr_parse(want[i].addr, &a);
			if (gf_geo_find(g.rs, 6, a, g.alias, g.nalias) != *want[i].cls ||
			    gf_mmdb_ref_class(&db, 6, a, 1) != *want[i].cls)
				fail_msg("%s: reader %d, libmaxminddb %d, want %d", want[i].addr,
					 gf_geo_find(g.rs, 6, a, g.alias, g.nalias),
					 gf_mmdb_ref_class(&db, 6, a, 1), *want[i].cls);
		}
	}
	MMDB_close(&db);
	gf_geo_free(&g);
	unlink(dbpath);
}

/* Metadata is the file's word: an absurd date is an error, odd bytes are escaped. */
static void test_metadata(void **s)
{
	struct gf_geo g;
	char err[512];

	mkdb("--ip-version 6 --networks 0 --net 1.1.1.0/24=CN --build-epoch 4611686018427387904");
	assert_int_equal(gf_geo_load(&g, GF_GEO_MMDB, dbpath, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "build_epoch 4611686018427387904 in the metadata is not a date"));
	assert_non_null(strstr(err, dbpath));
	mkdb("--ip-version 6 --networks 0 --net 1.1.1.0/24=CN --database-type \"$(printf 'Evil\\033[2JType')\"");
	assert_int_equal(gf_geo_load(&g, GF_GEO_MMDB, dbpath, NULL, NULL, err, sizeof(err)), 0);
	assert_null(strchr(g.database_type, 0x1b));
	assert_string_equal(g.database_type, "Evil\\x1b[2JType");
	gf_geo_free(&g);
	unlink(dbpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partial_aliases),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_ipv4_only_24),
		cmocka_unit_test(test_ipv4_only_28),
		cmocka_unit_test(test_ipv4_only_32),
		cmocka_unit_test(test_ipv6_aliases_24),
		cmocka_unit_test(test_ipv6_aliases_28),
		cmocka_unit_test(test_ipv6_aliases_32),
		cmocka_unit_test(test_ipv6_no_aliases),
		cmocka_unit_test(test_city_shape),
		cmocka_unit_test(test_no_fallback),
		cmocka_unit_test(test_many_networks),
		cmocka_unit_test(test_aliases_not_counted_twice),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_not_mmdb),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_looping_tree),
		cmocka_unit_test(test_corrupted),
	};
	int n = sizeof(tests) / sizeof(*tests), failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
