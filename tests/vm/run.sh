#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run a script as root inside Debian's own kernel (linux-image-amd64), for the
# topologies this machine's kernel cannot build: bonds and VLAN devices.  The
# kernel package comes from the Debian mirror (apt-get download, cached in
# $VM_WORK); qemu boots it under TCG with this machine's root file system over
# 9p, read-only; /tmp, /run and bpffs are the guest's own.  Prints what the
# script prints; exits with its exit code (124 on a timeout).
#
#   tests/vm/run.sh /abs/path/to/script.sh
#
# Needs qemu-system-x86, busybox-static and cpio (scripts/install-deps.sh).
set -euo pipefail
script=${1:?usage: $0 /abs/path/to/script.sh}
work=${VM_WORK:-/var/tmp/geofence-vm}
mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache
      9pnet 9pnet_virtio 9p llc stp garp mrp 8021q veth tls bonding dummy nfnetlink nf_tables nft_counter
      nf_conntrack nf_defrag_ipv4 nf_defrag_ipv6 libcrc32c sch_ingress cls_bpf act_bpf"
mkdir -p "$work"
cd "$work"
if [ ! -d root/boot ]; then
	pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
	apt-get download "$pkg" >/dev/null 2>&1 || { echo "vm: cannot download $pkg from the mirror" >&2; exit 2; }
	dpkg-deb -x "$pkg"_*.deb root
fi
K=$(ls -d root/lib/modules/*)
V=${K##*/}
rm -rf initrd
mkdir -p initrd/{bin,proc,sys,dev,mnt,mods}
cp "$(command -v busybox)" initrd/bin/
for m in $mods; do
	f=$(find "$K" -name "$m.ko*" | head -1)
	if [ -n "$f" ]; then
		case "$f" in
		*.xz) xz -dc "$f" > "initrd/mods/$m.ko" ;;
		*) cp "$f" "initrd/mods/$m.ko" ;;
		esac
	fi
done
cat > initrd/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in MODS; do [ -f /mods/$m.ko ] && insmod /mods/$m.ko 2>/dev/null; done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host /mnt || echo "vm: 9p mount failed"
cmd=$(sed -n 's/.*vm\.cmd=\([^ ]*\).*/\1/p' /proc/cmdline)
cp "/mnt$cmd" /vm-cmd
mount -t tmpfs tmp /mnt/tmp; mount -t proc proc /mnt/proc; mount -t sysfs sys /mnt/sys
mount -t devtmpfs dev /mnt/dev; mount -t bpf bpf /mnt/sys/fs/bpf 2>/dev/null
mount -t tmpfs run /mnt/run; mount -t tmpfs varrun /mnt/var/run 2>/dev/null
cp /vm-cmd /mnt/run/vm-cmd; chmod +x /mnt/run/vm-cmd
echo "vm-begin"
chroot /mnt /bin/sh -c "/run/vm-cmd; echo vm-exit=\$?"
poweroff -f
INIT
sed -i "s|MODS|$(echo $mods)|" initrd/init
chmod +x initrd/init
(cd initrd && find . | cpio -o -H newc 2>/dev/null | gzip) > initrd.gz
out=$(timeout "${VM_TIMEOUT:-900}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m "${VM_MEM:-2048}" \
	-smp 2 -nographic -no-reboot -kernel root/boot/vmlinuz-"$V" -initrd initrd.gz \
	-append "console=ttyS0 loglevel=3 panic=-1 rdinit=/init vm.cmd=$script" \
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap 2>/dev/null |
	tr -d '\r') || true
printf '%s\n' "$out" | sed -n '/vm-begin$/,/^vm-exit=/p' | sed '1d;$d'
rc=$(printf '%s\n' "$out" | sed -n 's/^vm-exit=\([0-9]*\)$/\1/p' | tail -1)
[ -n "$rc" ] || { echo "vm: the guest did not finish (timeout, or a crash)" >&2; exit 124; }
exit "$rc"
