// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fixbuf/public.h>
#include "gf_ipfix.h"
#include "gf_ranges.h"

#define TID4 0x4701
#define TID6 0x4702
#define MSG_MAX 1400		/* one UDP datagram on any path */
#define QUEUE_BYTES (64 << 10)	/* TCP: what may wait for a slow collector */
#define QUEUE_MSGS 128
#define RECONNECT_S 5
#define TEMPLATES_EVERY_S 30	/* UDP: a collector that restarts learns them again */

/* The records as the templates lay them out: no implicit padding (sizes in 8-byte groups). */
struct rec4 {
	uint64_t start_ms, end_ms, octets, packets;
	uint32_t src, dst, in_if, out_if;
	uint16_t sport, dport, vlan, cls;
	uint8_t proto, fw_event, end_reason, verdict, hook;
	char cc[2];
	uint8_t pad;
};
_Static_assert(sizeof(struct rec4) == 64, "rec4 layout");

struct rec6 {
	uint64_t start_ms, end_ms, octets, packets;
	uint8_t src[16], dst[16];
	uint32_t in_if, out_if;
	uint16_t sport, dport, vlan, cls;
	uint8_t proto, fw_event, end_reason, verdict, hook;
	char cc[2];
	uint8_t pad;
};
_Static_assert(sizeof(struct rec6) == 88, "rec6 layout");

#define COMMON_HEAD { "flowStartMilliseconds", 8, 0 }, { "flowEndMilliseconds", 8, 0 }, \
	{ "octetDeltaCount", 8, 0 }, { "packetDeltaCount", 8, 0 }
#define COMMON_TAIL { "ingressInterface", 4, 0 }, { "egressInterface", 4, 0 }, \
	{ "sourceTransportPort", 2, 0 }, { "destinationTransportPort", 2, 0 }, { "vlanId", 2, 0 }, \
	{ "geofenceClassId", 2, 0 }, { "protocolIdentifier", 1, 0 }, { "firewallEvent", 1, 0 }, \
	{ "flowEndReason", 1, 0 }, { "geofenceVerdict", 1, 0 }, { "geofenceHook", 1, 0 }, \
	{ "geofenceCountry", 2, 0 }, { "paddingOctets", 1, 0 }, FB_IESPEC_NULL

static fbInfoElementSpec_t spec4[] = {
	COMMON_HEAD, { "sourceIPv4Address", 4, 0 }, { "destinationIPv4Address", 4, 0 }, COMMON_TAIL
};
static fbInfoElementSpec_t spec6[] = {
	COMMON_HEAD, { "sourceIPv6Address", 16, 0 }, { "destinationIPv6Address", 16, 0 }, COMMON_TAIL
};

/* geofence's own elements; docs/ipfix.md */
static fbInfoElement_t geofence_ies[] = {
	FB_IE_INIT_FULL("geofenceCountry", GF_IPFIX_PEN, 1, 2, FB_IE_DEFAULT, 0, 0, FB_STRING,
			"ISO 3166-1 alpha-2 code of the destination's country, or ZZ for none"),
	FB_IE_INIT_FULL("geofenceVerdict", GF_IPFIX_PEN, 2, 1, FB_IE_IDENTIFIER, 0, 3, FB_UINT_8,
			"0 pass, 1 drop, 2 redirect, 3 monitor (passed, would drop)"),
	FB_IE_INIT_FULL("geofenceClassId", GF_IPFIX_PEN, 3, 2, FB_IE_IDENTIFIER, 0, 0, FB_UINT_16,
			"geofence's class: 0 unknown, 1 reserved, 16-1311 countries, 2048+ overrides"),
	FB_IE_INIT_FULL("geofenceHook", GF_IPFIX_PEN, 4, 1, FB_IE_IDENTIFIER, 0, 1, FB_UINT_8,
			"0 XDP (from the LAN), 1 tc egress (the gateway's own traffic)"),
	FB_IE_NULL
};

struct queued {
	size_t len;
	uint32_t nrec;
};

