// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "gf_names.h"

struct gf_country {
	char cc[3];
	const char *name;
};

#include "gf_iso3166.h"	/* generated from iso-codes: gf_iso3166[], sorted */

static const struct gf_country beyond_iso[] = {
	{ "AP", "Asia/Pacific region" },
	{ "EU", "Europe region" },
	{ "XK", "Kosovo" },
};

static int cc_cmp(const void *key, const void *elem)
{
	return strncmp(key, ((const struct gf_country *)elem)->cc, 2);
}

const char *gf_country_name(const char *cc)
{
	const struct gf_country *c;
	char up[3];

	if (!cc || !isalpha((unsigned char)cc[0]) || !isalpha((unsigned char)cc[1]) || cc[2])
		return NULL;
	up[0] = toupper((unsigned char)cc[0]);
	up[1] = toupper((unsigned char)cc[1]);
	up[2] = '\0';
	c = bsearch(up, gf_iso3166, sizeof(gf_iso3166) / sizeof(gf_iso3166[0]), sizeof(gf_iso3166[0]),
		    cc_cmp);
	if (!c)
		c = bsearch(up, beyond_iso, sizeof(beyond_iso) / sizeof(beyond_iso[0]),
			    sizeof(beyond_iso[0]), cc_cmp);
	return c ? c->name : NULL;
}

static const char *const reasons[GF_REASON_MAX] = {
	[GF_REASON_ARP] = "arp",
	[GF_REASON_NON_IP] = "non_ip",
	[GF_REASON_VLAN] = "vlan",
	[GF_REASON_QINQ] = "qinq",
	[GF_REASON_IPV4_OPTIONS] = "ipv4_options",
	[GF_REASON_FRAGMENT] = "fragment",
	[GF_REASON_IPV4_EMBEDDED] = "ipv4_embedded",
	[GF_REASON_SOURCE_ROUTE] = "source_route",
	[GF_REASON_REDIRECT_FAIL] = "redirect_fail",
	[GF_REASON_SAMPLED] = "sampled",
	[GF_REASON_SAMPLE_LOST] = "sample_lost",
	[GF_REASON_SAMPLE_CAPPED] = "sample_capped",
	[GF_REASON_FLOW_NEW] = "flow_new",
	[GF_REASON_FLOW_EVENT_LOST] = "flow_event_lost",
	[GF_REASON_FLOW_SKIPPED] = "flow_skipped",
	[GF_REASON_TRUNC_ETH] = "truncated_eth",
	[GF_REASON_TRUNC_VLAN] = "truncated_vlan",
	[GF_REASON_VLAN_DEPTH] = "vlan_depth",
	[GF_REASON_TRUNC_IPV4] = "truncated_ipv4",
	[GF_REASON_IPV4_VERSION] = "ipv4_version",
	[GF_REASON_IPV4_IHL] = "ipv4_ihl",
	[GF_REASON_TRUNC_IPV4_OPTIONS] = "truncated_ipv4_options",
	[GF_REASON_IPV4_TOTLEN] = "ipv4_tot_len",
	[GF_REASON_TRUNC_IPV6] = "truncated_ipv6",
	[GF_REASON_IPV6_VERSION] = "ipv6_version",
	[GF_REASON_IPV6_PAYLOAD_LEN] = "ipv6_payload_len",
	[GF_REASON_TRUNC_IPV6_EXT] = "truncated_ipv6_ext",
	[GF_REASON_IPV6_EXT_LIMIT] = "ipv6_ext_limit",
	[GF_REASON_SOURCE_ROUTE_INVALID] = "source_route_invalid",
};

static const char *const verdicts[GF_VERDICT_MAX] = {
	[GF_VERDICT_PASS] = "pass",
	[GF_VERDICT_DROP] = "drop",
	[GF_VERDICT_REDIRECT] = "redirect",
	[GF_VERDICT_MONITOR] = "monitor",
};

static const char *const actions[GF_ACT_MAX] = {
	[GF_ACT_PASS] = "pass",
	[GF_ACT_DROP] = "drop",
	[GF_ACT_REDIRECT] = "redirect",
	[GF_ACT_MONITOR] = "monitor",
};

static const char *const hooks[GF_HOOK_MAX] = {
	[GF_HOOK_XDP] = "xdp",
	[GF_HOOK_TC] = "tc",
};

#define NAME(tbl, i) ((i) < sizeof(tbl) / sizeof(*(tbl)) && (tbl)[i] ? (tbl)[i] : "invalid")

const char *gf_reason_name(unsigned int r)
{
	return NAME(reasons, r);
}

const char *gf_verdict_name(unsigned int v)
{
	return NAME(verdicts, v);
}

const char *gf_action_name(unsigned int a)
{
	return NAME(actions, a);
}

const char *gf_hook_name(unsigned int h)
{
	return NAME(hooks, h);
}

int gf_action_from_name(const char *name)
{
	for (unsigned int i = 0; i < GF_ACT_MAX; i++)
		if (!strcmp(actions[i], name))
			return i;
	return -1;
}
