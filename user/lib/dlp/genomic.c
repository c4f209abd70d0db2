// SPDX-License-Identifier: GPL-2.0
/*
 * Genomic data: file magic and headers (VCF, SAM, BGZF, CRAM, BCF), FASTA
 * and FASTQ records, genotype exports (23andMe-style rows), runs of mixed
 * nucleotides.  One match a scan is enough: the payload is genomic.
 */
#include <string.h>
#include "scan.h"

static void genomic(struct gf_dlp_scratch *s, size_t to)
{
	size_t from = to > 32 ? to - 32 : 0;

	if (s->genomic_done)
		return;
	s->genomic_done = 1;
	dlp_emit(s, GF_DLP_GENOMIC, from, to, (const char *)s->buf + from, to - from);
}

/* ">name\n" or "@name\n" then a line of 24+ nucleotides */
static void do_fastx(struct gf_dlp_scratch *s, size_t name)
{
	const unsigned char *nl = memchr(s->buf + name, '\n', s->len - name < 256 ? s->len - name : 256);
	size_t i, n = 0;

	if (!nl || nl - s->buf - name < 2)
		return;
	for (i = nl - s->buf + 1; i < s->len && n < 24 && strchr("ACGTNacgtn", s->buf[i]) && s->buf[i]; i++)
		n++;
	if (n == 24)
		genomic(s, i);
}

/* DNA, not a run of one letter: three bases or more, none above 60% */
static int nucleotides_mixed(const unsigned char *p, size_t n)
{
	unsigned int c[4] = { 0 }, kinds = 0, most = 0;

	for (size_t i = 0; i < n; i++)
		c[(p[i] | 32) == 'a' ? 0 : (p[i] | 32) == 'c' ? 1 : (p[i] | 32) == 'g' ? 2 : 3]++;
	for (int i = 0; i < 4; i++) {
		kinds += c[i] > 0;
		most = c[i] > most ? c[i] : most;
	}
	return kinds >= 3 && most * 10 <= n * 6;
}

/* "rs1234567<tab>1<tab>12345<tab>AG": rsid, chromosome, position, genotype */
static void do_genotype(struct gf_dlp_scratch *s, size_t to)
{
	size_t i = to - 1;
	int field = 0;

	while (i < s->len && isdig(s->buf[i]))
		i++;
	if (at(s, i) == '"')
		i++;	/* "rs123","1","12345","AG" */
	for (; field < 3 && i < s->len && (s->buf[i] == '\t' || s->buf[i] == ','); field++) {
		i++;
		if (at(s, i) == ' ')
			i++;
		if (at(s, i) == '"')
			i++;
		if (field < 2) {
			size_t a = i;

			while (i < s->len && (isdig(s->buf[i]) || strchr("XYMT", s->buf[i])))
				i++;
			if (i == a)
				return;
			if (at(s, i) == '"')
				i++;
		} else {
			size_t a = i;

			while (i < s->len && strchr("ACGTDI-0", s->buf[i]) && s->buf[i])
				i++;
			if (i == a || i - a > 2)
				return;
		}
	}
	if (field == 3)
		genomic(s, i);
}


void dlp_genomic(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	genomic(s, to);
}

void dlp_fastx(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	do_fastx(s, to);
}

void dlp_genotype(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	do_genotype(s, to);
}

void dlp_nucleotides(struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	if (!s->genomic_done && nucleotides_mixed(s->buf + to - p->width, p->width))
		genomic(s, to);
}

/* A FASTA/FASTQ record or a genotype row at the very start: no newline before it. */
void dlp_genomic_start(struct gf_dlp_scratch *s)
{
	if (s->len > 2 && (s->buf[0] == '>' || s->buf[0] == '@'))
		do_fastx(s, 1);
	if (s->len > 3 && s->buf[0] == 'r' && s->buf[1] == 's' && isdig(s->buf[2]))
		do_genotype(s, 3);
	if (s->len > 4 && s->buf[0] == '"' && s->buf[1] == 'r' && s->buf[2] == 's' && isdig(s->buf[3]))
		do_genotype(s, 4);
	if (s->len > 6 && s->buf[0] == 'i' && isdig(s->buf[1]) && isdig(s->buf[5]))
		do_genotype(s, 2);
}
