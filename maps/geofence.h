/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Types and map layouts shared by the BPF datapath (bpf/) and userspace
 * (user/).  Defined once, here; both sides include this file.
 *
 * Every struct uses fixed-width types, explicit padding and a size assertion
 * so that the two compilers (clang -target bpf, gcc/clang for the host) can
 * never disagree on a layout.
 */
#ifndef GEOFENCE_MAPS_H
#define GEOFENCE_MAPS_H

#include <linux/types.h>


/* ---------------------------------------------------------------------
 * Classes: what a destination address maps to.  A 16-bit id indexes the
 * policy and the counters.  Countries have fixed ids derived from their
 * two-character code, so counters keep their meaning across reloads.
 */
#define GF_CLASS_UNKNOWN	0	/* no data for this address */
#define GF_CLASS_RESERVED	1	/* private/special-use space, passes by default */
/*
 * Source-routed packets (IPv4 LSRR/SSRR, IPv6 routing headers) when the
 * policy drops them all (policy.source_route = "drop").  Its policy row's
 * action says which: pass means "classify by every hop of the route".
 */
#define GF_CLASS_SOURCE_ROUTED	2
#define GF_CLASS_COUNTRY_BASE	16	/* + gf_cc_index("DE") */
#define GF_CC_ALPHABET		36	/* A-Z then 0-9 */
#define GF_CLASS_COUNTRY_END	(GF_CLASS_COUNTRY_BASE + GF_CC_ALPHABET * GF_CC_ALPHABET)
#define GF_CLASS_OVERRIDE_BASE	2048	/* operator overrides: one class each */
#define GF_NUM_CLASSES		4096
#define GF_MAX_OVERRIDES	(GF_NUM_CLASSES - GF_CLASS_OVERRIDE_BASE)

_Static_assert(GF_CLASS_COUNTRY_END <= GF_CLASS_OVERRIDE_BASE, "class id ranges overlap");

/* Two generations of tables and policy; packets read the active one. */
#define GF_GENERATIONS		2

/* ---------------------------------------------------------------------
 * Actions (the policy) and verdicts (what happened, the counter column).
 */
enum gf_action {
	GF_ACT_PASS = 0,
	GF_ACT_DROP = 1,
	GF_ACT_REDIRECT = 2,	/* to policy.redirect_slot (XDP) / redirect_ifindex (tc) */
	GF_ACT_MONITOR = 3,	/* pass, counted as "would drop" */
	GF_ACT_MAX
};

enum gf_verdict {
	GF_VERDICT_PASS = 0,
	GF_VERDICT_DROP = 1,
	GF_VERDICT_REDIRECT = 2,
	GF_VERDICT_MONITOR = 3,	/* passed; policy said drop, dry run */
	GF_VERDICT_MAX
};

/* Hooks: the counters keep XDP and tc apart. */
enum gf_hook {
	GF_HOOK_XDP = 0,
	GF_HOOK_TC = 1,
	GF_HOOK_MAX
};

/*
 * Per-reason counters: parse events that are not a class.  The names in
 * user/lib/gf_names.c map 1:1 to a metrics label.  Reasons below
 * GF_REASON_FIRST_MALFORMED are informational (the packet continues);
 * the rest are malformed packets, which are dropped.
 */
