// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <json-c/json.h>
#include "gf_flows.h"
#include "gf_names.h"
#include "gf_ranges.h"

int gf_flows_read(int fd, struct gf_flow **out, size_t *n)
{
	struct bpf_map_info info = { 0 };
	__u32 ilen = sizeof(info), batch = 4096, token = 0;
	struct gf_flow_key *keys;
	struct gf_flow_val *vals;
	struct gf_flow *f;
	size_t cap, got = 0;
	int first = 1, err = 0;

	*out = NULL;
	*n = 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &ilen))
		return -errno;
	cap = info.max_entries + batch;
	f = malloc(cap * sizeof(*f));
	keys = malloc(batch * sizeof(*keys));
	vals = malloc(batch * sizeof(*vals));
	if (!f || !keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		LIBBPF_OPTS(bpf_map_batch_opts, o);
		__u32 count = batch;
		int rc = bpf_map_lookup_batch(fd, first ? NULL : &token, &token, keys, vals, &count, &o);

		first = 0;
		if (rc && errno != ENOENT) {
			err = -errno;
			break;
		}
		for (__u32 i = 0; i < count && got < cap; i++)
			f[got++] = (struct gf_flow){ keys[i], vals[i] };
		if (rc)
			break;	/* ENOENT: the last batch */
	}
out:
	free(keys);
	free(vals);
	if (err) {
		free(f);
		return err;
	}
	*out = f;
	*n = got;
	return 0;
}

/* An order of keys: word by word, not memcmp's (a call per compare is what a million-entry sort spent its time on) */
int gf_flows_cmp(const struct gf_flow_key *a, const struct gf_flow_key *b)
{
	_Static_assert(sizeof(struct gf_flow_key) == 6 * sizeof(__u64), "gf_flow_key is 6 words");
	for (int i = 0; i < 6; i++) {
		__u64 x, y;

		memcpy(&x, (const char *)a + 8 * i, 8);
		memcpy(&y, (const char *)b + 8 * i, 8);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	return gf_flows_cmp(a, b);
}

void gf_flows_sort(struct gf_flow *f, size_t n)
{
	qsort(f, n, sizeof(*f), key_cmp);
}

const struct gf_flow *gf_flows_find(const struct gf_flow *f, size_t n, const struct gf_flow_key *k)
{
	return bsearch(k, f, n, sizeof(*f), key_cmp);
}

long long gf_flows_wall_ms(__u64 mono_ns)
{
	struct timespec real, mono;
	long long now_ns;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	now_ns = (long long)mono.tv_sec * 1000000000ll + mono.tv_nsec;
	return ((long long)real.tv_sec * 1000000000ll + real.tv_nsec - (now_ns - (long long)mono_ns)) / 1000000;
}

const char *gf_flows_addr(int family, const __u32 *a, char *buf, size_t len)
{
	if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, a, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

static json_object *obj_at(json_object *root, const char *a, const char *b)
{
	json_object *x, *y;

	if (!json_object_object_get_ex(root, a, &x)) {
		x = json_object_new_object();
		json_object_object_add(root, a, x);
	}
	if (!b)
		return x;
	if (!json_object_object_get_ex(x, b, &y)) {
		y = json_object_new_object();
		json_object_object_add(x, b, y);
	}
	return y;
}

const char *gf_flows_transport(int p)
{
	switch (p) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "ipv6-icmp";
	case 132: return "sctp";
	default: return NULL;
	}
}

char *gf_flow_event_ecs(const struct gf_flow_event *e, const char *ifname, const char *hostname)
{
	const struct gf_flow_key *k = &e->key;
	json_object *o = json_object_new_object(), *ev, *cat, *type, *x;
	char a[64], ts[96], cc[32];
	long long ms = gf_flows_wall_ms(e->ts_ns);
	time_t sec = ms / 1000;
	struct tm tm;
	char *line;

	gmtime_r(&sec, &tm);
	strftime(a, sizeof(a), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts, sizeof(ts), "%s.%03lldZ", a, ms % 1000);
	json_object_object_add(o, "@timestamp", json_object_new_string(ts));
	ev = obj_at(o, "event", NULL);
	json_object_object_add(ev, "kind", json_object_new_string("event"));
	cat = json_object_new_array();
	json_object_array_add(cat, json_object_new_string("network"));
	json_object_object_add(ev, "category", cat);
	type = json_object_new_array();
	json_object_array_add(type, json_object_new_string(k->verdict == GF_VERDICT_DROP ? "denied" :
							   k->verdict == GF_VERDICT_MONITOR ? "info" : "connection"));
	json_object_object_add(ev, "type", type);
	json_object_object_add(ev, "action", json_object_new_string(gf_verdict_name(k->verdict)));
	json_object_object_add(ev, "module", json_object_new_string("geofence"));
	json_object_object_add(ev, "dataset", json_object_new_string("geofence.flow"));
	x = obj_at(o, "source", NULL);
	json_object_object_add(x, "ip", json_object_new_string(gf_flows_addr(k->family, k->src, a, sizeof(a))));
	if (k->sport)
		json_object_object_add(x, "port", json_object_new_int(k->sport));
	x = obj_at(o, "destination", NULL);
	json_object_object_add(x, "ip", json_object_new_string(gf_flows_addr(k->family, k->dst, a, sizeof(a))));
	if (k->dport)
		json_object_object_add(x, "port", json_object_new_int(k->dport));
	gf_class_name(k->cls, cc, sizeof(cc));
	if (k->cls >= GF_CLASS_COUNTRY_BASE && k->cls < GF_CLASS_COUNTRY_END)
		json_object_object_add(obj_at(o, "destination", "geo"), "country_iso_code", json_object_new_string(cc));
	else
		json_object_object_add(obj_at(o, "geofence", NULL), "class", json_object_new_string(cc));
	x = obj_at(o, "network", NULL);
	if (gf_flows_transport(k->l4_proto))
		json_object_object_add(x, "transport", json_object_new_string(gf_flows_transport(k->l4_proto)));
	else
		json_object_object_add(x, "iana_number", json_object_new_string((snprintf(a, sizeof(a), "%u",
											   k->l4_proto), a)));
	json_object_object_add(x, "type", json_object_new_string(k->family == 4 ? "ipv4" : "ipv6"));
	if (k->vlan)
		json_object_object_add(obj_at(o, "network", "vlan"), "id",
				       json_object_new_string((snprintf(a, sizeof(a), "%u", k->vlan), a)));
	x = obj_at(o, "observer", NULL);
	json_object_object_add(x, "product", json_object_new_string("geofence"));
	json_object_object_add(x, "type", json_object_new_string("firewall"));
	if (hostname)
		json_object_object_add(x, "hostname", json_object_new_string(hostname));
	x = obj_at(obj_at(o, "observer", k->hook == GF_HOOK_XDP ? "ingress" : "egress"), "interface", NULL);
	if (ifname)
		json_object_object_add(x, "name", json_object_new_string(ifname));
	json_object_object_add(x, "id", json_object_new_string((snprintf(a, sizeof(a), "%u", k->ifindex), a)));
	json_object_object_add(obj_at(o, "geofence", NULL), "hook", json_object_new_string(gf_hook_name(k->hook)));
	json_object_object_add(obj_at(o, "geofence", NULL), "bytes", json_object_new_int64(e->pkt_len));
	line = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return line;
}
