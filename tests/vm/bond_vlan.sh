#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In Debian's kernel (tests/vm/run.sh): a gateway whose LAN side is a bond of
# two veth ports with a VLAN subinterface on top, geofenced on the bond.
# Prints "PASS ..." / "FAIL ..." lines; tests/e2e/test_vm_bond counts them.
src=${GF_SRC:-/work/main}
b=$src/build
d=/tmp/gfvm
mkdir -p $d/countries.d $d/run $d/state /run/netns
check() { if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; fi; }

ip netns add lan; ip netns add gw; ip netns add wan
# two ports, bonded on both sides (active-backup), a VLAN (100) on top
for i in a b; do ip -n lan link add l0$i type veth peer name g0$i netns gw; done
ip -n gw link add bond0 type bond mode active-backup miimon 100
ip -n lan link add lbond type bond mode active-backup miimon 100
for i in a b; do
	ip -n gw link set g0$i down; ip -n gw link set g0$i master bond0
	ip -n lan link set l0$i down; ip -n lan link set l0$i master lbond
done
ip -n gw link set bond0 up; ip -n lan link set lbond up
ip -n gw addr add 10.10.0.1/24 dev bond0; ip -n lan addr add 10.10.0.2/24 dev lbond
ip -n gw link add link bond0 name bond0.100 type vlan id 100
ip -n lan link add link lbond name lbond.100 type vlan id 100
ip -n gw link set bond0.100 up; ip -n lan link set lbond.100 up
ip -n gw addr add 10.20.0.1/24 dev bond0.100; ip -n lan addr add 10.20.0.2/24 dev lbond.100
# two uplinks, one per destination, so that what arrives is counted per
# destination by the receiving interface (the nft of this guest cannot
# list counters here)
ip -n gw link add g1 type veth peer name w0 netns wan
ip -n gw link add g2 type veth peer name w1 netns wan
ip -n gw addr add 100.64.0.1/24 dev g1; ip -n gw link set g1 up
ip -n gw addr add 100.65.0.1/24 dev g2; ip -n gw link set g2 up
ip -n wan addr add 100.64.0.2/24 dev w0; ip -n wan link set w0 up
ip -n wan addr add 100.65.0.2/24 dev w1; ip -n wan link set w1 up; ip -n wan link set lo up
CN=1.0.1.10 US=${US:-8.8.8.8}
ip -n wan addr add $CN/32 dev lo; ip -n wan addr add $US/32 dev lo
ip -n wan route add 10.10.0.0/24 via 100.64.0.1; ip -n wan route add 10.20.0.0/24 via 100.65.0.1
ip -n gw route add $CN/32 via 100.64.0.2; ip -n gw route add $US/32 via 100.65.0.2
ip netns exec gw sysctl -qw net.ipv4.ip_forward=1
ip -n lan route add $CN/32 via 10.10.0.1
ip -n lan route add $US/32 via 10.20.0.1	# US over the VLAN
# what arrives: a receiver per destination counts its datagrams
cat > $d/recv.py <<PY
import socket, sys, select
socks = {}
for name, addr in (("cn", "$CN"), ("us", "$US")):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, 9)); socks[s] = name
count = {"cn": 0, "us": 0}
while True:
    r, _, _ = select.select(list(socks), [], [], 0.2)
    for s in r:
        s.recv(2048); count[socks[s]] += 1
        open("$d/recv." + socks[s], "w").write(str(count[socks[s]]))
PY
echo 0 > $d/recv.cn; echo 0 > $d/recv.us
ip netns exec wan python3 $d/recv.py &
recv=$!
got() { cat $d/recv.$1; }

cat > $d/geofence.conf <<CONF
interfaces = { lan = [ "bond0" ]; wan = [ "g1", "g2" ]; xdp_mode = "auto"; };
geoip = { sources = ( { mmdb = "$b/geofence-country.mmdb"; } ); };
policy = { countries = "countries.d"; default = "pass"; unknown = "pass"; };
state = { pin_dir = "/sys/fs/bpf/gfvm"; run_dir = "$d/run"; dir = "$d/state"; };
sampling = { rate = 0; monitor_rate = 0; };
metrics = { listen = ""; };
CONF
echo "CN drop" > $d/countries.d/00.list
gf() { $b/geofence --config $d/geofence.conf "$@"; }
# --netns, as the lab does: "ip netns exec" would give it a /sys (and bpffs) of its own
$b/geofenced -c $d/geofence.conf --netns gw > $d/agent.log 2>&1 &
for i in $(seq 600); do grep -q "running:" $d/agent.log && break; grep -q "^<3>" $d/agent.log && break; sleep 0.2; done
check "geofenced runs on the bond" "grep -q 'running:' $d/agent.log"
gf status > $d/status.txt 2>&1
check "status: XDP on bond0 ($(grep -o 'bond0 xdp ([^)]*)' $d/status.txt))" "grep -q 'bond0 xdp (' $d/status.txt"

ip netns exec lan ping -q -c 1 -W 1 10.10.0.1 >/dev/null; ip netns exec lan ping -q -c 1 -W 1 10.20.0.1 >/dev/null
ip netns exec gw ping -q -c 1 -W 1 100.64.0.2 >/dev/null; ip netns exec gw ping -q -c 1 -W 1 100.65.0.2 >/dev/null
sleep 0.3
cn0=$(got cn) us0=$(got us)
for i in $(seq 20); do
	ip netns exec lan python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('$CN', 9)); s.sendto(b'x', ('$US', 9))"
done
sleep 0.5
cn=$(($(got cn) - cn0)) us=$(($(got us) - us0))
check "untagged through the bond to CN: dropped ($cn delivered)" "[ $cn -eq 0 ]"
check "tagged (VLAN 100) through the bond to US: passed ($us delivered)" "[ $us -eq 20 ]"
gf stats --json --interval 0.01 > $d/stats.json
us_xdp=$(python3 -c "
import json; d=json.load(open('$d/stats.json'))
print(sum(r['packets'] for r in d['classes'] if r['class']=='US' and r['hook']=='xdp'))" 2>/dev/null || echo -1)
us_tc=$(python3 -c "
import json; d=json.load(open('$d/stats.json'))
print(sum(r['packets'] for r in d['classes'] if r['class']=='US' and r['hook']=='tc'))" 2>/dev/null || echo -1)
check "VLAN traffic counted once: at XDP ($us_xdp), not again at tc egress ($us_tc)" "[ $us_xdp -ge 20 ] && [ $us_tc -eq 0 ]"
cn0=$(got cn)
ip netns exec gw python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b'x', ('$CN', 9)) for i in range(10)]"
sleep 0.3
cn=$(($(got cn) - cn0))
check "the gateway's own traffic to CN: dropped at tc egress ($cn delivered)" "[ $cn -eq 0 ]"
check "the agent marked the VLAN device stacked on the bond" "grep -q 'bond0.100: stacked on an XDP interface' $d/agent.log"
kill $recv 2>/dev/null
gf detach > /dev/null 2>&1
cat $d/agent.log | grep -v '^<6>' | head -5