enum gf_reason {
	GF_REASON_ARP = 0,		/* passed */
	GF_REASON_NON_IP,		/* other ethertypes; passed */
	GF_REASON_VLAN,			/* one 802.1Q/802.1ad tag */
	GF_REASON_QINQ,			/* two tags */
	GF_REASON_IPV4_OPTIONS,
	GF_REASON_FRAGMENT,		/* IPv4 or IPv6 fragment (classified all the same) */
	GF_REASON_IPV4_EMBEDDED,	/* NAT64, 6to4, Teredo, mapped: classified by the IPv4 inside */
	GF_REASON_SOURCE_ROUTE,		/* LSRR/SSRR or routing header: classified by every hop */
	GF_REASON_REDIRECT_FAIL,	/* no device in the redirect slot: dropped */
	GF_REASON_SAMPLED,		/* a payload sample went to the agent */
	GF_REASON_SAMPLE_LOST,		/* the sample ring was full: skipped, the packet went on */
	GF_REASON_SAMPLE_CAPPED,	/* past the CPU's sample budget: skipped, the packet went on */
	GF_REASON_FLOW_NEW,		/* a new entry in gf_flows */
	GF_REASON_FLOW_EVENT_LOST,	/* its event did not fit the event ring: the SIEM misses it */
	GF_REASON_FLOW_SKIPPED,		/* a new flow past the CPU's flow budget: not recorded, the packet went on */
	GF_REASON_FIRST_MALFORMED,
	GF_REASON_TRUNC_ETH = GF_REASON_FIRST_MALFORMED,
	GF_REASON_TRUNC_VLAN,
	GF_REASON_VLAN_DEPTH,		/* three or more tags */
	GF_REASON_TRUNC_IPV4,
	GF_REASON_IPV4_VERSION,
	GF_REASON_IPV4_IHL,		/* ihl < 5 */
	GF_REASON_TRUNC_IPV4_OPTIONS,
	GF_REASON_IPV4_TOTLEN,		/* tot_len < header or > frame */
	GF_REASON_TRUNC_IPV6,
	GF_REASON_IPV6_VERSION,
	GF_REASON_IPV6_PAYLOAD_LEN,	/* payload_len > frame */
	GF_REASON_TRUNC_IPV6_EXT,
	GF_REASON_IPV6_EXT_LIMIT,	/* more than GF_IPV6_MAX_EXT headers: one could route it */
	GF_REASON_SOURCE_ROUTE_INVALID,	/* a route geofence cannot follow to its end */
	GF_REASON_MAX
};

#define GF_IPV6_MAX_EXT		6
#define GF_MAX_VLAN		2
/* hops of an IPv6 routing header the datapath classifies; more: invalid */
#define GF_ROUTE_MAX		16

/* ---------------------------------------------------------------------
 * Maps.
 */

/*
 * The layout of the pinned maps: their types, sizes and the meaning of
 * their entries (the table encoding, the class ids, the reason list).
 * Bump it with any change to them; the agent then migrates a running
 * datapath (new maps, filled, programs swapped in one step) instead of
 * reusing maps that the new programs would misread.  Pins written before
 * the layout was recorded read as layout 0.
 *
 * GF_LAYOUT_TEST (make LAYOUT_TEST=1, for the upgrade test only) builds
 * another layout: a wider policy entry and another number.
 */
#ifndef GF_LAYOUT_TEST
#define GF_LAYOUT		3	/* 2: gf_flows, gf_flow_events, the flow reasons; 3: scopes */
#else
#define GF_LAYOUT		1001
#endif

/* gf_state: one entry.  active_gen is the single index that flips. */
struct gf_state {
	__u32 active_gen;	/* 0 or 1 */
	__u32 sample_budget;	/* samples per CPU per 2^GF_SAMPLE_WINDOW_SHIFT ns; 0: no limit */
	__u64 seq;		/* bumped by every flip, for status output */
	__u32 layout;		/* GF_LAYOUT of the build that made the maps */
	__u32 flow_budget;	/* new gf_flows entries per CPU per window (as sample_budget); 0: no limit */
	__u8 scopes[2];		/* per generation: GF_SCOPE_* selectors it has; 0: one policy for all */
	__u8 pad[6];
};
_Static_assert(sizeof(struct gf_state) == 32, "gf_state layout");

/* ---------------------------------------------------------------------
 * Scopes: policies by source.  Scope 0 is the default policy; a packet
 * whose source matches a named scope's selector is judged by that scope's
 * policy row.  The most specific selector wins: the longest source prefix,
 * then the outer VLAN id, then the interface it arrived on (XDP).  The
 * datapath looks a source up only in a generation that has selectors
 * (gf_state.scopes), so a policy without scopes pays one load and a test.
 */
