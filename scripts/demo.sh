#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# geofence on a simulated gateway, in network namespaces:
#
#   gfdemo-lan   a LAN host (10.77.0.2, fd77::2)
#       | l0 -- g0   XDP: geofence classifies all the LAN sends
#   gfdemo-gw    the gateway, routing; geofenced runs here
#       | g1 -- w0   tc egress: the gateway's own traffic
#   gfdemo-wan   "the internet": one address per country, taken from the
#                default GeoIP database, and a TCP listener on port 8080
#
# The agent runs with the default database and the default country list.
# The LAN host pings, connects (TCP) and sends datagrams (UDP) to every
# country; nftables on the internet side counts what arrived.  Then the
# list is changed on disk, as config management would push it, and the
# traffic runs again under the new policy.
#
# Usage: scripts/demo.sh [BUILD_DIR]   (as root; `make demo` runs it)
# Exits non-zero if anything did not behave as shown.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
db="$build/geofence-country.mmdb"
tag=gfdemo
lan=$tag-lan gw=$tag-gw wan=$tag-wan
dir=$(mktemp -d /tmp/$tag.XXXXXX)
pins=/sys/fs/bpf/$tag
agent=
countries=(CN RU IR KP CU VE US DE)

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (network namespaces, BPF)" >&2; exit 1; }
[ -x "$build/geofenced" ] && [ -f "$db" ] || { echo "demo: build first (make)" >&2; exit 1; }

geofence() { "$build/geofence" --config "$dir/geofence.conf" "$@"; }
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

cleanup() {
	set +e
	if [ -n "$agent" ]; then
		geofence detach >/dev/null 2>&1
		kill "$agent" 2>/dev/null
		wait "$agent" 2>/dev/null
	fi
	[ -f "$dir/nc.pids" ] && kill $(cat "$dir/nc.pids") 2>/dev/null
	for ns in $lan $gw $wan; do ip netns del $ns 2>/dev/null; done
	rm -rf "$pins"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for ns in $lan $gw $wan; do ip netns del $ns 2>/dev/null || true; done
rm -rf "$pins"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

# ---- an address per country, from the data, checked against the database --
int2ip() { echo "$(($1 >> 24 & 255)).$(($1 >> 16 & 255)).$(($1 >> 8 & 255)).$(($1 & 255))"; }

pick4() {	# an address inside the first /24-or-larger range of the country
	local lo
	lo=$(awk -F, -v cc="$1" '$3 == cc && $2 - $1 >= 255 { print $1; exit }' /usr/share/tor/geoip)
	[ -n "$lo" ] && int2ip $((lo + 100))
}
pick6() {	# the same in IPv6; some countries have none
	awk -F, -v cc="$1" '$3 == cc && $1 ~ /::$/ { print $1 "64"; exit }' /usr/share/tor/geoip6
}
declare -A v4 v6
for cc in "${countries[@]}"; do
	v4[$cc]=$(pick4 "$cc")
	v6[$cc]=$(pick6 "$cc")
	for a in ${v4[$cc]} ${v6[$cc]}; do
		got=$("$build/geofence" lookup --json --db "$db" "$a" 2>/dev/null)
		case $got in
		*"\"class\":\"$cc\""*) ;;
		*) echo "demo: $a is not $cc in $db: $got" >&2; exit 1 ;;
		esac
	done
done

