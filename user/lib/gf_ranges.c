// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geofence.h"
#include "gf_ranges.h"
#include "geofence_rules.h"

void gf_rs_init(struct gf_rs *rs, int family)
{
	memset(rs, 0, sizeof(*rs));
	rs->family = family;
}

void gf_rs_free(struct gf_rs *rs)
{
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
}

void gf_rs_clear(struct gf_rs *rs)
{
	rs->n = 0;
}

static int rs_reserve(struct gf_rs *rs, size_t n)
{
	struct gf_range *v;
	size_t cap;

	if (n <= rs->cap)
		return 0;
	cap = rs->cap ? rs->cap : 1024;
	while (cap < n)
		cap *= 2;
	v = realloc(rs->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	rs->v = v;
	rs->cap = cap;
	return 0;
}

int gf_rs_add(struct gf_rs *rs, gf_u128 first, gf_u128 last, __u16 cls, __u32 tag)
{
	int err;

	if (first > last || last > gf_family_max(rs->family))
		return -EINVAL;
	err = rs_reserve(rs, rs->n + 1);
	if (err)
		return err;
	rs->v[rs->n++] = (struct gf_range){ .first = first, .last = last, .cls = cls, .tag = tag };
	return 0;
}

int gf_rs_add_prefix(struct gf_rs *rs, gf_u128 addr, int len, __u16 cls, __u32 tag)
{
	int bits = rs->family == 4 ? 32 : 128;
	gf_u128 host;

	if (len < 0 || len > bits)
		return -EINVAL;
	host = len == 0 ? gf_family_max(rs->family) :
	       (len == bits ? 0 : (((gf_u128)1 << (bits - len)) - 1));
	return gf_rs_add(rs, addr & ~host, (addr & ~host) | host, cls, tag);
}

int gf_rs_copy(struct gf_rs *dst, const struct gf_rs *src)
{
	int err;

	gf_rs_init(dst, src->family);
	err = rs_reserve(dst, src->n);
	if (err)
		return err;
	if (src->n)	/* memcpy from NULL is undefined, even for 0 bytes */
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
	return 0;
}

/* By first ascending, then last descending: an enclosing range comes first. */
static int range_cmp(const void *pa, const void *pb)
{
	const struct gf_range *a = pa, *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->last != b->last)
		return a->last > b->last ? -1 : 1;
	return 0;
}

int gf_rs_push(struct gf_rs *rs, gf_u128 first, gf_u128 last, __u16 cls, __u32 tag)
{
	struct gf_range *p = rs->n ? &rs->v[rs->n - 1] : NULL;

	if (p && p->cls == cls && p->last + 1 == first && p->last != gf_family_max(rs->family)) {
		p->last = last;
		return 0;
	}
	return gf_rs_add(rs, first, last, cls, tag);
}

int gf_rs_normalize(struct gf_rs *rs, __u32 *a, __u32 *b)
{
	size_t i, o = 0;

	if (rs->n > 1)
		qsort(rs->v, rs->n, sizeof(*rs->v), range_cmp);
	for (i = 0; i < rs->n; i++) {
		struct gf_range r = rs->v[i];

		if (o && rs->v[o - 1].last >= r.first) {
			if (a)
				*a = rs->v[o - 1].tag;
			if (b)
				*b = r.tag;
			return -EINVAL;
		}
		if (o && rs->v[o - 1].cls == r.cls && rs->v[o - 1].last + 1 == r.first)
			rs->v[o - 1].last = r.last;
		else
			rs->v[o++] = r;
	}
	rs->n = o;
	return 0;
}

