// SPDX-License-Identifier: GPL-2.0
/*
 * The Debian package (issue 12), as a fleet meets it:
 *
 *   - dpkg-buildpackage -us -uc from a copy of the checkout (its tracked
 *     and new files: what a clean clone holds) builds geofence_VER_ARCH.deb
 *     with the binaries, the units, the default database and the
 *     configuration as conffiles, and library dependencies from shlibs;
 *   - dpkg -i installs it; the installed geofenced enforces in a lab with the
 *     installed default database (CN dropped, US passed);
 *   - an operator edits /etc/geofence/geofence.conf; an upgrade to a newer
 *     version whose default configuration changed keeps the edit (the new
 *     one lands as .dpkg-dist); the agent restarted on the new binary adopts
 *     the running datapath, and CN never passes meanwhile;
 *   - dpkg --purge removes it: binaries, units and configuration.
 *
 * The package is purged at exit whatever happens.  A geofence package
 * installed before the test is not touched: the test then fails and says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "gf_lab.h"
#include "gf_log.h"
#include "gf_netns.h"
#include "gf_test.h"

#define GF_STR_(x) #x
#define GF_STR(x) GF_STR_(x)

static struct gf_lab lab;
static const char *const hosts[] = { "CN", "US" };
static char out[1 << 16];
static char tmp[64] = "/tmp/gf-deb.XXXXXX";
static int installed;
static char undo_copy[128];
static const char undo_package[] = "dpkg --purge geofence >/dev/null 2>&1";

/* At exit; if the test dies instead, the keeper runs the same two commands. */
static void cleanup(void)
{
	if (installed)
		gf_sh_quiet("%s", undo_package);
	if (undo_copy[0])
		gf_sh_quiet("%s", undo_copy);
	gf_keep_command(undo_package, 0);
	gf_keep_command(undo_copy, 0);
}

static int has(const char *cmd_fmt, const char *arg)
{
	return gf_sh_quiet(cmd_fmt, arg) == 0;
}