#define GF_SCOPE_BITS		4
#define GF_MAX_SCOPES		(1u << GF_SCOPE_BITS)	/* scope 0 (default) and 15 named */
#define GF_SCOPE_SRC4		0x01	/* gf_scope4 has entries */
#define GF_SCOPE_SRC6		0x02	/* gf_scope6 */
#define GF_SCOPE_VLAN		0x04	/* gf_scope_vlan */
#define GF_SCOPE_IFACE		0x08	/* gf_scope_iface */
#define GF_SCOPE_PREFIXES	4096	/* source prefixes per family and generation */
#define GF_SCOPE_IFACES		256	/* interfaces per generation */
#define GF_VLAN_IDS		4096

/* gf_scope4/6: LPM tries keyed by generation, then the source address. */
struct gf_scope_key4 {
	__u32 prefixlen;	/* 32 (the generation) + the source prefix's length */
	__u32 gen;		/* big-endian, as the trie compares bytes */
	__u32 addr;		/* network order */
};
struct gf_scope_key6 {
	__u32 prefixlen;
	__u32 gen;
	__u32 addr[4];
};

/*
 * gf_scope_pre4: per generation and IPv4 /16 of the source, one byte: 0 no
 * scope prefix touches the /16 (no trie lookup), 1..15 one scope's prefix
 * holds all of it, GF_SCOPE_TRIE a longer prefix lies inside it (look the
 * source up in gf_scope4).  64 bytes a line, 1024 lines a generation.
 */
#define GF_SCOPE_TRIE		0xff
#define GF_SCOPE_PRE_LINES	((1u << 16) / 64)
struct gf_scope_line {
	__u8 s[64];
};

/*
 * gf_scope_ifidx: [gen][ifindex] -> scope for ifindexes below
 * GF_SCOPE_IFIDX; larger ones go to the gf_scope_iface hash.
 */
#define GF_SCOPE_IFIDX		4096

/* gf_scope_iface: a hash of (generation, ifindex) -> scope. */
struct gf_scope_iface_key {
	__u32 gen;
	__u32 ifindex;
};

/*
 * gf_scope_stats: per-CPU counters of the named scopes' traffic, keyed by
 * GF_SCOPE_STATS_KEY.  gf_class_stats counts every packet (all scopes);
 * this map counts a named scope's again, so that the default scope's
 * share is the difference.  Entries are made on first use (no prealloc):
 * the bound is every key, the memory what traffic used.
 */
#define GF_SCOPE_STATS_KEY(hook, scope, cls) \
	(((hook) * GF_MAX_SCOPES + (scope)) * GF_NUM_CLASSES + (cls))
#define GF_SCOPE_STATS_MAX	(GF_HOOK_MAX * GF_MAX_SCOPES * GF_NUM_CLASSES)

/*
 * gf_policy: GF_GENERATIONS * GF_MAX_SCOPES * GF_NUM_CLASSES entries,
 * [gen][scope][class]: one row of classes per scope (GF_POLICY_ROW).
 */
#define GF_POLICY_ROW(gen, scope)	((gen) * GF_MAX_SCOPES + (scope))
#define GF_POL_FLOWS	0x01	/* this class's packets are recorded in gf_flows */
struct gf_policy {
	__u8 action;		/* enum gf_action */
	__u8 flags;		/* GF_POL_* */
	__u16 redirect_slot;	/* key in gf_redirect (devmap), XDP */
	__u32 redirect_ifindex;	/* same target for tc (no devmap there) */
	__u32 sample_rate;	/* 1-in-N payload samples of passed traffic, 0 = off */
	__u16 snaplen;		/* payload bytes per sample, <= GF_SAMPLE_MAX */
	__u16 pad2;
#ifdef GF_LAYOUT_TEST
	__u64 layout_test;	/* only to make the test layout differ */
#endif
};
#ifndef GF_LAYOUT_TEST
_Static_assert(sizeof(struct gf_policy) == 16, "gf_policy layout");
#else
_Static_assert(sizeof(struct gf_policy) == 24, "gf_policy layout (test build)");
#endif

/*
 * gf_samples: a ring buffer of payload samples of passed and monitored
 * traffic, for the agent's sensitive-data scanner.  A full ring skips the
 * sample (GF_REASON_SAMPLE_LOST), never the packet.
 */