int gf_rs_flatten(struct gf_rs *rs, __u32 *a, __u32 *b)
{
	struct gf_range *stack = NULL;
	struct gf_rs out;
	size_t sp = 0, i;
	gf_u128 pos = 0;	/* next address not yet emitted */
	int pos_valid = 1, err = 0;

	if (rs->n > 1)
		qsort(rs->v, rs->n, sizeof(*rs->v), range_cmp);
	gf_rs_init(&out, rs->family);
	stack = calloc(rs->n + 1, sizeof(*stack));
	if (!stack)
		return -ENOMEM;

	/*
	 * Sweep: the innermost open range owns the addresses until it closes
	 * or a nested range opens.  Emit the owner's piece at each event.
	 */
	for (i = 0; i <= rs->n && !err; i++) {
		gf_u128 next = i < rs->n ? rs->v[i].first : 0;
		int have_next = i < rs->n;

		/* close ranges that end before the next one starts */
		while (sp && (!have_next || stack[sp - 1].last < next)) {
			struct gf_range *t = &stack[--sp];

			if (pos_valid && pos <= t->last)
				err = gf_rs_push(&out, pos, t->last, t->cls, t->tag);
			if (t->last == gf_family_max(rs->family))
				pos_valid = 0;
			else
				pos = t->last + 1;
		}
		if (!have_next || err)
			break;
		if (sp) {
			struct gf_range *t = &stack[sp - 1];

			if (rs->v[i].last > t->last) {	/* partial overlap */
				if (a)
					*a = t->tag;
				if (b)
					*b = rs->v[i].tag;
				err = -EINVAL;
				break;
			}
			if (rs->v[i].first == t->first && rs->v[i].last == t->last) {
				if (rs->v[i].cls != t->cls) {
					if (a)
						*a = t->tag;
					if (b)
						*b = rs->v[i].tag;
					err = -EINVAL;
					break;
				}
				continue;	/* exact duplicate */
			}
			if (pos < next)
				err = gf_rs_push(&out, pos, next - 1, t->cls, t->tag);
		}
		stack[sp++] = rs->v[i];
		pos = next;
		pos_valid = 1;
	}
	free(stack);
	if (err) {
		gf_rs_free(&out);
		return err;
	}
	gf_rs_free(rs);
	*rs = out;
	return 0;
}

int gf_rs_overlay(const struct gf_rs *base, const struct gf_rs *top, struct gf_rs *out)
{
	const gf_u128 max = gf_family_max(base->family);
	size_t i = 0, j = 0;
	gf_u128 pos, end;
	int err = 0;

	gf_rs_init(out, base->family);
	if (!base->n && !top->n)
		return 0;
	pos = !base->n ? top->v[0].first :
	      !top->n ? base->v[0].first :
	      base->v[0].first < top->v[0].first ? base->v[0].first : top->v[0].first;

	for (;;) {
		while (i < base->n && base->v[i].last < pos)
			i++;
		while (j < top->n && top->v[j].last < pos)
			j++;
		if (i >= base->n && j >= top->n)
			break;
		if (j < top->n && top->v[j].first <= pos) {
			end = top->v[j].last;
			err = gf_rs_push(out, pos, end, top->v[j].cls, top->v[j].tag);
		} else if (i < base->n && base->v[i].first <= pos) {
			end = base->v[i].last;
			if (j < top->n && top->v[j].first <= end)
				end = top->v[j].first - 1;
			err = gf_rs_push(out, pos, end, base->v[i].cls, base->v[i].tag);
		} else {	/* in a gap of both: jump to the next start */
			gf_u128 nb = i < base->n ? base->v[i].first : max;
			gf_u128 nt = j < top->n ? top->v[j].first : max;

			pos = nb < nt ? nb : nt;
			continue;
		}
		if (err || end == max)
			break;
		pos = end + 1;
	}
	if (err)
		gf_rs_free(out);
	return err;
}

int gf_rs_compose(const struct gf_rs *countries, const struct gf_rs *overrides,
		  struct gf_rs *out, char *err, size_t errlen)
{
	struct gf_rs c, res, ovr, tmp;
	__u32 a = 0, b = 0;
	int ret;

	gf_rs_init(&res, countries->family);
	gf_rs_init(&ovr, countries->family);
	gf_rs_init(&tmp, countries->family);
	ret = gf_rs_copy(&c, countries);
	if (ret)
		goto out;
	ret = gf_rs_normalize(&c, &a, &b);
	if (ret) {
		snprintf(err, errlen, "country ranges overlap (entries %u and %u)", a, b);
		goto out;
	}
	ret = gf_rs_add_reserved(&res, GF_CLASS_RESERVED);
	if (!ret)
		ret = gf_rs_flatten(&res, NULL, NULL);
	if (ret) {
		snprintf(err, errlen, "reserved prefixes: %s", strerror(-ret));
		goto out;
	}
	if (overrides) {
		gf_rs_free(&ovr);
		ret = gf_rs_copy(&ovr, overrides);
		if (!ret)
			ret = gf_rs_flatten(&ovr, &a, &b);
		if (ret) {
			snprintf(err, errlen, "overrides %u and %u cover the same prefix with "
				 "different actions, or overlap without nesting", a, b);
			goto out;
		}
	}
	ret = gf_rs_overlay(&c, &res, &tmp);
	if (!ret)
		ret = gf_rs_overlay(&tmp, &ovr, out);
	if (ret)
		snprintf(err, errlen, "%s", strerror(-ret));
out:
	gf_rs_free(&c);
	gf_rs_free(&res);
	gf_rs_free(&ovr);
	gf_rs_free(&tmp);
	return ret;
}

