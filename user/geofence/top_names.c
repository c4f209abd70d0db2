// SPDX-License-Identifier: GPL-2.0
/*
 * top --names: the services contacted in each country, from the agent's
 * payload samples (dlp.json "names": TLS and QUIC server names, HTTP
 * hosts), with how much of what was sampled there the scanner could read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gf_dlpstat.h"
#include "gf_services.h"
#include "gf_state.h"
#include "cli.h"

static int name_cmp(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
	int c = strcmp(gf_state_str(x, "class") ?: "", gf_state_str(y, "class") ?: "");

	if (c)
		return c;
	return gf_state_int(x, "samples") < gf_state_int(y, "samples") ? 1 :
	       gf_state_int(x, "samples") > gf_state_int(y, "samples") ? -1 : 0;
}

static json_object *share_of(json_object *payloads, const char *cls)
{
	for (size_t i = 0; payloads && i < json_object_array_length(payloads); i++) {
		json_object *e = json_object_array_get_idx(payloads, i);

		if (!strcmp(gf_state_str(e, "class") ?: "", cls))
			return e;
	}
	return NULL;
}

int top_names(const char *country, long long top)
{
	json_object *o, *names, *payloads = NULL, *out, *rows;
	json_object **v;
	size_t n, kept = 0;
	char first[64], last[64], prev[32] = "";
	long long per = 0;

	resolve_paths();
	o = gf_json_read(G.run_dir, GF_DLP_FILE);
	if (!o || !json_object_object_get_ex(o, "names", &names)) {
		fprintf(stderr, "geofence top --names: no names in %s/%s: is geofenced running with sampling on, "
				"and new enough? (geofence status)\n", G.run_dir, GF_DLP_FILE);
		json_object_put(o);
		return EXIT_SYSTEM;
	}
	json_object_object_get_ex(o, "payloads", &payloads);
	n = json_object_array_length(names);
	v = calloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(names, i);

		if (!country || !strcasecmp(gf_state_str(e, "class") ?: "", country))
			v[kept++] = e;
	}
	qsort(v, kept, sizeof(*v), name_cmp);
	out = json_object_new_object();
	rows = json_object_new_array();
	if (!G.json)
		printf("services in the payload samples (TLS/QUIC server names, HTTP hosts); the %lld most sampled "
		       "per country\n%-8s %-40s %-5s %8s %10s %10s  %-23s %s\n", top, "COUNTRY", "NAME", "VIA",
		       "SAMPLES", "BYTES", "UNREADABLE", "FIRST", "LAST");
	for (size_t i = 0; i < kept; i++) {
		const char *cls = gf_state_str(v[i], "class") ?: "";
		json_object *sh = share_of(payloads, cls);

		per = strcmp(prev, cls) ? 1 : per + 1;
		snprintf(prev, sizeof(prev), "%s", cls);
		if (per > top)
			continue;
		json_object_array_add(rows, json_object_get(v[i]));
		if (G.json)
			continue;
		printf("%-8s %-40s %-5s %8lld %10lld %9.0f%%  %-23s %s\n", cls, gf_state_str(v[i], "name"),
		       gf_state_str(v[i], "via"), gf_state_int(v[i], "samples"), gf_state_int(v[i], "bytes"),
		       sh ? 100 * json_object_get_double(json_object_object_get(sh, "unreadable_share")) : 0.0,
		       when(gf_state_int(v[i], "first"), first, sizeof(first)),
		       when(gf_state_int(v[i], "last"), last, sizeof(last)));
	}
	if (!G.json && !kept)
		printf("no names seen%s%s\n", country ? " to " : "", country ? country : "");
	if (!G.json && gf_state_int(o, "names_evicted") > 0)
		printf("(%lld names made room for others: the table keeps %d)\n", gf_state_int(o, "names_evicted"),
		       GF_SERVICES_MAX);
	json_object_object_add(out, "names", rows);
	json_object_object_add(out, "names_evicted", json_object_new_int64(gf_state_int(o, "names_evicted")));
	json_object_object_add(out, "payloads", json_object_get(payloads));
	if (G.json)
		cli_json_document(out);
	json_object_put(out);
	free(v);
	json_object_put(o);
	return 0;
}
