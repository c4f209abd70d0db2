/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The evidence day file between the files of the evidence library (the
 * store, the file format, the summaries); gf_evidence.h is the API.
 */
#ifndef GF_EV_FILE_H
#define GF_EV_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "gf_evidence.h"

/* A cell of (day, category, destination) with empty counters; NULL on no memory. */
struct gf_ev_cell *gf_ev_cell_new(int32_t day, int cat, const char *dest);
void gf_ev_cell_free(struct gf_ev_cell *c);

/* "YYYY-MM-DD.gfe": 1 with its day, else 0. */
int gf_ev_is_day_file(const char *name, int32_t *day);

/*
 * The day file of info->day: info's header, then those of cells whose day
 * is info->day, then the CRC.  *out is the caller's to free.  0 or -ENOMEM.
 */
int gf_ev_encode(const struct gf_ev_dayinfo *info, struct gf_ev_cell *const *cells, size_t ncells, uint8_t **out,
		 size_t *len);

#endif
