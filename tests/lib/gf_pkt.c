// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <string.h>
#include <bpf/bpf.h>
#include "gf_pkt.h"

void gf_pkt_spec_init(struct gf_pkt_spec *s, int family, const char *dst)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	s->ip_version = s->ihl = s->tot_len = s->payload_len_field = -1;
	s->l4_proto = IPPROTO_UDP;
	s->payload_len = 32;
	if (family == 4) {
		inet_pton(AF_INET, "192.168.1.10", s->src);
		if (dst)
			inet_pton(AF_INET, dst, s->dst);
	} else if (family == 6) {
		inet_pton(AF_INET6, "fd00::10", s->src);
		if (dst)
			inet_pton(AF_INET6, dst, s->dst);
	}
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static __u16 csum(const __u8 *p, size_t n)
{
	__u32 s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static size_t put_l4(const struct gf_pkt_spec *s, __u8 *p)
{
	size_t hl = s->l4_proto == IPPROTO_TCP ? 20 : 8;

	memset(p, 0, hl + s->payload_len);
	put16(p, 40000);
	put16(p + 2, s->dport ? s->dport : s->l4_proto == IPPROTO_TCP ? 443 : 53);
	if (s->l4_proto == IPPROTO_TCP) {
		p[12] = 5 << 4;
		p[13] = 0x02;	/* SYN */
		put16(p + 14, 65535);
	} else {
		put16(p + 4, hl + s->payload_len);
	}
	for (int i = 0; i < s->payload_len; i++)
		p[hl + i] = s->payload ? s->payload[i] : 'a' + i % 26;
	return hl + s->payload_len;
}

/* Ethernet and the VLAN tags the spec asks for: the offset of the L3 header. */
static size_t put_l2(const struct gf_pkt_spec *s, __u8 *d)
{
	__u16 et = s->ethertype ? s->ethertype : s->family == 4 ? ETH_P_IP : s->family == 6 ? ETH_P_IPV6 : 0x88b5;
	size_t off = 12;

	/* dst 02:00:00:00:00:02, src 02:00:00:00:00:01 */
	d[0] = 0x02, d[5] = 0x02, d[6] = 0x02, d[11] = 0x01;
	for (int i = 0; i < s->nvlan; i++) {
		put16(d + off, s->vlan_proto[i] ? s->vlan_proto[i] : 0x8100);
		put16(d + off + 2, s->vlan_id[i] ? s->vlan_id[i] : 100 + i);
		off += 4;
	}
	put16(d + off, et);
	return off + 2;
}

static int put_ipv4(const struct gf_pkt_spec *s, struct gf_pkt *p, size_t off)
{
	__u8 *ip = p->data + off;
	size_t hl = 20 + s->opt_len, l4len, i;

	if (s->opt_len % 4 || s->opt_len > 40)
		return -EINVAL;
	ip[0] = ((s->ip_version >= 0 ? s->ip_version : 4) << 4) | ((s->ihl >= 0 ? s->ihl : (int)hl / 4) & 0xf);
	put16(ip + 4, 0x1234);
	put16(ip + 6, (s->more_frags ? 0x2000 : 0) | (s->frag_off & 0x1fff));
	ip[8] = 64;
	ip[9] = s->l4_proto;
	memcpy(ip + 12, s->src, 4);
	memcpy(ip + 16, s->dst, 4);
	for (i = 0; i < (size_t)s->opt_len; i++)
		ip[20 + i] = 1;	/* NOP options */
	for (i = 0; i < sizeof(s->opt) && !s->opt[i]; i++)
		;
	if (i < sizeof(s->opt))
		memcpy(ip + 20, s->opt, s->opt_len);
	p->l3_end = off + 20;
	p->opt_end = off + hl;
	p->l4_off = off + hl;
	l4len = put_l4(s, ip + hl);
	put16(ip + 2, s->tot_len >= 0 ? s->tot_len : (int)(hl + l4len));
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, hl));
	p->len = off + hl + l4len;
	return 0;
}

