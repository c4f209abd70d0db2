// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gf_netns.h"
#include "gf_pg.h"

#define PGBIN "/usr/lib/postgresql/15/bin"

static struct gf_pg *cleanup_pg;

static void pg_atexit(void)
{
	if (cleanup_pg)
		gf_pg_down(cleanup_pg);
}

/* What gf_pg_down does, as one command, for the keeper should the test die. */
static void pg_undo(const struct gf_pg *pg, char *cmd, size_t len)
{
	snprintf(cmd, len, "cd / && runuser -u postgres -- %s/pg_ctl -D %s -m immediate -w -t 30 stop "
		 ">/dev/null 2>&1; rm -rf %s", PGBIN, pg->data, pg->dir);
}

int gf_pg_start(struct gf_pg *pg)
{
	if (gf_sh("cd / && runuser -u postgres -- %s/pg_ctl -D %s -l %s -w -t 60 start >/dev/null",
		  PGBIN, pg->data, pg->log)) {
		fprintf(stderr, "gf_pg: the server did not start; its log:\n");
		gf_sh_quiet("tail -20 %s >&2", pg->log);
		return -1;
	}
	pg->running = 1;
	{
		char undo[1024];

		pg_undo(pg, undo, sizeof(undo));
		gf_keep_command(undo, 1);	/* stopped and removed by pid file if the test dies */
	}
	return 0;
}

int gf_pg_stop(struct gf_pg *pg)
{
	if (!pg->running)
		return 0;
	pg->running = 0;
	return gf_sh("cd / && runuser -u postgres -- %s/pg_ctl -D %s -m fast -w -t 60 stop >/dev/null",
		     PGBIN, pg->data);
}

void gf_pg_down(struct gf_pg *pg)
{
	char undo[1024];

	if (!pg->dir[0])
		return;
	pg_undo(pg, undo, sizeof(undo));
	gf_keep_command(undo, 0);
	if (pg->running) {
		/* the postmaster this test started: pg_ctl signals the pid of its pid file */
		gf_sh_quiet("cd / && runuser -u postgres -- %s/pg_ctl -D %s -m immediate -w -t 30 stop",
			    PGBIN, pg->data);
		pg->running = 0;
	}
	if (!getenv("GF_KEEP_LAB"))
		gf_sh_quiet("rm -rf %s", pg->dir);
	pg->dir[0] = 0;
	cleanup_pg = NULL;
}

