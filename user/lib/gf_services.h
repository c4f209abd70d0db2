/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The services contacted in each country, and how much of what was sampled
 * the scanner can read, from the payload samples (gf_peek): per class, the
 * sampled bytes by kind (readable, TLS, QUIC, opaque); per (class, name,
 * how it was read), the samples and bytes, first and last seen.  The names
 * table is bounded: past GF_SERVICES_MAX names the least seen goes, and is
 * counted.  Only names are kept, never other payload bytes.  Not locked:
 * gf_dlp_stats holds its lock around every call.
 */
#ifndef GF_SERVICES_H
#define GF_SERVICES_H

#include <json-c/json.h>
#include <time.h>
#include "gf_peek.h"

#define GF_SERVICES_MAX 2048

struct gf_services;

struct gf_services *gf_services_new(void);
/* A sample to class cls: what gf_peek said of it, and its payload bytes. */
void gf_services_add(struct gf_services *sv, unsigned cls, const struct gf_peek *pk, unsigned bytes, time_t now);
/* Into o: "payloads" (per class: bytes by kind, the unreadable share), "names", "names_evicted". */
void gf_services_json(const struct gf_services *sv, json_object *o);
void gf_services_free(struct gf_services *sv);

#endif