struct gf_ipfix {
	char url[300], host[256], port[16];
	int tcp, fd, connected;
	double next_connect, last_templates;
	int need_templates;
	fbInfoModel_t *model;
	fbSession_t *session;
	fbExporter_t *exporter;
	fBuf_t *fbuf;
	uint8_t msg[MSG_MAX];
	uint32_t inmsg;		/* records in the message being built */
	uint32_t last_nrec;
	unsigned reclen[2];	/* the templates' record lengths (IPv4, IPv6), read from the template set */	/* UDP: records of the datagram sent last, until a refusal says it was lost */
	int family;		/* the template set for appends: 4 or 6 */
	/* UDP: the last templates message, to go again right before a retried datagram */
	uint8_t tmpl[1024];
	size_t tmpl_len;
	int saw_templates;
	/* TCP: messages written in part or waiting */
	uint8_t q[QUEUE_BYTES];
	size_t qlen, qoff;
	struct queued qm[QUEUE_MSGS];
	int nqm;
	struct gf_ipfix_stats st;
};

static double mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void fail(struct gf_ipfix *x, const char *what, int e)
{
	snprintf(x->st.last_error, sizeof(x->st.last_error), "%s: %s", what, strerror(e));
}

static void drop_connection(struct gf_ipfix *x, const char *what, int e)
{
	fail(x, what, e);
	for (int i = 0; i < x->nqm; i++)
		x->st.lost += x->qm[i].nrec;
	x->nqm = 0;
	x->qlen = x->qoff = 0;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	x->connected = 0;
	x->need_templates = 1;
	x->next_connect = mono() + RECONNECT_S;
}

/* A socket to the collector, non-blocking; TCP's connect completes later. */
static int sock_open(struct gf_ipfix *x)
{
	struct addrinfo hints = { .ai_socktype = x->tcp ? SOCK_STREAM : SOCK_DGRAM }, *ai = NULL;
	int rc = getaddrinfo(x->host, x->port, &hints, &ai), fd;

	if (rc) {
		snprintf(x->st.last_error, sizeof(x->st.last_error), "%.100s: %s", x->host, gai_strerror(rc));
		return -EHOSTUNREACH;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS)) {
		rc = -errno;
		fail(x, "connect", errno);
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return rc;
	}
	freeaddrinfo(ai);
	x->fd = fd;
	x->connected = !x->tcp;
	return 0;
}

/* TCP: is the connection up (or has it come up)? */
static int tcp_ready(struct gf_ipfix *x)
{
	struct pollfd p;
	int e = 0;
	socklen_t l = sizeof(e);

	if (x->connected)
		return 1;
	if (x->fd < 0) {
		if (mono() < x->next_connect)
			return 0;
		x->next_connect = mono() + RECONNECT_S;
		if (sock_open(x))
			return 0;
	}
	p = (struct pollfd){ x->fd, POLLOUT, 0 };
	if (poll(&p, 1, 0) != 1)
		return 0;
	if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &e, &l) || e) {
		drop_connection(x, "connect", e ? e : errno);
		return 0;
	}
	x->connected = 1;
	x->need_templates = 1;
	return 1;
}

/* TCP: write what is queued, as far as the socket takes it now. */
static void tcp_pump(struct gf_ipfix *x)
{
	while (x->connected && x->qoff < x->qlen) {
		ssize_t n = send(x->fd, x->q + x->qoff, x->qlen - x->qoff, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				drop_connection(x, "send", errno);
			break;
		}
		x->qoff += n;
	}
	/* whole messages out: counted sent */
	while (x->nqm && x->qoff >= x->qm[0].len) {
		x->qoff -= x->qm[0].len;
		memmove(x->q, x->q + x->qm[0].len, x->qlen - x->qm[0].len);
		x->qlen -= x->qm[0].len;
		x->st.messages++;
		x->st.records += x->qm[0].nrec;
		memmove(x->qm, x->qm + 1, --x->nqm * sizeof(x->qm[0]));
	}
}