int gf_rs_fill(struct gf_rs *rs, __u16 fill)
{
	const gf_u128 max = gf_family_max(rs->family);
	struct gf_rs out;
	gf_u128 pos = 0;
	int pos_valid = 1, err = 0;
	size_t i;

	gf_rs_init(&out, rs->family);
	for (i = 0; i < rs->n && !err; i++) {
		if (pos_valid && rs->v[i].first > pos)
			err = gf_rs_push(&out, pos, rs->v[i].first - 1, fill, 0);
		if (!err)
			err = gf_rs_push(&out, rs->v[i].first, rs->v[i].last, rs->v[i].cls, rs->v[i].tag);
		if (rs->v[i].last == max)
			pos_valid = 0;
		else
			pos = rs->v[i].last + 1;
	}
	if (!err && pos_valid)
		err = gf_rs_push(&out, pos, max, fill, 0);
	if (err) {
		gf_rs_free(&out);
		return err;
	}
	gf_rs_free(rs);
	*rs = out;
	return 0;
}

const struct gf_range *gf_rs_find_range(const struct gf_rs *rs, gf_u128 addr)
{
	size_t lo = 0, hi = rs->n;

	/* first range with last >= addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rs->v[mid].last < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->n && rs->v[lo].first <= addr ? &rs->v[lo] : NULL;
}

__u16 gf_rs_find(const struct gf_rs *rs, gf_u128 addr, __u16 fill)
{
	const struct gf_range *r = gf_rs_find_range(rs, addr);

	return r ? r->cls : fill;
}

/*
 * Reserved and special-use space (IANA special-purpose registries, RFC 6890
 * and successors).  It never leaves through the gateway towards a country,
 * and LAN-internal or gateway-local traffic must never meet an "unknown" or
 * default-drop policy.
 */
static const char *const reserved4[] = {
	"0.0.0.0/8",		/* "this network", RFC 791 */
	"10.0.0.0/8",		/* private, RFC 1918 */
	"100.64.0.0/10",	/* shared address space (CGN), RFC 6598 */
	"127.0.0.0/8",		/* loopback */
	"169.254.0.0/16",	/* link-local, RFC 3927 */
	"172.16.0.0/12",	/* private, RFC 1918 */
	"192.0.0.0/24",		/* IETF protocol assignments, RFC 6890 */
	"192.0.2.0/24",		/* TEST-NET-1, RFC 5737 */
	"192.88.99.0/24",	/* 6to4 relay anycast (deprecated), RFC 7526 */
	"192.168.0.0/16",	/* private, RFC 1918 */
	"198.18.0.0/15",	/* benchmarking, RFC 2544 */
	"198.51.100.0/24",	/* TEST-NET-2, RFC 5737 */
	"203.0.113.0/24",	/* TEST-NET-3, RFC 5737 */
	"224.0.0.0/4",		/* multicast, RFC 5771 */
	"240.0.0.0/4",		/* reserved, RFC 1112; includes 255.255.255.255 */
};

static const char *const reserved6[] = {
	"::/128",		/* unspecified */
	"::1/128",		/* loopback */
	"::ffff:0:0/96",	/* IPv4-mapped, never on the wire */
	"64:ff9b:1::/48",	/* local-use IPv4/IPv6 translation, RFC 8215 */
	"100::/64",		/* discard-only, RFC 6666 */
	"2001:2::/48",		/* benchmarking, RFC 5180 */
	"2001:db8::/32",	/* documentation, RFC 3849 */
	"3fff::/20",		/* documentation, RFC 9637 */
	"fc00::/7",		/* unique local (ULA), RFC 4193 */
	"fe80::/10",		/* link-local */
	"ff00::/8",		/* multicast */
};

int gf_rs_add_reserved(struct gf_rs *rs, __u16 cls)
{
	const char *const *list = rs->family == 4 ? reserved4 : reserved6;
	size_t n = rs->family == 4 ? sizeof(reserved4) / sizeof(*reserved4) :
				     sizeof(reserved6) / sizeof(*reserved6);
	gf_u128 a;
	size_t i;
	int len, err;

	for (i = 0; i < n; i++) {
		if (gf_prefix_parse(list[i], &a, &len) != rs->family)
			return -EINVAL;
		err = gf_rs_add_prefix(rs, a, len, cls, i);
		if (err)
			return err;
	}
	return 0;
}

static int cc_char(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '0' && c <= '9')
		return 26 + c - '0';
	return -1;
}

