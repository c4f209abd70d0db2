// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "geofence.h"
#include "gf_guard.h"
#include "gf_ranges.h"

#define GUARD_HEADER "# geofence boot guard, classes mode"

/*
 * Runs cmd, or the file path when cmd is NULL (as nft -f does); its output
 * in out, its error text in err.  0, or -EIO.
 */
static int nft_run(const char *cmd, const char *path, char *out, size_t outlen, char *err, size_t errlen)
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
	rc = cmd ? nft_run_cmd_from_buffer(ctx, cmd) : nft_run_cmd_from_filename(ctx, path);
	o = nft_ctx_get_output_buffer(ctx);
	e = nft_ctx_get_error_buffer(ctx);
	if (out)
		snprintf(out, outlen, "%s", o ? o : "");
	if (rc) {
		if (cmd)
			snprintf(err, errlen, "nftables: %s", e && *e ? e : "failed");
		else
			snprintf(err, errlen, "nftables refused %s: %s", path, e && *e ? e : "failed");
		err[strcspn(err, "\n")] = 0;
	}
	nft_ctx_free(ctx);
	return rc ? -EIO : 0;
}

static int nft(const char *cmd, char *out, size_t outlen, char *err, size_t errlen)
{
	return nft_run(cmd, NULL, out, outlen, err, errlen);
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

int gf_guard_up_file(const char *path, char *err, size_t errlen)
{
	char line[128] = "";
	struct stat st;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "%s: %s (the agent writes it after every generation it installs "
			 "with guard.mode = \"classes\")", path, strerror(errno));
		return -errno;
	}
	/* a file anyone but root could have written decides nothing */
	if (fstat(fileno(f), &st) || st.st_uid != 0 || (st.st_mode & 022)) {
		fclose(f);
		snprintf(err, errlen, "%s: not owned by root or writable by others: ignored", path);
		return -EPERM;
	}
	if (!fgets(line, sizeof(line), f) || strncmp(line, GUARD_HEADER, strlen(GUARD_HEADER))) {
		fclose(f);
		snprintf(err, errlen, "%s: not a guard file written by geofenced", path);
		return -EINVAL;
	}
	fclose(f);
	return nft_run(NULL, path, NULL, 0, err, errlen);
}

static int dropped_action(const struct gf_policy *pol, __u16 cls)
{
	__u8 a = pol[cls < GF_NUM_CLASSES ? cls : GF_CLASS_UNKNOWN].action;

	return a == GF_ACT_DROP || a == GF_ACT_REDIRECT;
}

/* the merged dropped intervals of one family, in lines of up to 512 */
static size_t write_set(FILE *f, const char *set, const struct gf_rs *rs, const struct gf_policy *pol)
{
	size_t n = 0, inline_n = 0;
	char a[64], b[64];

	for (size_t i = 0; i < rs->n; i++) {
		gf_u128 first = rs->v[i].first, last = rs->v[i].last;

		if (!dropped_action(pol, rs->v[i].cls))
			continue;
		/* adjacent dropped ranges, whatever their class, are one interval */
		while (i + 1 < rs->n && rs->v[i + 1].first == last + 1 && dropped_action(pol, rs->v[i + 1].cls))
			last = rs->v[++i].last;
		if (!inline_n)
			fprintf(f, "add element inet " GF_GUARD_TABLE " %s { ", set);
		fprintf(f, "%s%s-%s", inline_n ? ", " : "", gf_addr_str(rs->family, first, a, sizeof(a)),
			gf_addr_str(rs->family, last, b, sizeof(b)));
		n++;
		if (++inline_n == 512) {
			fputs(" }\n", f);
			inline_n = 0;
		}
	}
	if (inline_n)
		fputs(" }\n", f);
	return n;
}

int gf_guard_write(const char *path, const struct gf_rs *all4, const struct gf_rs *all6,
		   const struct gf_policy *pol, const char *what, size_t *elements)
{
	char tmp[4096];
	size_t n;
	FILE *f;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	fprintf(f, GUARD_HEADER ": %s\n"
		"# geofence guard up loads it at boot (geofence-guard.service); do not edit\n"
		"add table inet " GF_GUARD_TABLE "\n"
		"flush table inet " GF_GUARD_TABLE "\n"
		"add chain inet " GF_GUARD_TABLE " forward { type filter hook forward priority -400; "
		"policy accept; comment \"geofence boot guard (classes): what the last policy dropped, "
		"until geofenced enforces\"; }\n"
		"add set inet " GF_GUARD_TABLE " drop4 { type ipv4_addr; flags interval; }\n"
		"add set inet " GF_GUARD_TABLE " drop6 { type ipv6_addr; flags interval; }\n", what);
	n = write_set(f, "drop4", all4, pol);
	n += write_set(f, "drop6", all6, pol);
	fprintf(f, "add rule inet " GF_GUARD_TABLE " forward ip option lsrr exists counter drop\n"
		"add rule inet " GF_GUARD_TABLE " forward ip option ssrr exists counter drop\n"
		"add rule inet " GF_GUARD_TABLE " forward exthdr rt exists counter drop\n"
		"add rule inet " GF_GUARD_TABLE " forward ip6 daddr { 64:ff9b::/96, 64:ff9b:1::/48, "
		"2002::/16, 2001::/32, ::ffff:0:0/96 } counter drop\n"
		"add rule inet " GF_GUARD_TABLE " forward ip daddr @drop4 counter drop\n"
		"add rule inet " GF_GUARD_TABLE " forward ip6 daddr @drop6 counter drop\n");
	if (fflush(f) || fsync(fd))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	if (elements)
		*elements = n;
	return err;
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
	char out[16384], *p;

	/* the chain, not the table: the table lists every element of the sets */
	if (nft("list chain inet " GF_GUARD_TABLE " forward\n", out, sizeof(out), err, errlen))
		return strstr(err, "No such file") ? 0 : -EIO;
	if (dropped)
		for (*dropped = 0, p = out; (p = strstr(p, "packets ")); p += 8)
			*dropped += strtoull(p + 8, NULL, 10);
	return strstr(out, "@drop4") ? GF_GUARD_CLASSES : GF_GUARD_ALL;
}
