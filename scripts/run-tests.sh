#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the test tiers: unit (cmocka), bpf (BPF_PROG_TEST_RUN fixtures),
# e2e (network namespaces, real traffic).  Usage: run-tests.sh BUILD [TIER...]
# Every suite prints "N passed, N failed"; this prints the total the same way.
set -u
build=${1:?usage: run-tests.sh BUILD [unit|bpf|e2e]...}
shift
tiers=("$@")
[ ${#tiers[@]} -eq 0 ] && tiers=(unit bpf e2e)

if [ "$(id -u)" -ne 0 ]; then
	echo "run-tests: the bpf and e2e tiers load BPF programs and create network" >&2
	echo "run-tests: namespaces: run as root (sudo make test)" >&2
	exit 1
fi
if ! mountpoint -q /sys/fs/bpf; then
	mount -t bpf bpf /sys/fs/bpf || { echo "run-tests: cannot mount bpffs on /sys/fs/bpf" >&2; exit 1; }
fi
ulimit -l unlimited 2>/dev/null || true

total_pass=0 total_fail=0 total_skip=0 suites=0 broken=()
for tier in "${tiers[@]}"; do
	for t in "$build"/tests/"$tier"/test_*; do
		[ -x "$t" ] && [ "${t%.o}" = "$t" ] || continue
		name="$tier/$(basename "$t")"
		start=$(date +%s%N)
		out=$("$t" 2>&1)
		rc=$?
		ms=$((($(date +%s%N) - start) / 1000000))
		secs=$(printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)))
		line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' | tail -n 1)
		suites=$((suites + 1))
		if [ -n "$line" ]; then
			p=${line%% passed*}
			f=${line#*passed, }
			f=${f%% failed*}
			total_pass=$((total_pass + p))
			total_fail=$((total_fail + f))
			case $line in *skipped)
				k=${line##*failed, }
				total_skip=$((total_skip + ${k%% skipped}))
				printf '%s\n' "$out" | grep '^SKIP ' ;;
			esac
		fi
		if [ $rc -ne 0 ] || [ -z "$line" ]; then
			broken+=("$name")
			printf '%s\n' "$out" | grep -vE '^(PASS|\[ *(RUN|OK) *\])' | tail -n 40
			printf 'FAIL  %-28s %6ss  %s (exit %d)\n' "$name" "$secs" "${line:-no summary}" "$rc"
			[ -z "$line" ] && total_fail=$((total_fail + 1))
		else
			printf 'ok    %-28s %6ss  %s\n' "$name" "$secs" "$line"
		fi
	done
done

echo
if [ ${#broken[@]} -gt 0 ]; then
	echo "failing suites: ${broken[*]}"
fi
echo "$suites suites: $total_pass passed, $total_fail failed, $total_skip skipped"
[ ${#broken[@]} -eq 0 ] && [ "$total_fail" -eq 0 ]
