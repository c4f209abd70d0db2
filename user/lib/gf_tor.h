/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tor's geoip/geoip6 range files, as shipped by Debian's tor-geoipdb
 * (IPFire location data, CC BY-SA 4.0):
 *   IPv4: "FIRST,LAST,CC" with FIRST/LAST as decimal integers
 *   IPv6: "FIRST,LAST,CC" with FIRST/LAST as IPv6 addresses
 * "??" (and anything that is not a country code) means no data: the range
 * is left out and its addresses classify as unknown.
 */
#ifndef GF_TOR_H
#define GF_TOR_H

#include "gf_ranges.h"

#define GF_TOR_GEOIP4 "/usr/share/tor/geoip"
#define GF_TOR_GEOIP6 "/usr/share/tor/geoip6"

/*
 * Append the file's ranges to rs (family decides the format).  On a bad
 * line returns -EINVAL and writes "FILE:LINE: what" into err.
 */
int gf_tor_load(const char *path, struct gf_rs *rs, char *err, size_t errlen);

#endif
