// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "gf_flows.h"

int gf_flows_read(int fd, struct gf_flow **out, size_t *n)
{
	struct bpf_map_info info = { 0 };
	__u32 ilen = sizeof(info), batch = 256, token = 0;
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
	f = calloc(cap, sizeof(*f));
	keys = calloc(batch, sizeof(*keys));
	vals = calloc(batch, sizeof(*vals));
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

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct gf_flow_key));
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