/* One encoded message out (1), or its records counted lost (0). */
static int send_msg(struct gf_ipfix *x, const uint8_t *m, size_t len, uint32_t nrec)
{
	if (!x->tcp) {
		ssize_t n;

		if (x->fd < 0 && (mono() < x->next_connect || sock_open(x))) {
			x->next_connect = mono() + RECONNECT_S;
			x->st.lost += nrec;
			return 0;
		}
		n = send(x->fd, m, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == ECONNREFUSED) {
			/*
			 * The ICMP port unreachable of the datagram before, reported now:
			 * that one's records were lost; this one may pass.
			 */
			fail(x, "the collector refused a message", ECONNREFUSED);
			x->st.records -= x->last_nrec;
			x->st.messages -= !!x->last_nrec;
			x->st.lost += x->last_nrec;
			x->last_nrec = 0;
			x->need_templates = 1;
			/* a restarted collector reads this one only after the templates: they go first */
			if (x->tmpl_len && len >= 16) {
				memcpy(x->tmpl + 4, m + 4, 8);	/* export time and sequence number of this one */
				if (send(x->fd, x->tmpl, x->tmpl_len, MSG_DONTWAIT | MSG_NOSIGNAL) ==
				    (ssize_t)x->tmpl_len)
					x->need_templates = 0;
			}
			n = send(x->fd, m, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		}
		if (n != (ssize_t)len) {
			/* down, or the socket's buffer full */
			fail(x, "send", errno);
			x->st.lost += nrec;
			x->need_templates = 1;
			return 0;
		}
		x->st.messages++;
		x->st.records += nrec;
		x->last_nrec = nrec;
		return 1;
	}
	if (!tcp_ready(x) || x->qlen + len > sizeof(x->q) || x->nqm == QUEUE_MSGS) {
		if (x->connected)
			fail(x, "the collector is slow: queue full", ENOBUFS);
		x->st.lost += nrec;
		return 0;
	}
	memcpy(x->q + x->qlen, m, len);
	x->qlen += len;
	x->qm[x->nqm++] = (struct queued){ len, nrec };
	tcp_pump(x);
	return x->connected;
}

/* A template set (id 2): each template's record length, as the collector will read it. */
static void learn_templates(struct gf_ipfix *x, const uint8_t *s, size_t len)
{
	for (size_t off = 4; off + 4 <= len;) {
		unsigned tid = s[off] << 8 | s[off + 1], nf = s[off + 2] << 8 | s[off + 3], rl = 0;

		off += 4;
		for (unsigned f = 0; f < nf && off + 4 <= len; f++) {
			rl += s[off + 2] << 8 | s[off + 3];
			off += s[off] & 0x80 ? 8 : 4;	/* an enterprise element carries its PEN */
		}
		if (tid == TID4)
			x->reclen[0] = rl;
		else if (tid == TID6)
			x->reclen[1] = rl;
	}
}

/* The data records of a message: its data sets' lengths over the templates' record lengths. */
static uint32_t records_in(struct gf_ipfix *x, const uint8_t *m, size_t len)
{
	uint32_t n = 0;

	for (size_t off = 16; off + 4 <= len;) {
		unsigned id = m[off] << 8 | m[off + 1], sl = m[off + 2] << 8 | m[off + 3], rl;

		if (sl < 4 || off + sl > len)
			break;
		if (id == 2) {
			learn_templates(x, m + off, sl);
			x->saw_templates = 1;
		}
		rl = id == TID4 ? x->reclen[0] : id == TID6 ? x->reclen[1] : 0;
		if (rl)
			n += (sl - 4) / rl;
		off += sl;
	}
	return n;
}

/* After libfixbuf ran: did it emit a message into x->msg (marked by its version)?  Send it. */
static int take_msg(struct gf_ipfix *x)
{
	size_t len;
	uint32_t nrec;
	int sent = 0;

	if (x->msg[0] != 0 || x->msg[1] != 10)
		return 0;
	len = (size_t)x->msg[2] << 8 | x->msg[3];
	if (len <= sizeof(x->msg)) {
		x->saw_templates = 0;
		nrec = records_in(x, x->msg, len);
		if (x->saw_templates && !nrec && len <= sizeof(x->tmpl)) {
			memcpy(x->tmpl, x->msg, len);
			x->tmpl_len = len;
		}
		sent = send_msg(x, x->msg, len, nrec);
		x->inmsg -= nrec < x->inmsg ? nrec : x->inmsg;
	}
	x->msg[0] = x->msg[1] = 0;
	return sent;
}

/* Emit the message being built and send it: 1 sent. */
static int emit(struct gf_ipfix *x)
{
	GError *e = NULL;

	x->msg[0] = x->msg[1] = 0;
	if (!fBufEmit(x->fbuf, &e))
		g_clear_error(&e);
	return take_msg(x);
}

static void templates(struct gf_ipfix *x)
{
	GError *e = NULL;

	if (x->tcp && !tcp_ready(x))
		return;
	/* records built before the collector was there cannot be read without the templates: out first */
	if (x->inmsg)
		emit(x);
	if (!fbSessionExportTemplates(x->session, &e)) {
		g_clear_error(&e);
		return;
	}
	x->last_templates = mono();
	if (emit(x))
		x->need_templates = 0;
}

static int set_family(struct gf_ipfix *x, int family)
{
	uint16_t tid = family == 4 ? TID4 : TID6;
	GError *e = NULL;

	if (x->family == family)
		return 0;
	if (!fBufSetInternalTemplate(x->fbuf, tid, &e) || !fBufSetExportTemplate(x->fbuf, tid, &e)) {
		g_clear_error(&e);
		return -EINVAL;
	}
	x->family = family;
	return 0;
}

static int add_template(struct gf_ipfix *x, fbInfoElementSpec_t *spec, uint16_t tid, char *err, size_t errlen)
{
	GError *e = NULL;

	for (int internal = 0; internal < 2; internal++) {
		fbTemplate_t *t = fbTemplateAlloc(x->model);

		if (!fbTemplateAppendSpecArray(t, spec, 0, &e) ||
		    !fbSessionAddTemplate(x->session, internal, tid, t, &e)) {
			snprintf(err, errlen, "IPFIX template: %s", e ? e->message : "?");
			g_clear_error(&e);
			return -EINVAL;
		}
	}
	return 0;
}

/* "udp://HOST:PORT", "tcp://[ADDR]:PORT" into its parts (host and port hold 256 and 16). */
static int parse_url(const char *url, int *tcp, char *host, char *port, char *err, size_t errlen)
{
	const char *p = url, *colon;

	*tcp = 0;
	if (!strncmp(p, "udp://", 6)) {
		p += 6;
	} else if (!strncmp(p, "tcp://", 6)) {
		*tcp = 1;
		p += 6;
	} else {
		snprintf(err, errlen, "%s: a collector is udp://HOST:PORT or tcp://HOST:PORT", url);
		return -EINVAL;
	}
	if (strlen(url) >= 300) {
		snprintf(err, errlen, "%.40s...: a collector's address is at most 299 characters", url);
		return -EINVAL;
	}
	if (*p == '[') {
		const char *end = strchr(p, ']');

		if (!end || end[1] != ':' || end - p - 1 >= 256) {
			snprintf(err, errlen, "%s: an IPv6 collector is [ADDRESS]:PORT", url);
			return -EINVAL;
		}
		snprintf(host, 256, "%.*s", (int)(end - p - 1), p + 1);
		colon = end + 1;
	} else {
		colon = strrchr(p, ':');
		if (!colon || colon == p || colon - p >= 256) {
			snprintf(err, errlen, "%s: HOST:PORT expected", url);
			return -EINVAL;
		}
		snprintf(host, 256, "%.*s", (int)(colon - p), p);
	}
	if (!colon[1] || strlen(colon + 1) >= 16 || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) < 1 || atoi(colon + 1) > 65535) {
		snprintf(err, errlen, "%s: the port is a number, 1 to 65535", url);
		return -EINVAL;
	}
	snprintf(port, 16, "%s", colon + 1);
	return 0;
}

