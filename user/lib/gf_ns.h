/* SPDX-License-Identifier: GPL-2.0 */
/* Network namespaces by name (/run/netns/NAME, as `ip netns` makes them). */
#ifndef GF_NS_H
#define GF_NS_H

/*
 * Move the calling thread into network namespace name; NULL or "" moves it
 * back to the process's namespace as of the first call.  0 or -errno.
 */
int gf_netns_enter(const char *name);

#endif