int main(int argc, char **argv)
{
	static struct gf_world w;
	char deb[256], deb2[256], bin[256], err[512];
	unsigned long long cn;
	int ret;

	gf_test_verbose = argc > 1 && !strcmp(argv[1], "-v");
	gf_log_route_libs(getenv("GF_VERBOSE") != NULL);
	if (gf_sh_quiet("dpkg-query -W -f='${Status}' geofence 2>/dev/null | grep -q 'install ok'") == 0) {
		fprintf(stderr, "a geofence package is installed on this machine: the test installs and purges "
				"its own build, and leaves yours alone: dpkg --purge geofence to run it\n");
		return GF_TEST_SETUP_ERROR;
	}
	if (!mkdtemp(tmp))
		return GF_TEST_SETUP_ERROR;
	snprintf(undo_copy, sizeof(undo_copy), "rm -rf %s", tmp);
	atexit(cleanup);
	gf_keep_command(undo_copy, 1);
	gf_keep_command(undo_package, 1);

	/* ---- build, from a copy holding what a clone would ---- */
	ret = gf_sh("mkdir %s/src && cd %s && git ls-files -z -co --exclude-standard | tar --null -T - -cf - | "
		    "tar -C %s/src -xf -", tmp, GF_SRCDIR, tmp);
	if (!CHECK(ret == 0, "a copy of the checkout in %s/src", tmp))
		return gf_test_summary();
	ret = gf_sh("cd %s/src && dpkg-buildpackage -us -uc > %s/build.log 2>&1 || { tail -30 %s/build.log; false; }",
		    tmp, tmp, tmp);
	if (!CHECK(ret == 0, "dpkg-buildpackage -us -uc builds it (log: %s/build.log)", tmp))
		return gf_test_summary();
	snprintf(deb, sizeof(deb), "%s/deb", tmp);
	CHECK(gf_sh("ls %s/geofence_*.dsc >/dev/null && ln -s $(ls %s/geofence_*_*.deb | grep -v dbgsym) %s",
		    tmp, tmp, deb) == 0, "a source package and the binary package");
	CHECK(gf_sh("dpkg-deb -c %s | awk '{ print $6 }' > %s/contents", deb, tmp) == 0 &&
	      gf_sh("cd %s && grep -qx ./usr/sbin/geofenced contents && grep -qx ./usr/bin/geofence contents && "
		    "grep -qx ./lib/systemd/system/geofenced.service contents && "
		    "grep -qx ./lib/systemd/system/geofence-guard.service contents && "
		    "grep -qx ./usr/share/geofence/geofence-country.mmdb contents && "
		    "grep -qx ./usr/share/doc/geofence/operations.md contents", tmp) == 0,
	      "it holds the agent, the CLI, the units, the default database and the docs");
	CHECK(gf_sh("dpkg-deb -I %s conffiles | grep -qx /etc/geofence/geofence.conf && "
		    "dpkg-deb -I %s conffiles | grep -qx /etc/geofence/countries.d/00-concern.list",
		    deb, deb) == 0, "the configuration and the country list are conffiles");
	CHECK(gf_sh("dpkg-deb -f %s Depends | grep -q libbpf1 && dpkg-deb -f %s Depends | grep -q libxdp1",
		    deb, deb) == 0, "library dependencies from shlibs (libbpf1, libxdp1, ...)");

	/* ---- install ---- */
	ret = gf_sh("dpkg -i %s > %s/install.log 2>&1 || { cat %s/install.log; false; }", deb, tmp, tmp);
	installed = 1;
	CHECK(ret == 0, "dpkg -i installs it");
	CHECK(has("geofence --version | grep -qx \"geofence $(dpkg-query -W -f='${Version}' geofence) "
		  "(map layout %s)\"", GF_STR(GF_LAYOUT)) &&
	      has("geofenced --version | grep -qx \"geofenced $(dpkg-query -W -f='${Version}' geofence) "
		  "(map layout %s)\"", GF_STR(GF_LAYOUT)),
	      "the installed programs say the package's version and their map layout");
	CHECK(has("test -f %s", "/lib/systemd/system/geofenced.service") &&
	      has("grep -q '^ExecStart=/usr/sbin/geofenced -c /etc/geofence/geofence.conf$' %s",
		  "/lib/systemd/system/geofenced.service") &&
	      has("grep -q 'mmdb = \"/usr/share/geofence/geofence-country.mmdb\"' %s", "/etc/geofence/geofence.conf"),
	      "the unit and the configuration name the installed paths");

	/* ---- the installed agent enforces ---- */
	if (gf_world_load_default(&w, err, sizeof(err)) || gf_lab_up(&lab, "gfd", &w, hosts, 2))
		return GF_TEST_SETUP_ERROR;
	snprintf(bin, sizeof(bin), "%s/bin", tmp);
	if (gf_sh("mkdir -p %s && ln -sf /usr/sbin/geofenced /usr/bin/geofence %s/", bin, bin))
		return GF_TEST_SETUP_ERROR;
	lab.bin_dir = bin;
	if (gf_lab_write_config_ex(&lab, &(struct gf_lab_conf){
		.sources = "{ mmdb = \"/usr/share/geofence/geofence-country.mmdb\"; }" }) ||
	    gf_lab_write_list(&lab, "00-concern.list", "CN drop\n"))
		return GF_TEST_SETUP_ERROR;
	ret = gf_lab_agent_start(&lab);
	CHECK(ret == 0, "the installed geofenced starts on the installed default database (%d)", ret);
	CHECK(gf_lab_udp(lab.ns_lan, lab.hosts[0].v4, 20) == 20 && gf_lab_udp(lab.ns_lan, lab.hosts[1].v4, 20) == 20,
	      "the LAN host sends to CN and US");
	usleep(200000);
	cn = gf_lab_delivered(&lab, 0, 4);
	CHECK(cn == 0 && gf_lab_delivered(&lab, 1, 4) >= 20, "CN dropped, US delivered (%llu to US)",
	      gf_lab_delivered(&lab, 1, 4));

	/* ---- an operator's edit, then an upgrade whose default configuration changed ---- */
	CHECK(gf_sh("echo '# edited by the operator' >> /etc/geofence/geofence.conf") == 0, "the operator edits the configuration");
	snprintf(deb2, sizeof(deb2), "%s/geofence_0.12.1_test.deb", tmp);
	CHECK(gf_sh("cd %s && dpkg-deb -R %s next && sed -i 's/^Version: .*/Version: 0.12.1/' next/DEBIAN/control && "
		    "echo '# 0.12.1' >> next/etc/geofence/geofence.conf && dpkg-deb -b next %s >/dev/null",
		    tmp, deb, deb2) == 0, "version 0.12.1, whose default configuration changed");
	ret = gf_sh("dpkg -i --force-confold %s > %s/upgrade.log 2>&1 || { cat %s/upgrade.log; false; }", deb2, tmp, tmp);
	CHECK(ret == 0 && has("dpkg-query -W -f='${Version}' geofence | grep -qx %s", "0.12.1"), "dpkg -i upgrades it");
	CHECK(has("grep -q 'edited by the operator' %s", "/etc/geofence/geofence.conf") &&
	      has("grep -q '# 0.12.1' %s", "/etc/geofence/geofence.conf.dpkg-dist"),
	      "the operator's configuration stays; the new default lands beside it as .dpkg-dist");
	CHECK(gf_lab_agent_stop(&lab, SIGTERM) == 0, "the agent stops for the restart");
	usleep(100000);
	CHECK(gf_lab_udp(lab.ns_lan, lab.hosts[0].v4, 20) == 20 && gf_lab_delivered(&lab, 0, 4) == 0,
	      "with no agent running the datapath still drops CN");
	gf_sh_quiet(": > %s", lab.log);
	ret = gf_lab_agent_start(&lab);
	CHECK(ret == 0 && gf_sh_quiet("grep -q 'adopting the datapath pinned in' %s", lab.log) == 0,
	      "the upgraded geofenced adopts the running datapath (%d)", ret);
	CHECK(gf_lab_udp(lab.ns_lan, lab.hosts[0].v4, 20) == 20 && gf_lab_delivered(&lab, 0, 4) == 0,
	      "CN never passed");
	CHECK(gf_lab_detach(&lab, out, sizeof(out)) == 0, "geofence detach: %s", out);

	/* ---- purge ---- */
	ret = gf_sh("dpkg --purge geofence > %s/purge.log 2>&1 || { cat %s/purge.log; false; }", tmp, tmp);
	if (ret == 0)
		installed = 0;
	CHECK(ret == 0 && !has("test -e %s", "/usr/sbin/geofenced") && !has("test -e %s", "/etc/geofence") &&
	      !has("test -e %s", "/lib/systemd/system/geofenced.service"),
	      "dpkg --purge removes the programs, the units and the configuration");
	gf_lab_down(&lab);
	gf_world_free(&w);
	return gf_test_summary();
}