int gf_ipfix_check_url(const char *url, char *err, size_t errlen)
{
	char host[256], port[16];
	int tcp;

	return parse_url(url, &tcp, host, port, err, errlen);
}

int gf_ipfix_open(struct gf_ipfix **out, const char *url, uint32_t domain, char *err, size_t errlen)
{
	struct gf_ipfix *x = calloc(1, sizeof(*x));
	int ret;

	if (!x)
		return -ENOMEM;
	x->fd = -1;
	ret = parse_url(url, &x->tcp, x->host, x->port, err, errlen);
	if (ret) {
		free(x);
		return ret;
	}
	snprintf(x->url, sizeof(x->url), "%s", url);
	x->model = fbInfoModelAlloc();
	fbInfoModelAddElementArray(x->model, geofence_ies);
	x->session = fbSessionAlloc(x->model);
	fbSessionSetDomain(x->session, domain);
	ret = add_template(x, spec4, TID4, err, errlen) ?: add_template(x, spec6, TID6, err, errlen);
	if (!ret) {
		x->exporter = fbExporterAllocBuffer(x->msg, sizeof(x->msg));
		x->fbuf = fBufAllocForExport(x->session, x->exporter);
		if (!x->fbuf || set_family(x, 4)) {
			snprintf(err, errlen, "IPFIX: cannot set up libfixbuf's buffer");
			ret = -ENOMEM;
		}
	}
	if (ret) {
		gf_ipfix_close(x);
		return ret;
	}
	x->need_templates = 1;
	*out = x;
	return 0;
}

