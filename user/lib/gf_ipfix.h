/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow records as IPFIX (RFC 7011) to one collector.  libfixbuf encodes
 * the messages (templates, records, sequence numbers, the export time);
 * the bytes go out on a non-blocking socket of our own, so that a
 * collector that is down or slow never blocks the caller: a message that
 * cannot be sent now is dropped and its records are counted as lost.
 *
 * Information elements: the standard ones where they exist (addresses,
 * ports, protocolIdentifier, octetDeltaCount, packetDeltaCount,
 * flowStart/EndMilliseconds, ingress/egressInterface, vlanId,
 * firewallEvent, flowEndReason); the destination country, geofence's
 * verdict, class and hook as enterprise elements under the documentation
 * PEN of RFC 5612 (32473).  docs/ipfix.md lists the templates.
 */
#ifndef GF_IPFIX_H
#define GF_IPFIX_H

#include <stddef.h>
#include <stdint.h>
#include "geofence.h"

#define GF_IPFIX_PEN 32473	/* RFC 5612's documentation PEN, until geofence has its own */

/* flowEndReason (IANA) */
enum { GF_IPFIX_END_IDLE = 1, GF_IPFIX_END_ACTIVE = 2, GF_IPFIX_END_EOF = 3, GF_IPFIX_END_FORCED = 4 };

struct gf_ipfix_rec {
	struct gf_flow_key key;
	uint64_t packets, bytes;	/* since the flow's last record */
	int64_t start_ms, end_ms;	/* wall-clock milliseconds */
	uint8_t end_reason;		/* GF_IPFIX_END_* */
};

struct gf_ipfix_stats {
	uint64_t messages, records;	/* sent */
	uint64_t lost;			/* records in messages that could not be sent */
	int connected;			/* TCP: the connection is up; UDP: 1 */
	char last_error[160];
};

struct gf_ipfix;

/*
 * A collector: "udp://HOST:PORT" or "tcp://HOST:PORT" (IPv6 as [ADDR]).
 * domain: the observation domain id.  Nothing is sent until records come
 * (TCP connects then, and again after a failure, at most every 5 s).
 * 0 or -errno with the reason in err.
 */
int gf_ipfix_open(struct gf_ipfix **x, const char *url, uint32_t domain, char *err, size_t errlen);
/* Whether url names a collector as gf_ipfix_open takes it (no lookup): 0 or -EINVAL with why. */
int gf_ipfix_check_url(const char *url, char *err, size_t errlen);
/* One record into the current message; a full message is sent. */
int gf_ipfix_add(struct gf_ipfix *x, const struct gf_ipfix_rec *r);
/* Send what the current message holds (and, over UDP, the templates every 30 s). */
void gf_ipfix_flush(struct gf_ipfix *x);
void gf_ipfix_stats(const struct gf_ipfix *x, struct gf_ipfix_stats *s);
/* Records not yet sent plus (TCP) bytes waiting for the collector: 0 when all went out. */
size_t gf_ipfix_pending(const struct gf_ipfix *x);
const char *gf_ipfix_url(const struct gf_ipfix *x);
void gf_ipfix_close(struct gf_ipfix *x);

#endif