#define GF_SAMPLE_MAX	1500		/* payload bytes a sample can carry */
#define GF_SAMPLE_WINDOW_SHIFT	20		/* the budget's window: 2^20 ns, about 1 ms */
#define GF_SAMPLE_BURST_WINDOWS	100		/* a burst of up to 100 windows' budget (~0.1 s) */
#define GF_SAMPLE_RING	(8u << 20)	/* ring bytes: ~5000 full samples */

struct gf_sample {
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u32 ifindex;		/* where the packet was seen */
	__u32 pkt_len;
	__u32 src[4], dst[4];	/* IPv4 in [0], network order */
	__u32 sample_rate;	/* the 1-in-N in force, to scale counts */
	__u16 cls;
	__u16 sport, dport;	/* host order; 0 without TCP/UDP */
	__u16 payload_len;	/* bytes in payload[] */
	__u8 hook;		/* GF_HOOK_XDP: from the LAN; GF_HOOK_TC: the gateway's own */
	__u8 family;
	__u8 l4_proto;
	__u8 tcp_flags;
	__u8 verdict;		/* GF_VERDICT_PASS or _MONITOR */
	__u8 pad[3];
	__u8 payload[GF_SAMPLE_MAX];
};
_Static_assert(sizeof(struct gf_sample) == 1568, "gf_sample layout");

#define GF_REDIRECT_SLOTS	64

/*
 * gf_flows: who sends what where.  An LRU hash shared by the CPUs, one
 * entry per flow of the classes whose policy row has GF_POL_FLOWS (every
 * action but pass, and passed traffic to the countries flows.countries
 * lists).  A full table evicts the least recently used flow; the class
 * counters are counted apart and stay exact.  The verdict is part of the
 * key: a flow whose verdict a reload changes is a new flow.
 */
#define GF_FLOWS_DEFAULT	(64u * 1024)	/* entries (the loader may size it) */

struct gf_flow_key {
	__u32 src[4], dst[4];	/* IPv4 in [0], network order */
	__u16 sport, dport;	/* host order; 0 without TCP/UDP or in a later fragment */
	__u16 cls;
	__u16 vlan;		/* the outer 802.1Q/802.1ad id, 0 for none */
	__u32 ifindex;		/* XDP: where it came in; tc: where it leaves */
	__u8 family, l4_proto, verdict, hook;
};
_Static_assert(sizeof(struct gf_flow_key) == 48, "gf_flow_key layout");

struct gf_flow_val {
	__u64 packets, bytes;		/* bytes: IP bytes, the frame less its Ethernet header and tags */
	__u64 first_ns, last_ns;	/* bpf_ktime_get_coarse_ns(): CLOCK_MONOTONIC, tick resolution */
};
_Static_assert(sizeof(struct gf_flow_val) == 32, "gf_flow_val layout");

/*
 * gf_flow_events: the first packet of each new flow whose verdict is not
 * pass, for the agent's SIEM events.  A full ring loses the event
 * (GF_REASON_FLOW_EVENT_LOST), never the packet or the flow.
 */
#define GF_FLOW_EVENT_RING	(256u << 10)	/* 4096 events */

struct gf_flow_event {
	struct gf_flow_key key;
	__u64 ts_ns;		/* bpf_ktime_get_coarse_ns() */
	__u32 pkt_len;		/* IP bytes, as the flow's */
	__u32 pad;
};
_Static_assert(sizeof(struct gf_flow_event) == 64, "gf_flow_event layout");

/* One packets/bytes pair. */
struct gf_counter {
	__u64 packets;
	__u64 bytes;
};

/* gf_class_stats: per-CPU, [hook][class] -> one cache line of counters. */
struct gf_class_counters {
	struct gf_counter v[GF_VERDICT_MAX];
};
_Static_assert(sizeof(struct gf_class_counters) == 64, "one cache line per class");

/* gf_reason_stats: per-CPU, [hook][reason]. */

