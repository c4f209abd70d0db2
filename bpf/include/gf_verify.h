/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the verifier needs spelled out.  Newer verifiers (6.18 here) follow
 * bounds through an OR of disjoint bits, a byte swap, or clang's folded
 * range checks; older ones (Debian 12's 6.1) do not, and refuse the
 * program ("unbounded memory access", "math between pkt pointer and
 * register with unbounded min value").  GF_BOUND(v, mask) is v & mask,
 * kept: the compiler can often prove the bound and would drop a plain AND.
 * One ALU op; `make bench` shows no difference.
 */
#ifndef GF_VERIFY_H
#define GF_VERIFY_H

#include <bpf/bpf_helpers.h>

#define GF_BOUND(v, mask) ({ __u32 __b = (v); barrier_var(__b); __b & (mask); })

#endif