int gf_class_from_cc(const char *cc)
{
	int a, b;

	if (!cc || !cc[0] || !cc[1] || cc[2])
		return -EINVAL;
	a = cc_char(cc[0]);
	b = cc_char(cc[1]);
	if (a < 0 || b < 0)
		return -EINVAL;
	return GF_CLASS_COUNTRY_BASE + a * GF_CC_ALPHABET + b;
}

static char cc_letter(int i)
{
	return i < 26 ? 'A' + i : '0' + (i - 26);
}

const char *gf_class_name(__u16 cls, char *buf, size_t len)
{
	if (cls == GF_CLASS_UNKNOWN)
		snprintf(buf, len, "unknown");
	else if (cls == GF_CLASS_RESERVED)
		snprintf(buf, len, "reserved");
	else if (cls == GF_CLASS_SOURCE_ROUTED)
		snprintf(buf, len, "source_routed");
	else if (cls >= GF_CLASS_COUNTRY_BASE && cls < GF_CLASS_COUNTRY_END)
		snprintf(buf, len, "%c%c", cc_letter((cls - GF_CLASS_COUNTRY_BASE) / GF_CC_ALPHABET),
			 cc_letter((cls - GF_CLASS_COUNTRY_BASE) % GF_CC_ALPHABET));
	else if (cls >= GF_CLASS_OVERRIDE_BASE && cls < GF_NUM_CLASSES)
		snprintf(buf, len, "override:%u", cls - GF_CLASS_OVERRIDE_BASE);
	else
		snprintf(buf, len, "class:%u", cls);
	return buf;
}

const char *gf_as_class_name(__u32 asn, __u16 cc, char *buf, size_t len)
{
	char c[16];

	snprintf(buf, len, "%s/AS%u", gf_class_name(cc, c, sizeof(c)), asn);
	return buf;
}

int gf_addr_parse(const char *s, gf_u128 *addr)
{
	unsigned char b[16];
	gf_u128 v = 0;
	int i;

	if (inet_pton(AF_INET, s, b) == 1) {
		for (i = 0; i < 4; i++)
			v = (v << 8) | b[i];
		*addr = v;
		return 4;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		for (i = 0; i < 16; i++)
			v = (v << 8) | b[i];
		*addr = v;
		return 6;
	}
	return -EINVAL;
}

int gf_prefix_parse(const char *s, gf_u128 *addr, int *len)
{
	char buf[64], *slash, *end;
	int family;
	long l;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	family = gf_addr_parse(buf, addr);
	if (family < 0)
		return family;
	if (!slash) {
		*len = family == 4 ? 32 : 128;
		return family;
	}
	if (!slash[1])
		return -EINVAL;
	errno = 0;
	l = strtol(slash + 1, &end, 10);
	if (errno || *end || l < 0 || l > (family == 4 ? 32 : 128))
		return -EINVAL;
	*len = l;
	return family;
}

const char *gf_addr_str(int family, gf_u128 addr, char *buf, size_t len)
{
	unsigned char b[16];
	int i, n = family == 4 ? 4 : 16;

	for (i = n - 1; i >= 0; i--) {
		b[i] = addr & 0xff;
		addr >>= 8;
	}
	if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, b, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

int gf_carried(gf_u128 a, __u32 v4[2])
{
	return gf_carried_ipv4(a >> 96, a >> 64, a >> 32, a, v4);
}

__u16 gf_classify_addr(int family, gf_u128 a, gf_lookup_fn lookup, const void *ctx,
		       const struct gf_policy *pol)
{
	__u32 v4[2];
	__u16 c, s;

	if (family == 4)
		return lookup(ctx, 4, a);
	switch (gf_carried(a, v4)) {
	case GF_CARRY_NONE:
		return lookup(ctx, 6, a);
	case GF_CARRY_TEREDO:
		c = lookup(ctx, 4, v4[0]);
		s = lookup(ctx, 4, v4[1]);
		if (pol && gf_action_rank(pol[s].action) > gf_action_rank(pol[c].action))
			return s;
		return c;
	default:
		return lookup(ctx, 4, v4[0]);
	}
}
