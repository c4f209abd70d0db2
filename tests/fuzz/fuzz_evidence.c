// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the evidence day-file parser on arbitrary bytes.  The
 * CRC-32 at the end is recomputed over what the fuzzer wrote, so that
 * mutations reach the parser behind the checksum (a corrupt file with a
 * right checksum is what a bug or a hostile writer would produce).  A file
 * that parses is then merged and estimated, as the agent and the report do.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "gf_evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gf_ev_cell **cells;
	struct gf_ev_summary *sum;
	struct gf_ev_dayinfo info;
	uint8_t *buf;
	size_t n;
	char err[256];

	if (size < 4 || !(buf = malloc(size)))
		return 0;
	memcpy(buf, data, size);
	{
		uint32_t crc = (uint32_t)crc32(0, buf, size - 4);

		for (int i = 0; i < 4; i++)
			buf[size - 4 + i] = crc >> (8 * i);
	}
	if (!gf_ev_parse(buf, size, 0, &info, &cells, &n, err, sizeof(err))) {
		/* the parser takes days 0 .. 9999-12-31 only */
		int k = gf_ev_summarize(cells, n, info.day - 364, info.day, &sum);

		if (k >= 0)
			free(sum);
		gf_ev_cells_free(cells, n);
	}
	free(buf);
	return 0;
}
