// SPDX-License-Identifier: GPL-2.0
/*
 * The hardening findings (issue 10), each as an attacker or a careless
 * operator would try it, in the lab (LAN host, gateway running geofenced,
 * internet):
 *
 *   1. source routes: with accept_source_route and seg6_enabled on, an
 *      LSRR packet to the gateway naming a CN host, and an SRv6 packet
 *      naming an RU host, are forwarded there by the kernel: first shown
 *      with those countries passed, then they must not arrive when they
 *      are dropped; counted under the final hop's country and reason
 *      source_route; policy.source_route = "drop" drops every such packet;
 *      an IPv4-mapped destination is its IPv4 country;
 *   2. data sanity: a one-network database renamed over the running one is
 *      rejected, the generation kept and KP still dropped; geoip.max_shrink
 *      = 1 accepts it (and the unknown-address gauge rises); a first start
 *      on it is refused;
 *   3. metrics: with 100 slow clients connected (one header line a second,
 *      each from its own address), a scrape answers within a second, over
 *      plain HTTP and over TLS; one address gets at most 8 connections; a
 *      request not finished within the deadline is cut even while bytes
 *      trickle in; basic auth takes the whole credential,
 *      "password\0anything" is refused;
 *   4. files: state.json and dlp.json are 0640 (state.group's, readable by
 *      its members); links planted in the run directory are not followed;
 *      a run directory others can write, or that another user owns, stops
 *      the agent at start with the reason.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "gf_agent_state.h"
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_pkt.h"
#include "gf_state.h"
#include "gf_test.h"
#include "gf_world.h"

#define LSRR 131
#define PORT 9911

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "RU", "US", "KP" };
enum { CN, RU, US, KP };
static char db[256], out[1 << 16];

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static const char *run_dir;	/* NULL: the lab's */
static int tls;			/* serve /metrics with TLS */

/* The lab's configuration with the given extras inside geoip, policy and state. */
static int write_config(const char *geoip, const char *policy, const char *state)
{
	char pw[300], src[300], extra[700];
	FILE *f;

	snprintf(pw, sizeof(pw), "%s/metrics.pw", lab.dir);
	f = fopen(pw, "w");
	if (!f)
		return -errno;
	fputs("s3cret\n", f);
	fclose(f);
	chmod(pw, 0600);
	snprintf(src, sizeof(src), "{ mmdb = \"%s\"; }", db);
	snprintf(extra, sizeof(extra), "metrics = { listen = \"127.0.0.1:%d\"; user = \"prom\"; "
		 "password_file = \"%s\"; %s };\nsampling = { rate = 1; };\n", PORT, pw,
		 tls ? "tls_cert = \"cert.pem\"; tls_key = \"key.pem\";" : "");
	return gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){ .sources = src, .geoip = geoip,
								    .policy = policy, .state = state,
								    .run_dir = run_dir, .extra = extra });
}

static long long xdp_packets(const char *cls, const char *verdict)
{
	return gf_lab_class_packets(&lab, cls, verdict, "xdp");
}

static long long reason_packets(const char *reason)
{
	return gf_lab_reason_packets(&lab, reason, NULL);
}

/* ---- 1. source routes ---------------------------------------------------------- */

static void lsrr_spec(struct gf_pkt_spec *s, const char *hop)
{
	gf_pkt_spec_init(s, 4, "10.10.0.1");	/* the gateway's LAN address */
	gf_pkt_add_srr(s, LSRR, 0, &hop, 1);
}

static void srh_spec(struct gf_pkt_spec *s, const char *final)
{
	/* SRv6: segment 1 is the gateway (the destination now), segment 0 the final hop */
	const char *segs[] = { final, "fd10::1" };

	gf_pkt_spec_init(s, 6, "fd10::1");
	gf_pkt_add_rh(s, 4, 1, segs, 2);
}

static __u64 sent_arrived(struct gf_pkt_spec *s, int host, int family, int n)
{
	__u64 before = gf_lab_delivered(&lab, host, family);

	gf_lab_send_frame(&lab, s, n);
	usleep(300000);
	return gf_lab_delivered(&lab, host, family) - before;
}

