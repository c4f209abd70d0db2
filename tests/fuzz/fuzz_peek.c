// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: gf_peek on arbitrary payloads, as a LAN host can send
 * them: the first byte picks TCP or UDP and the ports, the rest is the
 * payload (TLS records, HTTP requests, QUIC Initials that are decrypted).
 * A name, when one comes out, is only of a host name's characters.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gf_peek.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_peek o;

	if (!size)
		return 0;
	gf_peek(data + 1, size - 1, data[0] & 1 ? IPPROTO_UDP : IPPROTO_TCP, 50000, data[0] & 2 ? 443 : 80, &o);
	for (const char *c = o.name; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-._", *c))
			abort();
	if (o.kind >= GF_PAYLOAD_KINDS || o.via >= GF_NAME_VIAS)
		abort();
	return 0;
}
