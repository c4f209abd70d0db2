// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_guard.h"

/* Runs cmd; its error text (or output) in buf.  0, or -EIO. */
static int nft(const char *cmd, char *out, size_t outlen, char *err, size_t errlen)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *o, *e;
	int rc;

	if (!ctx) {
		snprintf(err, errlen, "cannot start libnftables");
		return -ENOMEM;
	}
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	rc = nft_run_cmd_from_buffer(ctx, cmd);
	o = nft_ctx_get_output_buffer(ctx);
	e = nft_ctx_get_error_buffer(ctx);
	if (out)
		snprintf(out, outlen, "%s", o ? o : "");
	if (rc) {
		snprintf(err, errlen, "nftables: %s", e && *e ? e : "failed");
		err[strcspn(err, "\n")] = 0;
	}
	nft_ctx_free(ctx);
	return rc ? -EIO : 0;
}

int gf_guard_up(char *err, size_t errlen)
{
	/* one transaction: the table appears whole, at the earliest forward priority */
	return nft("add table inet " GF_GUARD_TABLE "\n"
		   "flush table inet " GF_GUARD_TABLE "\n"
		   "add chain inet " GF_GUARD_TABLE " forward { type filter hook forward priority -400; "
		   "policy drop; comment \"geofence boot guard: nothing forwarded until geofenced "
		   "enforces\"; }\n"
		   "add rule inet " GF_GUARD_TABLE " forward counter drop\n", NULL, 0, err, errlen);
}

int gf_guard_down(char *err, size_t errlen)
{
	char tmp[256];

	if (gf_guard_state(NULL, tmp, sizeof(tmp)) == 0)
		return 0;	/* no guard: nothing to lift */
	return nft("delete table inet " GF_GUARD_TABLE "\n", NULL, 0, err, errlen);
}

int gf_guard_state(unsigned long long *dropped, char *err, size_t errlen)
{
	char out[4096], *p;

	if (nft("list table inet " GF_GUARD_TABLE "\n", out, sizeof(out), err, errlen))
		return strstr(err, "No such file") ? 0 : -EIO;
	if (dropped) {
		p = strstr(out, "packets ");
		*dropped = p ? strtoull(p + 8, NULL, 10) : 0;
	}
	return 1;
}
