// SPDX-License-Identifier: GPL-2.0
/*
 * `make demo` is the README's first command: run scripts/demo.sh as it
 * runs there and check what it shows, and that it leaves nothing behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "gf_netns.h"
#include "gf_test.h"

static char out[1 << 16];

/* The RESULT column of a country's row in the n-th traffic table (0, 1). */
static const char *result(const char *cc, int table)
{
	static char res[32];
	const char *p = out;
	char row[16];

	snprintf(row, sizeof(row), "\n%-7s ", cc);
	for (int i = 0; i <= table; i++) {
		p = strstr(p, "\nCOUNTRY ");
		if (!p)
			return "";
		p++;
	}
	p = strstr(p, row);
	if (!p || !strstr(p, "\n"))
		return "";
	res[0] = '\0';
	sscanf(strstr(p, "packets") ? strstr(p, "packets") + 7 : "", "%31s", res);
	return res;
}

int main(void)
{
	static const char *const concern[] = { "CN", "RU", "IR", "KP", "CU", "VE" };
	size_t n = 0, r;
	FILE *p;
	int st;

	p = popen(GF_SRCDIR "/scripts/demo.sh " GF_BUILD_DIR " 2>&1", "r");
	if (!p)
		return GF_TEST_SETUP_ERROR;
	while (n + 1 < sizeof(out) && (r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	if (gf_test_verbose)
		fputs(out, stdout);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the demo exits 0 (%d)", WEXITSTATUS(st));
	CHECK(strstr(out, "geofenced:   running") && strstr(out, "g0 xdp (native"),
	      "it shows the agent running, XDP on the LAN side");
	for (size_t i = 0; i < sizeof(concern) / sizeof(*concern); i++)
		CHECK(!strcmp(result(concern[i], 0), "BLOCKED"), "%s blocked (%s)", concern[i],
		      result(concern[i], 0));
	CHECK(!strcmp(result("US", 0), "PASSED") && !strcmp(result("DE", 0), "PASSED"),
	      "US and DE pass");
	{
		const char *top = strstr(out, "== geofence top:");
		const char *row = top ? strstr(top, "\nCN       drop     xdp  10.77.0.2 ") : NULL;

		CHECK(row && row < strstr(top, "\n==") && strstr(top, "\nCN       drop     xdp  fd77::2 "),
		      "geofence top names the LAN host (IPv4 and IPv6) as the sender dropped on its way to CN");
	}
	CHECK(strstr(out, "reload applied (file change): generation 2") != NULL,
	      "the pushed list is picked up without a reload command");
	CHECK(!strcmp(result("DE", 1), "BLOCKED"), "then DE is blocked");
	CHECK(!strcmp(result("RU", 1), "PASSED"), "RU passes (monitor)");
	CHECK(!strcmp(result("CN", 1), "BLOCKED") && !strcmp(result("US", 1), "PASSED"),
	      "CN still blocked, US still passes");
	CHECK(strstr(out, "RU           xdp  default      monitor") != NULL, "RU counted as monitor (the default scope)");
	CHECK(strstr(out, "\nssn                 RU         persons        40        40        40 ") != NULL,
	      "the evidence report: 40 distinct SSNs to RU (monitor, 1 in 1), each sent twice: 40 exactly");
	CHECK(!strstr(out, "Failed to bind") && !strstr(out, "cannot serve"),
	      "the agent serves /metrics in the gateway's namespace: nothing to act on in the output");
	CHECK(strstr(out, "pins in /sys/fs/bpf/gfdemo: removed") != NULL, "it detaches");
	CHECK(gf_sh_quiet("ip netns list | grep -q gfdemo") != 0 &&
	      gf_sh_quiet("ls -d /tmp/gfdemo.* /sys/fs/bpf/gfdemo 2>/dev/null | grep -q .") != 0 &&
	      gf_sh_quiet("pgrep -f 'geofence[d] -c /tmp/gfdemo' >/dev/null") != 0,
	      "and leaves no namespace, pin, file or process behind");
	return gf_test_summary();
}
