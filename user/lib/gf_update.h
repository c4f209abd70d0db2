/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fresh GeoIP data (`geofence update`): fetch update.url over HTTPS only
 * (libcurl; update.ca_file for an internal mirror), check its SHA-256
 * (update.sha256, or the first word of update.sha256_url), unpack a gzip,
 * validate it as a reload would (the sources load with it, the data sanity
 * check against the running data passes, it is not older than the data it
 * replaces), and rename it over update.path, which is one of the agent's
 * geoip.sources: the agent sees the rename and reloads.  Anything wrong:
 * the temporary file is removed and the installed one is untouched.
 */
#ifndef GF_UPDATE_H
#define GF_UPDATE_H

#include <json-c/json.h>
#include <stdint.h>
#include "gf_agent_state.h"
#include "gf_config.h"

struct gf_update_result {
	char sha256[65];		/* of the file installed */
	long long bytes, downloaded;	/* installed, and as served (a .gz) */
	uint64_t build_epoch, networks;
	double seconds;
	char note[256];			/* a shrink the sanity check let in, if any */
};

/*
 * state: the agent's state.json (its coverage and sources), or NULL when
 * no agent runs.  0; or -EBADMSG with err for a download that is not
 * usable (bad checksum, not a database, fails the sanity check, older);
 * or another -errno (network, disk) with err.
 */
int gf_update_run(const struct gf_config *c, const struct gf_agent_state *state, struct gf_update_result *r, char *err,
		  size_t errlen);

#endif