static void source_routes(void)
{
	struct gf_pkt_spec s;
	long long cn0, ru0, sr0, srd0;
	char mapped[80];
	__u64 got;

	/* the kernel follows them: with the countries passed, they arrive */
	CHECK(gf_lab_write_list(&lab, "50-test.list", "CN pass\nRU pass\n") == 0 &&
	      gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "reload: CN and RU passed");
	lsrr_spec(&s, lab.hosts[CN].v4);
	got = sent_arrived(&s, CN, 4, 20);
	CHECK(got == 20, "control: with CN passed, LSRR via the gateway reaches %s (%llu of 20)",
	      lab.hosts[CN].v4, (unsigned long long)got);
	srh_spec(&s, lab.hosts[RU].v6);
	got = sent_arrived(&s, RU, 6, 20);
	CHECK(got == 20, "control: with RU passed, SRv6 via the gateway reaches %s (%llu of 20)",
	      lab.hosts[RU].v6, (unsigned long long)got);

	/* dropped: they must not arrive, and count under the final hop */
	CHECK(gf_lab_write_list(&lab, "50-test.list", "CN drop\nRU drop\n") == 0 &&
	      gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "reload: CN and RU dropped");
	cn0 = xdp_packets("CN", "drop");
	ru0 = xdp_packets("RU", "drop");
	sr0 = reason_packets("source_route");
	lsrr_spec(&s, lab.hosts[CN].v4);
	got = sent_arrived(&s, CN, 4, 20);
	CHECK(got == 0, "LSRR via the gateway to CN does not arrive (%llu of 20)", (unsigned long long)got);
	srh_spec(&s, lab.hosts[RU].v6);
	got = sent_arrived(&s, RU, 6, 20);
	CHECK(got == 0, "SRv6 via the gateway to RU does not arrive (%llu of 20)", (unsigned long long)got);
	CHECK(xdp_packets("CN", "drop") - cn0 == 20 && xdp_packets("RU", "drop") - ru0 == 20,
	      "counted as CN drop and RU drop at XDP");
	CHECK(reason_packets("source_route") - sr0 == 40, "and as reason source_route (%lld)",
	      reason_packets("source_route") - sr0);

	/* an IPv4-mapped destination is its IPv4 country, in the datapath and in lookup */
	snprintf(mapped, sizeof(mapped), "::ffff:%s", lab.hosts[CN].v4);
	cn0 = xdp_packets("CN", "drop");
	gf_pkt_spec_init(&s, 6, mapped);
	gf_lab_send_frame(&lab, &s, 10);
	usleep(200000);
	CHECK(xdp_packets("CN", "drop") - cn0 == 10, "%s: dropped as CN", mapped);
	gf_lab_cli(&lab, out, sizeof(out), "lookup --json %s", mapped);
	CHECK(strstr(out, "\"class\":\"CN\"") && strstr(out, "\"verdict\":\"drop\""),
	      "geofence lookup %s: class CN, verdict drop", mapped);

	/* policy.source_route = "drop": every source-routed packet, wherever it goes */
	CHECK(gf_lab_write_list(&lab, "50-test.list", "CN pass\n") == 0 &&
	      write_config("", "source_route = \"drop\";", "") == 0 &&
	      gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "reload: source_route = drop, CN passed");
	srd0 = xdp_packets("source_routed", "drop");
	lsrr_spec(&s, lab.hosts[CN].v4);
	got = sent_arrived(&s, CN, 4, 10);
	CHECK(got == 0 && xdp_packets("source_routed", "drop") - srd0 == 10,
	      "source_route = drop: LSRR to a passed country dropped as source_routed (%llu arrived)",
	      (unsigned long long)got);
	CHECK(write_config("", "", "") == 0 && gf_lab_write_list(&lab, "50-test.list", "") == 0 &&
	      gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "back to the plain policy");
}

/* A pushed list with terminal controls in it: refused, and the controls escaped everywhere. */
static void escaped_errors(void)
{
	char path[300];
	int rc;

	gf_lab_write_list(&lab, "60-evil.list", "C\033[2J\033]0;pwned\007N drop\n");
	rc = gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(rc == 4 && strstr(out, "'C\\x1b[2J\\x1b]0;pwned\\x07' is not a country code") && !strchr(out, 0x1b),
	      "a list line with escape sequences: rejected, shown escaped (%.200s)", out);
	snprintf(path, sizeof(path), "%s/state.json", lab.run_dir);
	CHECK(gf_sh_quiet("grep -q 'x1b\\[2J' %s && ! grep -q \"$(printf '\\033')\" %s", path, path) == 0,
	      "state.json holds the error escaped");
	CHECK(gf_sh_quiet("grep -q 'not a country code' %s && ! grep -q \"$(printf '\\033')\" %s", lab.log,
			  lab.log) == 0, "so does the agent's log");
	unlink(strcat(strcpy(path, lab.lists), "/60-evil.list"));
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "without it the reload is ok");
}

