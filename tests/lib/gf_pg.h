/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real PostgreSQL 15 for a test: initdb and pg_ctl in a temporary
 * directory, run as the unprivileged "postgres" user of Debian's package,
 * listening on a Unix socket in that directory and on 127.0.0.1 with TLS
 * only (a certificate for "localhost" made by the test).  The hll
 * extension and scripts/evidence-schema.sql are loaded into database
 * "geofence"; gateway roles log in with passwords (scram-sha-256), the
 * superuser locally by peer-less trust on the socket.  Stopped and removed
 * at exit, also when the test fails.
 */
#ifndef GF_PG_H
#define GF_PG_H

#include <stddef.h>

struct gf_pg {
	char dir[128], data[160], log[160], passfile[160], cert[160];
	int port;
	int running;
};

/* initdb + start + schema: 0, or -1 with the reason printed. */
int gf_pg_up(struct gf_pg *pg);
int gf_pg_stop(struct gf_pg *pg);	/* pg_ctl stop -m fast */
int gf_pg_start(struct gf_pg *pg);	/* again, on the same data */
void gf_pg_down(struct gf_pg *pg);	/* stop and remove everything */
/* A gateway role (LOGIN, in geofence_agent) with a password in the test's passfile. */
int gf_pg_add_gateway(struct gf_pg *pg, const char *role);
/* A libpq conninfo for role (its password from the passfile), on the socket. */
void gf_pg_conninfo(const struct gf_pg *pg, const char *role, char *out, size_t len);
/* The same over loopback TCP with TLS, the server's certificate verified (verify-full). */
void gf_pg_conninfo_tls(const struct gf_pg *pg, const char *role, char *out, size_t len);
/* psql -At as the superuser: the output in out (trailing newline cut); psql's exit code. */
int gf_pg_sql(struct gf_pg *pg, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same as another role (over the socket, with its password). */
int gf_pg_sql_as(struct gf_pg *pg, const char *role, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
