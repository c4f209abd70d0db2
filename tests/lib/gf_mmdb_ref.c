// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include "gf_mmdb_ref.h"

int gf_mmdb_ref_class(const MMDB_s *db, int family, gf_u128 a, int fallback)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;
	int err, cls = 0;

	if (family == 4) {
		s4.sin_addr.s_addr = htonl((__u32)a);
		res = MMDB_lookup_sockaddr(db, (struct sockaddr *)&s4, &err);
	} else {
		for (int b = 0; b < 16; b++)
			s6.sin6_addr.s6_addr[b] = a >> (120 - 8 * b);
		res = MMDB_lookup_sockaddr(db, (struct sockaddr *)&s6, &err);
	}
	/* an IPv4-only database has no answer for IPv6 */
	if (err != MMDB_SUCCESS || !res.found_entry)
		return 0;
	for (int k = 0; k < 1 + !!fallback && !cls; k++) {
		if (MMDB_get_value(&res.entry, &d, k ? "registered_country" : "country", "iso_code",
				   NULL) == MMDB_SUCCESS && d.has_data &&
		    d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size == 2) {
			char cc[3] = { d.utf8_string[0], d.utf8_string[1], 0 };

			cls = gf_class_from_cc(cc);
		}
	}
	return cls < 0 ? 0 : cls;
}