/* ---------------------------------------------------------------------
 * Classification tables.  See docs/tables.md for the design and figures.
 *
 * Both families start with a direct table indexed by the top 16 bits of
 * the destination.  An entry (and an IPv6 leaf value) is either a class or
 * the root of a small static B+tree of 64-byte nodes, searched
 * branch-free inside the node:
 *
 *   bit 31 clear: class in bits 0..15
 *   bit 31 set:   tree; depth (internal levels) in bits 28..30, root node
 *                 index (absolute, in the gf_nodeN map) in bits 0..27
 */
#define GF_ENT_TREE		0x80000000u
#define GF_ENT_DEPTH_SHIFT	28
#define GF_ENT_DEPTH_MASK	0x7u
#define GF_ENT_NODE_MASK	0x0fffffffu
#define GF_ENT_CLASS_MASK	0xffffu

#define GF_TOP_BITS		16
#define GF_TOP_SIZE		(1u << GF_TOP_BITS)

/*
 * The direct tables are stored as 64-byte lines of 16 entries: array map
 * elements are rounded up to 8 bytes, so a map of __u32 values would take
 * twice the memory (and cache) and could not be written through mmap as a
 * flat __u32 array.
 */
#define GF_TOP_LINE		16
#define GF_TOP_LINES		(GF_TOP_SIZE / GF_TOP_LINE)

struct gf_top_line {
	__u32 ent[GF_TOP_LINE];
};
_Static_assert(sizeof(struct gf_top_line) == 64, "gf_top_line is one cache line");

/*
 * IPv4: the tree searches the low 16 bits of the address.  Keys are stored
 * as (boundary - 1), so that 0xffff pads a node ("greater than any
 * address") and "key <= x" is the sign of (stored - x).
 *
 * leaf:     15 keys, 1 unused slot, 16 classes: ranges [key[i-1], key[i])
 * internal: 31 keys, then the first child's index relative to the root;
 *           child c of the node is root + first + c.
 */
#define GF_N4_LEAF_KEYS		15
#define GF_N4_LEAF_VALS		16
#define GF_N4_INNER_KEYS	31
#define GF_N4_FANOUT		32
#define GF_V4_MAX_DEPTH		3	/* 32^3 * 16 > 65536 addresses of a /16 */

struct gf_node4 {
	union {
		struct {
			__u16 key[16];
			__u16 cls[GF_N4_LEAF_VALS];
		} leaf;
		struct {
			__u16 key[GF_N4_INNER_KEYS];
			__u16 first;
		} inner;
	};
};
_Static_assert(sizeof(struct gf_node4) == 64, "gf_node4 is one cache line");

/*
 * IPv6: the address below the top 16 bits is cut into 32-bit slices
 * (bits 16..47, 48..79, 80..111, 112..127 padded).  A tree searches one
 * slice; a leaf value that is itself a tree descends into the next slice
 * for that single slice value.  Keys are stored as (boundary - 1) with
 * 0xffffffff as padding.
 *
 * leaf:     7 keys, 1 unused slot, 8 values (class or next-slice tree)
 * internal: 15 keys, then the absolute index of the first child.
 */
#define GF_N6_LEAF_KEYS		7
#define GF_N6_LEAF_VALS		8
#define GF_N6_INNER_KEYS	15
#define GF_N6_FANOUT		16
#define GF_V6_SLICES		4
#define GF_V6_MAX_DEPTH		6	/* 16^6 * 8 > 2^32 */

struct gf_node6 {
	union {
		struct {
			__u32 key[8];
			__u32 val[GF_N6_LEAF_VALS];
		} leaf;
		struct {
			__u32 key[GF_N6_INNER_KEYS];
			__u32 first;
		} inner;
	};
};
_Static_assert(sizeof(struct gf_node6) == 64, "gf_node6 is one cache line");

/*
 * Default node capacities per generation (the loader may size them).  The
 * default world table needs about 34k IPv4 and 44k IPv6 nodes.
 */
#define GF_V4_NODES_DEFAULT	(64u * 1024)
#define GF_V6_NODES_DEFAULT	(96u * 1024)

#endif /* GEOFENCE_MAPS_H */