/* One IPv6 extension header at h, next header nh: its length. */
static size_t put_ext(const struct gf_ext *e, __u8 *h, __u8 nh, size_t room)
{
	__u8 units = e->len_units;
	size_t hl;

	if (e->type == IPPROTO_ROUTING && e->nseg && !units)
		units = 2 * e->nseg;
	hl = e->type == IPPROTO_FRAGMENT ? 8 : e->type == IPPROTO_AH ? (units + 2) * 4 : (units + 1) * 8;
	if (hl > room)
		return 0;
	memset(h, 0, hl);
	h[0] = nh;
	if (e->type == IPPROTO_FRAGMENT) {
		put16(h + 2, (e->frag_off << 3) | (e->more ? 1 : 0));
		h[7] = 0x42;
	} else if (e->type == IPPROTO_ROUTING) {
		h[1] = units;
		h[2] = e->rt_type;
		h[3] = e->segs_left;
		h[4] = e->nseg ? e->nseg - 1 : 0;	/* SRH: last entry */
		for (int k = 0; k < e->nseg && 8 + 16 * (size_t)k + 16 <= hl; k++)
			memcpy(h + 8 + 16 * k, e->seg[k], 16);
	} else {
		h[1] = units;
		if (e->type != IPPROTO_AH && hl > 2) {
			h[2] = 1;	/* PadN over the rest */
			h[3] = hl - 4;
		}
	}
	return hl;
}

static int put_ipv6(const struct gf_pkt_spec *s, struct gf_pkt *p, size_t off)
{
	__u8 *d = p->data, *ip = d + off;
	size_t pos = off + 40;

	ip[0] = (s->ip_version >= 0 ? s->ip_version : 6) << 4;
	ip[6] = s->next ? s->ext[0].type : s->l4_proto;
	ip[7] = 64;
	memcpy(ip + 8, s->src, 16);
	memcpy(ip + 24, s->dst, 16);
	p->l3_end = off + 40;
	for (int i = 0; i < s->next; i++) {
		__u8 nh = i + 1 < s->next ? s->ext[i + 1].type : s->l4_proto;
		size_t hl = put_ext(&s->ext[i], d + pos, nh, GF_PKT_MAX - 128 - pos);

		if (!hl)
			return -E2BIG;
		p->ext_off[i] = pos;
		p->ext_end[i] = pos + hl;
		pos += hl;
	}
	p->l4_off = pos;
	pos += put_l4(s, d + pos);
	put16(ip + 4, s->payload_len_field >= 0 ? s->payload_len_field : (int)(pos - (off + 40)));
	p->len = pos;
	return 0;
}

int gf_pkt_build(const struct gf_pkt_spec *s, struct gf_pkt *p)
{
	size_t off;
	int err = 0;

	memset(p, 0, sizeof(*p));
	off = put_l2(s, p->data);
	p->l3_off = off;
	if (s->family == 4) {
		err = put_ipv4(s, p, off);
	} else if (s->family == 6) {
		err = put_ipv6(s, p, off);
	} else {
		memset(p->data + off, 0xab, 46);
		p->len = off + 46;
	}
	if (p->len < 60)
		p->len = 60;	/* Ethernet minimum, zero padded */
	return err;
}

int gf_pkt_add_srr(struct gf_pkt_spec *s, int type, int ptr, const char *const *hops, int n)
{
	int len = 3 + 4 * n;

	if (s->family != 4 || len > 40 || n < 0)
		return -EINVAL;
	memset(s->opt, 1, sizeof(s->opt));	/* NOPs after the option */
	s->opt[0] = type;
	s->opt[1] = len;
	s->opt[2] = ptr > 0 ? ptr : 4;
	for (int i = 0; i < n; i++)
		if (inet_pton(AF_INET, hops[i], s->opt + 3 + 4 * i) != 1)
			return -EINVAL;
	s->opt_len = (len + 3) / 4 * 4;
	return 0;
}

int gf_pkt_add_rh(struct gf_pkt_spec *s, int rt_type, int segs_left, const char *const *segs,
		  int n)
{
	struct gf_ext *e;

	if (s->family != 6 || s->next >= 10 || n > GF_PKT_MAX_SEGS || n < 0)
		return -EINVAL;
	e = &s->ext[s->next];
	memset(e, 0, sizeof(*e));
	e->type = IPPROTO_ROUTING;
	e->rt_type = rt_type;
	e->segs_left = segs_left;
	e->nseg = n;
	for (int i = 0; i < n; i++)
		if (inet_pton(AF_INET6, segs[i], e->seg[i]) != 1)
			return -EINVAL;
	s->next++;
	return 0;
}

int gf_pkt_run(int prog_fd, int tc, const void *data, size_t len, int repeat, __u32 *retval)
{
	struct xdp_md xctx = { .data_end = len, .ingress_ifindex = 1 };
	struct __sk_buff skb = { .ifindex = 1 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = len, .repeat = repeat);

	o.ctx_in = tc ? (void *)&skb : (void *)&xctx;
	o.ctx_size_in = tc ? sizeof(skb) : sizeof(xctx);
	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -errno;
	*retval = o.retval;
	return 0;
}