int gf_ipfix_add(struct gf_ipfix *x, const struct gf_ipfix_rec *r)
{
	const struct gf_flow_key *k = &r->key;
	union {
		struct rec4 v4;
		struct rec6 v6;
	} u;
	GError *e = NULL;
	char cc[32];
	size_t size;

	if (x->need_templates && (x->tcp || mono() - x->last_templates >= 1))
		templates(x);
	if (set_family(x, k->family == 4 ? 4 : 6))
		return -EINVAL;
	memset(&u, 0, sizeof(u));
	gf_class_name(k->cls, cc, sizeof(cc));
	/* the common fields sit at the same places in both layouts up to the addresses */
	u.v4.start_ms = r->start_ms;
	u.v4.end_ms = r->end_ms;
	u.v4.octets = r->bytes;
	u.v4.packets = r->packets;
	if (k->family == 4) {
		struct rec4 *v = &u.v4;

		v->src = ntohl(k->src[0]);
		v->dst = ntohl(k->dst[0]);
		size = sizeof(*v);
#define FILL(v)									\
	do {									\
		(v)->in_if = k->hook == GF_HOOK_XDP ? k->ifindex : 0;		\
		(v)->out_if = k->hook == GF_HOOK_TC ? k->ifindex : 0;		\
		(v)->sport = k->sport;						\
		(v)->dport = k->dport;						\
		(v)->vlan = k->vlan;						\
		(v)->cls = k->cls;						\
		(v)->proto = k->l4_proto;					\
		(v)->fw_event = k->verdict == GF_VERDICT_DROP ? 3 : 1;		\
		(v)->end_reason = r->end_reason;				\
		(v)->verdict = k->verdict;					\
		(v)->hook = k->hook;						\
		(v)->cc[0] = strlen(cc) == 2 ? cc[0] : 'Z';			\
		(v)->cc[1] = strlen(cc) == 2 ? cc[1] : 'Z';			\
	} while (0)
		FILL(v);
	} else {
		struct rec6 *v = &u.v6;

		memcpy(v->src, k->src, 16);
		memcpy(v->dst, k->dst, 16);
		size = sizeof(*v);
		FILL(v);
	}
#undef FILL
	x->msg[0] = x->msg[1] = 0;
	if (!fBufAppend(x->fbuf, (uint8_t *)&u, size, &e)) {
		snprintf(x->st.last_error, sizeof(x->st.last_error), "IPFIX: %s", e ? e->message : "?");
		g_clear_error(&e);
		x->st.lost++;
		return -EINVAL;
	}
	x->inmsg++;
	take_msg(x);	/* a full message went out to make room */
	return 0;
}

void gf_ipfix_flush(struct gf_ipfix *x)
{
	if (x->need_templates || (!x->tcp && mono() - x->last_templates >= TEMPLATES_EVERY_S))
		templates(x);
	if (x->inmsg)
		emit(x);
	if (x->tcp && tcp_ready(x))
		tcp_pump(x);
}

void gf_ipfix_stats(const struct gf_ipfix *x, struct gf_ipfix_stats *s)
{
	*s = x->st;
	s->connected = x->tcp ? x->connected : x->fd >= 0;
}

size_t gf_ipfix_pending(const struct gf_ipfix *x)
{
	return x->inmsg + (x->tcp ? x->qlen - x->qoff : 0);
}

const char *gf_ipfix_url(const struct gf_ipfix *x)
{
	return x->url;
}

void gf_ipfix_close(struct gf_ipfix *x)
{
	if (!x)
		return;
	if (x->fbuf)
		fBufFree(x->fbuf);	/* frees the session and the exporter with it */
	else if (x->session)
		fbSessionFree(x->session);
	if (x->model)
		fbInfoModelFree(x->model);
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}