static int vsql(struct gf_pg *pg, const char *role, char *out, size_t len, const char *fmt, va_list ap)
{
	char *q = NULL, path[200], cmd[1024];
	FILE *f, *p;
	size_t n = 0;
	int rc;

	if (vasprintf(&q, fmt, ap) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/q.sql", pg->dir);
	f = fopen(path, "w");
	if (!f) {
		free(q);
		return -1;
	}
	fputs(q, f);
	fclose(f);
	free(q);
	if (role)
		snprintf(cmd, sizeof(cmd), "PGPASSFILE=%s psql -X -q -At -v ON_ERROR_STOP=1 -h %s -p %d "
			 "-U %s -d geofence -f %s 2>&1", pg->passfile, pg->dir, pg->port, role, path);
	else
		snprintf(cmd, sizeof(cmd), "cd / && runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 "
			 "-h %s -p %d -d geofence <%s 2>&1", pg->dir, pg->port, path);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && len) {
		n = fread(out, 1, len - 1, p);
		out[n] = 0;
		while (n && out[n - 1] == '\n')
			out[--n] = 0;
	} else {
		char sink[512];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int gf_pg_sql(struct gf_pg *pg, char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsql(pg, NULL, out, len, fmt, ap);
	va_end(ap);
	return rc;
}

int gf_pg_sql_as(struct gf_pg *pg, const char *role, char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsql(pg, role, out, len, fmt, ap);
	va_end(ap);
	return rc;
}

int gf_pg_add_gateway(struct gf_pg *pg, const char *role)
{
	char pw[40], out[256];
	FILE *f;

	snprintf(pw, sizeof(pw), "pw-%s-%d", role, getpid());
	if (gf_pg_sql(pg, out, sizeof(out), "CREATE ROLE \"%s\" LOGIN PASSWORD '%s' IN ROLE geofence_agent;",
		      role, pw)) {
		fprintf(stderr, "gf_pg: %s\n", out);
		return -1;
	}
	f = fopen(pg->passfile, "a");
	if (!f)
		return -1;
	/* hostname:port:database:username:password; a socket directory is the host */
	fprintf(f, "%s:%d:geofence:%s:%s\nlocalhost:%d:geofence:%s:%s\n", pg->dir, pg->port, role, pw,
		pg->port, role, pw);
	fclose(f);
	return 0;
}

void gf_pg_conninfo_tls(const struct gf_pg *pg, const char *role, char *out, size_t len)
{
	snprintf(out, len, "host=localhost hostaddr=127.0.0.1 port=%d dbname=geofence user=%s passfile=%s "
		 "sslmode=verify-full sslrootcert=%s", pg->port, role, pg->passfile, pg->cert);
}

void gf_pg_conninfo(const struct gf_pg *pg, const char *role, char *out, size_t len)
{
	snprintf(out, len, "host=%s port=%d dbname=geofence user=%s passfile=%s", pg->dir, pg->port,
		 role, pg->passfile);
}

int gf_pg_up(struct gf_pg *pg)
{
	char out[1024];

	memset(pg, 0, sizeof(*pg));
	snprintf(pg->dir, sizeof(pg->dir), "/tmp/gf-pg-XXXXXX");
	if (!mkdtemp(pg->dir)) {
		perror("gf_pg: mkdtemp");
		return -1;
	}
	cleanup_pg = pg;
	atexit(pg_atexit);
	snprintf(pg->data, sizeof(pg->data), "%s/data", pg->dir);
	snprintf(pg->log, sizeof(pg->log), "%s/server.log", pg->dir);
	snprintf(pg->passfile, sizeof(pg->passfile), "%s/pgpass", pg->dir);
	pg->port = 40000 + getpid() % 20000;
	if (access(PGBIN "/initdb", X_OK)) {
		fprintf(stderr, "gf_pg: no %s/initdb: scripts/install-deps.sh installs postgresql-15\n", PGBIN);
		return -1;
	}
	/* the socket directory: the server's, reachable by root's psql and the agents */
	if (gf_sh("chown postgres: %s && chmod 0755 %s && touch %s && chmod 0600 %s", pg->dir, pg->dir,
		  pg->passfile, pg->passfile) ||
	    gf_sh("cd / && runuser -u postgres -- %s/initdb -D %s -U postgres --auth-local=trust "
		  "--auth-host=reject --no-sync -E UTF8 --locale=C.UTF-8 >%s/initdb.log 2>&1",
		  PGBIN, pg->data, pg->dir)) {
		fprintf(stderr, "gf_pg: initdb failed: %s/initdb.log\n", pg->dir);
		return -1;
	}
	/*
	 * gateways authenticate with passwords; the superuser only from this test
	 * (trust, socket); loopback TCP only with TLS, a certificate for
	 * "localhost" made here (its CA: the certificate itself)
	 */
	snprintf(pg->cert, sizeof(pg->cert), "%s/server.crt", pg->dir);
	if (gf_sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
		  "-addext subjectAltName=DNS:localhost -keyout %s/server.key -out %s 2>/dev/null && "
		  "chown postgres: %s/server.key %s && chmod 0600 %s/server.key", pg->dir, pg->cert, pg->dir,
		  pg->cert, pg->dir) ||
	    gf_sh("printf 'local all postgres trust\\nlocal all all scram-sha-256\\n"
		  "hostssl all all 127.0.0.1/32 scram-sha-256\\n' > %s/pg_hba.conf", pg->data) ||
	    gf_sh("printf \"listen_addresses = '127.0.0.1'\\nunix_socket_directories = '%s'\\nport = %d\\n"
		  "fsync = off\\nshared_buffers = 64MB\\nssl = on\\nssl_cert_file = '%s'\\n"
		  "ssl_key_file = '%s/server.key'\\n\" >> %s/postgresql.conf", pg->dir, pg->port, pg->cert,
		  pg->dir, pg->data))
		return -1;
	if (gf_pg_start(pg))
		return -1;
	if (gf_sh("cd / && runuser -u postgres -- createdb -h %s -p %d geofence", pg->dir, pg->port) ||
	    gf_sh("cd / && runuser -u postgres -- psql -X -q -h %s -p %d -d geofence -v ON_ERROR_STOP=1 "
		  "<%s/scripts/evidence-schema.sql >%s/schema.log 2>&1", pg->dir, pg->port, GF_SRCDIR, pg->dir)) {
		fprintf(stderr, "gf_pg: the schema did not load: %s/schema.log\n", pg->dir);
		return -1;
	}
	if (gf_pg_sql(pg, out, sizeof(out), "CREATE ROLE reader LOGIN PASSWORD 'r-%d' IN ROLE geofence_reader;",
		      getpid()))
		return -1;
	{
		FILE *f = fopen(pg->passfile, "a");

		if (!f)
			return -1;
		fprintf(f, "%s:%d:geofence:reader:r-%d\nlocalhost:%d:geofence:reader:r-%d\n", pg->dir,
			pg->port, getpid(), pg->port, getpid());
		fclose(f);
	}
	return 0;
}
