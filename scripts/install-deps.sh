#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install every Debian 12 package geofence needs to build, test, benchmark and
# run its demo. Idempotent: packages already present are left alone, and apt is
# only called when something is missing.
set -euo pipefail

PKGS=(
	# toolchain
	make gcc clang llvm pkg-config libclang-rt-14-dev
	# BPF: libbpf + libxdp headers/libs, bpftool for skeletons
	libbpf-dev libxdp-dev xdp-tools bpftool libelf-dev zlib1g-dev linux-libc-dev
	# networking used by tests, the demo and the benchmark
	iproute2 iputils-ping ethtool nftables netcat-openbsd
	# unit tests
	libcmocka-dev
	# GeoIP: default data (IPFire location data via Tor) and the MMDB stack
	tor-geoipdb iso-codes libmaxminddb-dev mmdb-bin libmaxmind-db-writer-perl libnet-works-perl
	# the CLI's --json output, the agent's config file, source file hashes
	libjson-c-dev libconfig-dev libssl-dev
	# the sensitive-data scanner
	libhyperscan-dev
	# /metrics (HTTP, TLS, basic auth), sd_notify for the systemd unit
	libmicrohttpd-dev libsystemd-dev openssl
	# the service test: systemd-analyze verify, nsenter and setpriv
	systemd util-linux
	# the metrics tests run a real Prometheus, promtool checks the exposition and the rules
	prometheus
	# the fleet's evidence: libpq for the agent and the CLI; the tests run their own
	# PostgreSQL 15 with the hll extension (initdb in a temporary directory)
	libpq-dev postgresql-15 postgresql-15-hll
	# geofence update: fresh GeoIP data over HTTPS; the boot guard: nftables
	libcurl4-openssl-dev libnftables-dev
	# bonds and VLANs are tested in Debian's own kernel under qemu (tests/vm/run.sh)
	qemu-system-x86 busybox-static cpio
	# the Debian package (debian/), built and installed by tests/e2e/test_deb
	debhelper dpkg-dev fakeroot
	# flow records as IPFIX (libfixbuf); the tests' collector is nfdump's nfcapd
	libfixbuf-dev nfdump
	# the names behind the addresses: the tests' real clients (openssl s_client above, curl)
	curl
)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root (apt-get install needs it)" >&2
	exit 1
fi

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PKGS[@]} packages present"
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "install-deps: apt-get update failed; check the Debian mirror in /etc/apt/sources.list" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends "${missing[@]}"