/* ---- 2. data sanity --------------------------------------------------------------- */

static int kp_dropped(void)
{
	__u64 before = gf_lab_delivered(&lab, KP, 4);

	gf_lab_udp(lab.ns_lan, lab.hosts[KP].v4, 10);
	usleep(200000);
	return gf_lab_delivered(&lab, KP, 4) == before;
}

static double unknown_ipv4(void)
{
	struct gf_agent_state st;
	json_object *v;
	double d = -1;

	/* coverage's shape is gf_sanity's (gf_coverage_to_json) */
	if (!gf_lab_state(&lab, &st) && json_object_object_get_ex(st.coverage, "ipv4", &v) &&
	    json_object_object_get_ex(v, "unknown", &v))
		d = json_object_get_double(v);
	gf_agent_state_free(&st);
	return d;
}

static void data_sanity(void)
{
	char one[300];
	long long gen;
	double unk;
	int rc;

	CHECK(kp_dropped(), "KP is dropped with the default data");
	snprintf(one, sizeof(one), "%s/one.mmdb", lab.dir);
	if (!CHECK(gf_sh("%s/tests/lib/mkdb.pl %s --ip-version 6 --aliases --networks 0 "
			 "--net 1.1.1.0/24=US", GF_SRCDIR, one) == 0, "a one-network database"))
		return;
	gen = gf_lab_generation(&lab);
	unk = unknown_ipv4();
	/* a botched update: a valid file renamed over the running one */
	gf_sh("cp %s %s.new && mv %s.new %s", one, db, db, db);
	rc = gf_lab_cli(&lab, out, sizeof(out), "reload");
	CHECK(rc == 4 && strstr(out, "geoip.max_shrink") && strstr(out, "IPv4"),
	      "the reload is rejected with what shrank (exit %d): %.300s", rc, out);
	CHECK(gf_lab_generation(&lab) == gen, "the running generation stays (%lld)", gen);
	CHECK(kp_dropped(), "KP is still dropped");

	/* the operator says so: accepted, and the unknown space says it too */
	CHECK(write_config("max_shrink = 1.0;", "", "") == 0 &&
	      gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "with geoip.max_shrink = 1 it is accepted");
	CHECK(unknown_ipv4() > unk + 3e9, "unknown IPv4 space rose from %.3g to %.3g addresses", unk,
	      unknown_ipv4());
	CHECK(gf_sh_quiet("grep -q 'data sanity: IPv4 space given to countries shrank by' %s", lab.log) == 0,
	      "the log says what the check let through");

	/* a first start on it: refused by the floor */
	gf_lab_detach(&lab, out, sizeof(out));
	CHECK(write_config("", "", "") == 0, "back to the default check");
	rc = gf_lab_agent_start(&lab);
	CHECK(rc == -1002, "a first start on the one-network database is refused (exit 2: %d)", rc);
	CHECK(gf_sh_quiet("grep -q 'less than geoip.min_coverage (50%%)' %s", lab.log) == 0,
	      "because of geoip.min_coverage");
	gf_sh("cp %s %s", GF_BUILD_DB, db);
}

/* ---- 3. metrics ---------------------------------------------------------------------- */