# ---- the namespaces ------------------------------------------------------------
say "A gateway in network namespaces"
# loopback up in each: the agent serves /metrics on 127.0.0.1 in the gateway
for ns in $lan $gw $wan; do ip netns add $ns; ip -n $ns link set lo up; done
ip -n $lan link add l0 type veth peer name g0 netns $gw
ip -n $gw link add g1 type veth peer name w0 netns $wan
ip -n $lan addr add 10.77.0.2/24 dev l0
ip -n $lan addr add fd77::2/64 dev l0 nodad
ip -n $lan link set l0 up
ip -n $lan route add default via 10.77.0.1
ip -n $lan -6 route add default via fd77::1
ip -n $gw addr add 10.77.0.1/24 dev g0
ip -n $gw addr add fd77::1/64 dev g0 nodad
ip -n $gw addr add 100.77.0.1/24 dev g1
ip -n $gw addr add fd78::1/64 dev g1 nodad
ip -n $gw link set g0 up
ip -n $gw link set g1 up
ip -n $gw route add default via 100.77.0.2
ip -n $gw -6 route add default via fd78::2
ip netns exec $gw sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -n $wan addr add 100.77.0.2/24 dev w0
ip -n $wan addr add fd78::2/64 dev w0 nodad
ip -n $wan link set w0 up
ip -n $wan route add 10.77.0.0/24 via 100.77.0.1
ip -n $wan -6 route add fd77::/64 via fd78::1
{
	echo "table netdev demo {"
	for cc in "${countries[@]}"; do echo "  counter $cc { }"; done
	echo "  chain in { type filter hook ingress device w0 priority 0;"
	for cc in "${countries[@]}"; do
		ip -n $wan addr add "${v4[$cc]}/32" dev lo
		echo "    ip daddr ${v4[$cc]} counter name $cc"
		if [ -n "${v6[$cc]}" ]; then
			ip -n $wan addr add "${v6[$cc]}/128" dev lo nodad
			echo "    ip6 daddr ${v6[$cc]} counter name $cc"
		fi
	done
	echo "  }"
	echo "}"
} > "$dir/wan.nft"
ip netns exec $wan nft -f "$dir/wan.nft"
ip netns exec $wan sh -c "nc -lk 8080 >/dev/null 2>&1 & echo \$! >> '$dir/nc.pids';
			  nc -6 -lk 8080 >/dev/null 2>&1 & echo \$! >> '$dir/nc.pids'"
ip netns exec $lan ping -q -c 1 -W 2 10.77.0.1 >/dev/null
ip netns exec $gw ping -q -c 1 -W 2 100.77.0.2 >/dev/null
ip netns exec $gw ping -q -c 1 -W 2 fd78::2 >/dev/null || true
echo "LAN host $lan (10.77.0.2) -> gateway $gw (XDP on g0, tc on g1) -> internet $wan"
for cc in "${countries[@]}"; do
	printf '  %-3s %-16s %s\n' "$cc" "${v4[$cc]}" "${v6[$cc]:--}"
done

# ---- the agent -----------------------------------------------------------------
mkdir -p "$dir/countries.d" "$dir/run"
cp "$src/user/conf/countries.d/00-concern.list" "$dir/countries.d/"
cat > "$dir/geofence.conf" <<EOF
interfaces = { lan = [ "g0" ]; wan = [ "g1" ]; xdp_mode = "auto"; };
geoip = { sources = ( { mmdb = "$db"; } ); };
policy = { countries = "countries.d"; default = "pass"; unknown = "pass"; };
state = { pin_dir = "$pins"; run_dir = "$dir/run"; dir = "$dir/state"; };
evidence = { write_interval = 1; };
# a SIEM's events would fill the screen: the demo shows the flows with geofence top instead
events = { output = "off"; };
EOF
say "geofenced: the default database, the default country list"
sed -n '/^[A-Z]/p' "$dir/countries.d/00-concern.list" | tr '\n' ' '
echo
"$build/geofenced" -c "$dir/geofence.conf" --netns $gw 2> >(sed -u 's/^/  agent: /' >&2) &
agent=$!
for _ in $(seq 300); do
	# ready once its first generation is installed and attached
	geofence status 2>/dev/null | grep -q '^last reload: ok' && break
	kill -0 $agent 2>/dev/null || { echo "demo: geofenced exited" >&2; agent=; exit 1; }
	sleep 0.1
done
sleep 0.3
say "geofence status"
geofence status

# ---- traffic ---------------------------------------------------------------------
delivered() { ip netns exec $wan nft -j list counter netdev demo "$1" |
	      grep -o '"packets": *[0-9]*' | grep -o '[0-9]*$'; }

