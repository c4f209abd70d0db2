/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference answer for reader tests: the country class libmaxminddb
 * itself gives an address (MMDB_lookup_sockaddr), with the reader's rule
 * country.iso_code, then (if fallback) registered_country.iso_code.
 */
#ifndef GF_MMDB_REF_H
#define GF_MMDB_REF_H

#include <maxminddb.h>
#include "gf_ranges.h"

/* 0 when the database has no country for the address */
int gf_mmdb_ref_class(const MMDB_s *db, int family, gf_u128 addr, int fallback);

#endif