/* A TCP connection to the agent's listener, from a loopback address of the gateway. */
static int conn_from(const char *src)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) }, b = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	inet_pton(AF_INET, src, &b.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&b, sizeof(b)) ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A scrape with the given credential: the status, and how long it took. */
static int scrape(const char *cred, size_t cred_len, double *secs)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char req[512], enc[256], resp[4096];
	double t0 = now_s();
	int fd, n = 0, status = -1;
	size_t e = 0;
	ssize_t r;
	struct timeval tv = { 5, 0 };

	for (size_t i = 0; i < cred_len; i += 3) {
		unsigned v = (unsigned char)cred[i] << 16 | (i + 1 < cred_len ? (unsigned char)cred[i + 1] << 8 : 0) |
			     (i + 2 < cred_len ? (unsigned char)cred[i + 2] : 0);

		enc[e++] = b64[v >> 18 & 63];
		enc[e++] = b64[v >> 12 & 63];
		enc[e++] = i + 1 < cred_len ? b64[v >> 6 & 63] : '=';
		enc[e++] = i + 2 < cred_len ? b64[v & 63] : '=';
	}
	enc[e] = '\0';
	fd = conn_from("127.0.0.1");
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = snprintf(req, sizeof(req), "GET /metrics HTTP/1.0\r\nHost: x\r\nAuthorization: Basic %s\r\n\r\n", enc);
	if (write(fd, req, n) == n && (r = read(fd, resp, sizeof(resp) - 1)) > 0) {
		resp[r] = '\0';
		sscanf(resp, "HTTP/1.%*d %d", &status);
		while (read(fd, resp, sizeof(resp)) > 0)
			;
	}
	close(fd);
	*secs = now_s() - t0;
	return status;
}

static int slow[100], nslow;