# send to every country; print what arrived; check it against the policy
# given as "CC=blocked|passed ...".  Returns non-zero on a mismatch.
run_traffic() {
	local bad=0 cc want got n pids=()
	# every country at once: ping, a TCP connect, three UDP datagrams, per family
	for cc in "${countries[@]}"; do
		(
			before=$(delivered "$cc") ping_ok=0 tcp_ok=0
			for a in ${v4[$cc]} ${v6[$cc]}; do
				ip netns exec $lan ping -q -c 2 -i 0.2 -W 1 "$a" >/dev/null 2>&1 &&
					ping_ok=$((ping_ok + 1))
				ip netns exec $lan nc -z -w 1 "$a" 8080 >/dev/null 2>&1 && tcp_ok=$((tcp_ok + 1))
				ip netns exec $lan bash -c "for i in 1 2 3; do echo demo > /dev/udp/$a/9; done" \
					2>/dev/null || true
			done
			sleep 0.2
			echo "$ping_ok $tcp_ok $(($(delivered "$cc") - before))" > "$dir/traffic.$cc"
		) &
		pids+=($!)
	done
	wait "${pids[@]}"
	printf '%-7s %-16s %-8s %-9s %-14s %s\n' COUNTRY ADDRESS PING TCP:8080 "ARRIVED" RESULT
	for cc in "${countries[@]}"; do
		read -r ping_ok tcp_ok n < "$dir/traffic.$cc"
		got=$([ "$n" -gt 0 ] && echo passed || echo blocked)
		want=$(printf '%s\n' "$@" | sed -n "s/^$cc=//p")
		printf '%-7s %-16s %-8s %-9s %-14s %s\n' "$cc" "${v4[$cc]}" \
			"$([ "$ping_ok" -gt 0 ] && echo replies || echo none)" \
			"$([ "$tcp_ok" -gt 0 ] && echo open || echo timeout)" "$n packets" \
			"${got^^}$([ "$got" = "$want" ] || echo "  <-- expected $want")"
		[ "$got" = "$want" ] || bad=1
	done
	echo "(ARRIVED: ping, TCP and UDP packets, IPv4 and IPv6, counted by nftables on the internet side)"
	return $bad
}

concern=(CN=blocked RU=blocked IR=blocked KP=blocked CU=blocked VE=blocked)
say "Traffic from the LAN host: the countries of concern are blocked, the rest passes"
run_traffic "${concern[@]}" US=passed DE=passed

say "geofence stats: packets and bytes per country and verdict, counted in XDP"
geofence stats --interval 0.2

say "geofence top: who sent what to China (every flow that is not passed is recorded)"
geofence top --country CN --interval 0.2

# ---- push a new list -------------------------------------------------------------
say "Ops push a new list: Germany added (drop), Russia set to monitor (dry run)"
gen=$(geofence status --json | sed -n 's/.*"generation":\([0-9]*\).*/\1/p' | head -n 1)
sed -e 's/^RU drop/RU monitor/' "$dir/countries.d/00-concern.list" > "$dir/countries.d/.new"
echo "DE drop" >> "$dir/countries.d/.new"
mv "$dir/countries.d/.new" "$dir/countries.d/00-concern.list"	# as config management does
echo "(no reload command: geofenced sees the file change)"
for _ in $(seq 100); do
	now=$(geofence status --json | sed -n 's/.*"generation":\([0-9]*\).*/\1/p' | head -n 1)
	[ "${now:-0}" -gt "${gen:-0}" ] && break
	sleep 0.1
done
[ "${now:-0}" -gt "${gen:-0}" ] || { echo "demo: the new list was not applied" >&2; exit 1; }
geofence status | grep -E '^(datapath|policy|  +listed|last reload)'

say "Traffic again: Germany blocked, Russia passes but counts as \"would drop\""
run_traffic CN=blocked RU=passed IR=blocked KP=blocked CU=blocked VE=blocked US=passed DE=blocked
echo "geofence stats, since the start, for the two countries that changed:"
geofence stats --interval 0.2 | grep -E '^(CLASS|RU |DE )'

# ---- what left for a country of concern: the evidence ------------------------------
say "Records with SSNs (made up) sent to Russia, now on monitor: each one counted (1 in 1)"
for i in $(seq 0 39); do
	# 40 distinct, valid SSNs in JSON records, one datagram each, each sent twice
	ssn=$(printf '%03d-%02d-%04d' $((101 + i)) $((10 + i % 80)) $((1000 + i * 7)))
	printf '{"patient":%d,"ssn":"%s"}' "$i" "$ssn" > "$dir/rec"
	for _ in 1 2; do
		ip netns exec $lan bash -c "cat '$dir/rec' > /dev/udp/${v4[RU]}/9" 2>/dev/null || true
	done
done
rm -f "$dir/rec"
sleep 2.5	# the agent writes its evidence every second here (10 s by default)
echo "geofence evidence report: the last 365 days, from the day files in $dir/state/evidence"
geofence evidence report | sed -n '1,/^ssn/p' | grep -v '^gateways'

say "Done: geofence detach removes it all (the demo cleans up)"
geofence detach
agent=
