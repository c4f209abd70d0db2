// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geofence.h"
#include "gf_ranges.h"
#include "gf_services.h"

struct name_row {
	unsigned long long samples, bytes;
	time_t first, last;
	__u32 hash;
	__u16 cls;
	__u8 via;
	char name[GF_NAME_MAX];
};

struct gf_services {
	unsigned long long bytes[GF_NUM_CLASSES][GF_PAYLOAD_KINDS];
	struct name_row *rows;
	size_t n;
	unsigned long long evicted;
};

struct gf_services *gf_services_new(void)
{
	struct gf_services *sv = calloc(1, sizeof(*sv));

	if (sv && !(sv->rows = calloc(GF_SERVICES_MAX, sizeof(*sv->rows)))) {
		free(sv);
		sv = NULL;
	}
	return sv;
}

static __u32 fnv1a(const char *s)
{
	__u32 h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The row of (cls, via, name): found, a free one, or the least seen one's, replaced. */
static struct name_row *row_of(struct gf_services *sv, unsigned cls, const struct gf_peek *pk, __u32 h)
{
	struct name_row *least = NULL;

	for (size_t i = 0; i < sv->n; i++) {
		struct name_row *r = &sv->rows[i];

		if (r->hash == h && r->cls == cls && r->via == pk->via && !strcmp(r->name, pk->name))
			return r;
		if (!least || r->samples < least->samples || (r->samples == least->samples && r->last < least->last))
			least = r;
	}
	if (sv->n < GF_SERVICES_MAX)
		least = &sv->rows[sv->n++];
	else
		sv->evicted++;
	memset(least, 0, sizeof(*least));
	least->hash = h;
	least->cls = cls;
	least->via = pk->via;
	snprintf(least->name, sizeof(least->name), "%s", pk->name);
	return least;
}

void gf_services_add(struct gf_services *sv, unsigned cls, const struct gf_peek *pk, unsigned bytes, time_t now)
{
	struct name_row *r;

	if (cls >= GF_NUM_CLASSES || pk->kind >= GF_PAYLOAD_KINDS)
		return;
	sv->bytes[cls][pk->kind] += bytes;
	if (pk->via == GF_NAME_NONE || !pk->name[0])
		return;
	r = row_of(sv, cls, pk, fnv1a(pk->name));
	if (!r->samples)
		r->first = now;
	r->samples++;
	r->bytes += bytes;
	r->last = now;
}

void gf_services_json(const struct gf_services *sv, json_object *o)
{
	json_object *payloads = json_object_new_array(), *names = json_object_new_array();
	char cls[32];

	for (unsigned c = 0; c < GF_NUM_CLASSES; c++) {
		unsigned long long all = 0;
		json_object *e;

		for (int k = 0; k < GF_PAYLOAD_KINDS; k++)
			all += sv->bytes[c][k];
		if (!all)
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "class", json_object_new_string(gf_class_name(c, cls, sizeof(cls))));
		json_object_object_add(e, "bytes", json_object_new_int64(all));
		for (int k = 0; k < GF_PAYLOAD_KINDS; k++)
			json_object_object_add(e, gf_payload_kind_names[k], json_object_new_int64(sv->bytes[c][k]));
		json_object_object_add(e, "unreadable_share",
				       json_object_new_double((double)(all - sv->bytes[c][GF_PAYLOAD_READABLE]) / all));
		json_object_array_add(payloads, e);
	}
	for (size_t i = 0; i < sv->n; i++) {
		const struct name_row *r = &sv->rows[i];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "class", json_object_new_string(gf_class_name(r->cls, cls, sizeof(cls))));
		json_object_object_add(e, "name", json_object_new_string(r->name));
		json_object_object_add(e, "via", json_object_new_string(gf_name_via_names[r->via]));
		json_object_object_add(e, "samples", json_object_new_int64(r->samples));
		json_object_object_add(e, "bytes", json_object_new_int64(r->bytes));
		json_object_object_add(e, "first", json_object_new_int64(r->first));
		json_object_object_add(e, "last", json_object_new_int64(r->last));
		json_object_array_add(names, e);
	}
	json_object_object_add(o, "payloads", payloads);
	json_object_object_add(o, "names", names);
	json_object_object_add(o, "names_evicted", json_object_new_int64(sv->evicted));
}

void gf_services_free(struct gf_services *sv)
{
	if (!sv)
		return;
	free(sv->rows);
	free(sv);
}