static void trickle(void)
{
	for (int i = 0; i < nslow; i++)
		if (slow[i] >= 0 && send(slow[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) != 11) {
			close(slow[i]);
			slow[i] = -1;
		}
}

static void metrics(void)
{
	double secs, worst = 0;
	int st, open_one = 0, one[20], fd, ok = 1;
	char src[32];

	if (gf_netns_enter(lab.ns_gw))
		return;
	st = scrape("prom:s3cret", 11, &secs);
	CHECK(st == 200, "a scrape with the password: 200 (%d)", st);
	st = scrape("prom:s3cret\0anything", 20, &secs);
	CHECK(st == 401, "'s3cret\\0anything' is not the password: 401 (%d)", st);
	st = scrape("prom:s3cre", 10, &secs);
	CHECK(st == 401, "a prefix of it neither: 401 (%d)", st);

	/* 100 slow clients, one header line a second, each from its own address */
	for (nslow = 0; nslow < 100; nslow++) {
		snprintf(src, sizeof(src), "127.0.1.%d", nslow + 1);
		slow[nslow] = conn_from(src);
		if (slow[nslow] < 0 || write(slow[nslow], "GET /metrics HTTP/1.1\r\n", 23) != 23)
			ok = 0;
	}
	CHECK(ok, "100 slow clients connected");
	for (int round = 0; round < 3; round++) {
		trickle();
		st = scrape("prom:s3cret", 11, &secs);
		if (secs > worst)
			worst = secs;
		ok &= st == 200;
		usleep(1000000 - (secs < 1 ? secs * 1e6 : 0));
	}
	st = 0;
	for (int i = 0; i < nslow; i++) {
		char c;

		st += slow[i] >= 0 && fcntl(slow[i], F_SETFL, O_NONBLOCK) == 0 && read(slow[i], &c, 1) < 0 &&
		      errno == EAGAIN;
	}
	CHECK(st == 100, "the 100 slow clients stayed connected meanwhile (%d)", st);
	CHECK(ok && worst < 1.0, "with them connected, every scrape answers 200 within a second "
	      "(slowest %.3f s)", worst);
	printf("bench: metrics_scrape_under_100_slow_clients_s %.3f\n", worst);
	/* the deadline: bytes trickling in do not keep a request open */
	for (int t = 0; t < 6; t++) {
		trickle();
		usleep(1000000);
	}
	st = 0;
	for (int i = 0; i < nslow; i++) {
		char c;

		st += slow[i] < 0 || read(slow[i], &c, 1) == 0;
	}
	CHECK(st == 100, "10 s later all 100 were cut by the request deadline, bytes trickling or not "
	      "(%d)", st);
	for (int i = 0; i < nslow; i++)
		if (slow[i] >= 0)
			close(slow[i]);

	/* one address gets at most 8 connections */
	for (int i = 0; i < 20; i++)
		one[i] = conn_from("127.0.2.1");
	usleep(300000);
	for (int i = 0; i < 20; i++) {
		char c;

		if (one[i] < 0)
			continue;
		fcntl(one[i], F_SETFL, O_NONBLOCK);
		fd = read(one[i], &c, 1);
		open_one += fd < 0 && errno == EAGAIN;	/* still open, waiting */
		close(one[i]);
	}
	CHECK(open_one <= 8 && open_one > 0, "one address holds %d of 20 connections (at most 8)", open_one);

	/* TLS: 100 clients that start a handshake and trickle the rest; a scrape gets through */
	gf_netns_enter("");
	tls = 1;
	if (!CHECK(gf_sh_quiet("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
			       "-keyout %s/key.pem -out %s/cert.pem 2>/dev/null", lab.dir, lab.dir) == 0 &&
		   write_config("", "", "") == 0 && gf_lab_cli(&lab, out, sizeof(out), "reload") == 0,
		   "reload: /metrics with TLS"))
		return;
	usleep(300000);
	if (gf_netns_enter(lab.ns_gw))
		return;
	ok = 1;
	for (nslow = 0; nslow < 100; nslow++) {
		snprintf(src, sizeof(src), "127.0.3.%d", nslow + 1);
		slow[nslow] = conn_from(src);
		/* the first bytes of a TLS record, then nothing more than a byte a second */
		if (slow[nslow] < 0 || send(slow[nslow], "\x16\x03\x01", 3, MSG_NOSIGNAL) != 3)
			ok = 0;
	}
	CHECK(ok, "100 slow TLS clients connected");
	worst = 0;
	for (int round = 0; round < 3; round++) {
		double t0 = now_s();
		int rc;

		for (int i = 0; i < nslow; i++)
			if (slow[i] >= 0 && send(slow[i], "\x00", 1, MSG_NOSIGNAL) != 1) {
				close(slow[i]);
				slow[i] = -1;
			}
		rc = gf_sh_quiet("printf 'GET /metrics HTTP/1.0\\r\\nAuthorization: Basic cHJvbTpzM2NyZXQ=\\r\\n\\r\\n' | "
				 "timeout 5 openssl s_client -quiet -connect 127.0.0.1:%d 2>/dev/null | "
				 "head -n 1 | grep -q '200 OK'", PORT);
		secs = now_s() - t0;
		if (secs > worst)
			worst = secs;
		ok &= rc == 0;
		usleep(secs < 1 ? (1 - secs) * 1e6 : 0);
	}
	CHECK(ok && worst < 1.0, "over TLS too, every scrape answers 200 within a second (slowest %.3f s, "
	      "the openssl client included)", worst);
	for (int i = 0; i < nslow; i++)
		if (slow[i] >= 0)
			close(slow[i]);
	gf_netns_enter("");
	tls = 0;
	CHECK(write_config("", "", "") == 0 && gf_lab_cli(&lab, out, sizeof(out), "reload") == 0,
	      "reload: /metrics without TLS again");
}

/* ---- 4. files ------------------------------------------------------------------------ */

static int mode_group(const char *name, mode_t *mode, gid_t *gid)
{
	char p[400];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", lab.run_dir, name);
	if (lstat(p, &st))
		return -errno;
	*mode = st.st_mode;
	*gid = st.st_gid;
	return 0;
}

/* The agent refuses to start with run_dir at lab.dir/sub, saying why. */
static void refused_run_dir(const char *sub, const char *why, const char *what)
{
	char d[300];
	int rc;

	snprintf(d, sizeof(d), "%s/%s", lab.dir, sub);
	run_dir = d;
	write_config("", "", "");
	run_dir = NULL;
	rc = gf_lab_agent_start(&lab);
	CHECK(rc == -1002 && gf_sh_quiet("grep -q '%s' %s", why, lab.log) == 0,
	      "%s: refused at start (%d)", what, rc);
}

static void files(void)
{
	struct group *g = getgrnam("nogroup");
	char victim[300], link[400];
	mode_t m;
	gid_t gid;
	int rc;

	if (!CHECK(g != NULL, "the group nogroup exists"))
		return;
	/* state.group: the files are the group's, 0640 */
	CHECK(write_config("", "", "group = \"nogroup\";") == 0 &&
	      gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "reload with state.group = nogroup");
	sleep(1);	/* dlp.json is written every second */
	CHECK(!mode_group("state.json", &m, &gid) && (m & 07777) == 0640 && gid == g->gr_gid,
	      "state.json is 0640, group nogroup (%04o, %u)", m & 07777, gid);
	CHECK(!mode_group("dlp.json", &m, &gid) && (m & 07777) == 0640,
	      "dlp.json is 0640 (%04o): redacted forms and counts for the group only", m & 07777);
	rc = gf_sh_quiet("setpriv --reuid nobody --regid nogroup --clear-groups %s/geofence --config %s "
			 "status | grep -q 'geofenced:   running'", GF_BUILD_DIR, lab.conf);
	CHECK(rc == 0, "a member of the group reads the agent's status");
	rc = gf_sh_quiet("setpriv --reuid nobody --regid 54321 --clear-groups %s/geofence --config %s "
			 "status 2>&1 | grep -q 'permission denied: run as root or as a member of group nogroup'",
			 GF_BUILD_DIR, lab.conf);
	CHECK(rc == 0, "anyone else is told: permission denied, run as root or as a member of nogroup");

	/* links planted where the agent writes: replaced, never followed */
	snprintf(victim, sizeof(victim), "%s/victim", lab.dir);
	gf_sh("printf 'root only\\n' > %s && chmod 0600 %s", victim, victim);
	snprintf(link, sizeof(link), "%s/.state.json.%d", lab.run_dir, lab.agent);
	CHECK(symlink(victim, link) == 0, "a link at the old temporary name .state.json.PID");
	snprintf(link, sizeof(link), "%s/dlp.json", lab.run_dir);
	unlink(link);
	CHECK(symlink(victim, link) == 0, "a link as dlp.json");
	CHECK(gf_lab_cli(&lab, out, sizeof(out), "reload") == 0, "a reload writes state.json");
	sleep(1);
	CHECK(gf_sh_quiet("[ \"$(cat %s)\" = 'root only' ] && [ \"$(stat -c %%a %s)\" = 600 ]", victim,
			  victim) == 0, "the link's target is untouched");
	CHECK(!mode_group("dlp.json", &m, &gid) && S_ISREG(m) && !mode_group("state.json", &m, &gid) &&
	      S_ISREG(m), "state.json and dlp.json are files of their own again");

	/* a run directory others could plant in: the agent does not start */
	gf_lab_detach(&lab, out, sizeof(out));
	gf_sh("mkdir -p %s/open && chmod 0777 %s/open", lab.dir, lab.dir);
	refused_run_dir("open/run", "open is writable by everyone (mode 0777)",
			"run_dir under a world-writable directory");
	CHECK(gf_sh_quiet("[ ! -e %s/open/run ]", lab.dir) == 0, "and nothing was created in it");
	gf_sh("mkdir -p %s/theirs && chown nobody %s/theirs", lab.dir, lab.dir);
	refused_run_dir("theirs", "theirs belongs to uid 65534, not to root or the agent",
			"run_dir owned by another user");
	write_config("", "", "");
}

int main(void)
{
	static struct gf_world w;
	char err[512];
	int rc;

	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfh", &w, hosts, 4))
		return GF_TEST_SETUP_ERROR;
	gf_world_free(&w);
	snprintf(db, sizeof(db), "%s/country.mmdb", lab.dir);
	if (gf_sh("cp %s %s", GF_BUILD_DB, db) || write_config("", "", "") ||
	    gf_lab_write_list(&lab, "00-concern.list", "KP drop\n") ||
	    gf_sh("ip netns exec %s sysctl -qw net.ipv4.conf.all.accept_source_route=1 "
		  "net.ipv4.conf.g0.accept_source_route=1 net.ipv6.conf.all.seg6_enabled=1 "
		  "net.ipv6.conf.g0.seg6_enabled=1", lab.ns_gw))
		return GF_TEST_SETUP_ERROR;
	rc = gf_lab_agent_start(&lab);
	if (!CHECK(rc == 0, "geofenced starts (%d)", rc))
		return gf_test_summary();

	source_routes();
	escaped_errors();
	metrics();
	files();
	/* files() left no agent running: data sanity starts its own */
	rc = gf_lab_agent_start(&lab);
	if (CHECK(rc == 0, "geofenced starts again (%d)", rc))
		data_sanity();

	gf_lab_detach(&lab, out, sizeof(out));
	gf_lab_down(&lab);
	return gf_test_summary();
}
