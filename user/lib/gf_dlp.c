// SPDX-License-Identifier: GPL-2.0
/*
 * The sensitive-data scanner.
 *
 * One Hyperscan block-mode database holds three kinds of patterns, chosen
 * by measurement (docs/dlp.md): Hyperscan is fast on literals and slow on
 * patterns made only of character classes, and every reported match costs.
 *
 *  - keywords, as plain literals ("ssn", "routing", "passport", "diagnos",
 *    "lat"...): the values that need context (an undashed SSN, a passport,
 *    a routing number, an NPI, a driver's licence, an ICD-10 code, a
 *    coordinate, a biometric field) are looked for after their keyword;
 *  - shapes that need no context, fixed width where possible, ending where
 *    a validator can look back from: ddd-dd-dddd, a 13-digit run, card and
 *    phone groups, an IBAN start, an MBI end, a "lat, lon" pair, '@';
 *  - file magic and record starts: VCF, SAM, BGZF, CRAM, BCF, FASTA/FASTQ,
 *    genotype exports, ISO/IEC 19794 biometric records.
 *
 * The callback records (offset, pattern); after the scan the events are
 * sorted and replayed.  Whether a value belongs to a keyword is decided by
 * the words nearest before it (label_at), which also knows field names in
 * camelCase or snake_case, qualifiers ("npi_id"), XML closing tags, and
 * the header of CSV-like payloads.  Validators: gf_dlp_check.c.
 */
#include <ctype.h>
#include <errno.h>
#include <hs/hs.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gf_dlp.h"
#include "gf_dlp_check.h"

static const char *const cat_names[GF_DLP_MAX] = {
	[GF_DLP_SSN] = "ssn",
	[GF_DLP_PAYMENT_CARD] = "payment_card",
	[GF_DLP_ABA_ROUTING] = "aba_routing",
	[GF_DLP_IBAN] = "iban",
	[GF_DLP_US_PASSPORT] = "us_passport",
	[GF_DLP_US_DRIVERS_LICENSE] = "us_drivers_license",
	[GF_DLP_PRECISE_GEOLOCATION] = "precise_geolocation",
	[GF_DLP_GENOMIC] = "genomic",
	[GF_DLP_HEALTH_NPI] = "health_npi",
	[GF_DLP_HEALTH_MBI] = "health_mbi",
	[GF_DLP_HEALTH_ICD10] = "health_icd10",
	[GF_DLP_BIOMETRIC] = "biometric",
	[GF_DLP_EMAIL] = "email",
	[GF_DLP_US_PHONE] = "us_phone",
};

const char *gf_dlp_cat_name(int cat)
{
	return cat >= 0 && cat < GF_DLP_MAX ? cat_names[cat] : "?";
}

int gf_dlp_cat_from_name(const char *name)
{
	for (int i = 0; i < GF_DLP_MAX; i++)
		if (!strcmp(name, cat_names[i]))
			return i;
	return -1;
}

/* ---------------------------------------------------------------------
 * Labels: what a field is called
 */
enum label {
	L_NONE,
	L_SSN, L_PASSPORT, L_ABA, L_NPI, L_DL, L_PHONE, L_ICD, L_LAT, L_LON, L_BIO,
	L_GEO,		/* a place as a pair: "position", "coordinates", "gps" */
	L_OTHER,	/* a field that is none of ours: order, invoice, EIN, id... */
	L_QUAL,		/* a qualifier: number, no, code ("npi_number") */
};

/*
 * Field names, lowercase, words joined ("socialsecurity" is "Social
 * Security", "social_security", "SocialSecurity", "Soc. Sec." joined
 * without "no"), kept sorted for the reader.
 */
static const struct word {
	const char *w;
	unsigned char label;
} words[] = {
	{ "aba", L_ABA }, { "abanumber", L_ABA }, { "abarouting", L_ABA }, { "account", L_OTHER },
	{ "acct", L_OTHER }, { "amount", L_OTHER }, { "balance", L_OTHER }, { "bankrouting", L_ABA },
	{ "biometric", L_BIO }, { "biometricdata", L_BIO }, { "biometrics", L_BIO },
	{ "biometrictemplate", L_BIO }, { "build", L_OTHER }, { "cell", L_PHONE },
	{ "cellphone", L_PHONE }, { "claim", L_OTHER }, { "client", L_OTHER }, { "code", L_QUAL },
	{ "codes", L_QUAL }, { "commit", L_OTHER }, { "contactnumber", L_PHONE }, { "count", L_OTHER },
	{ "created", L_OTHER }, { "customer", L_OTHER }, { "date", L_OTHER }, { "diag", L_ICD }, { "diagnoses", L_ICD },
	{ "diagnosis", L_ICD }, { "diagnosiscode", L_ICD }, { "diagnosiscodes", L_ICD }, { "dl", L_DL },
	{ "dln", L_DL }, { "driver", L_DL }, { "driverlicence", L_DL }, { "driverlicense", L_DL },
	{ "drivers", L_DL }, { "driverslicence", L_DL }, { "driverslicense", L_DL }, { "dx", L_ICD },
	{ "ein", L_OTHER }, { "employer", L_OTHER }, { "embedding", L_QUAL }, { "face", L_BIO }, { "faceembedding", L_BIO },
	{ "faceencoding", L_BIO }, { "faceprint", L_BIO }, { "facetemplate", L_BIO },
	{ "facevector", L_BIO }, { "facialembedding", L_BIO }, { "facialgeometry", L_BIO },
	{ "facialtemplate", L_BIO }, { "fax", L_PHONE }, { "fein", L_OTHER }, { "fingerprint", L_BIO },
	{ "fingerprints", L_BIO }, { "fingerprinttemplate", L_BIO }, { "full", L_QUAL }, { "icd", L_ICD },
	{ "icd10", L_ICD }, { "icd10cm", L_ICD }, { "id", L_QUAL }, { "invoice", L_OTHER },
	{ "ip", L_OTHER }, { "iris", L_BIO }, { "gait", L_BIO }, { "gaittemplate", L_BIO }, { "iriscode", L_BIO }, { "irisscan", L_BIO }, { "iristemplate", L_BIO },
	{ "isbn", L_OTHER }, { "itin", L_OTHER }, { "lat", L_LAT }, { "latitude", L_LAT },
	{ "licence", L_DL }, { "license", L_DL }, { "lng", L_LON }, { "lon", L_LON }, { "long", L_LON },
	{ "longitude", L_LON }, { "member", L_OTHER }, { "minutiae", L_BIO }, { "mobile", L_PHONE },
	{ "nationalprovider", L_NPI }, { "nationalprovideridentifier", L_NPI }, { "no", L_QUAL }, { "nr", L_QUAL }, { "vector", L_QUAL }, { "v", L_QUAL }, { "drvlic", L_DL }, { "drvlicense", L_DL }, { "voice", L_BIO }, { "b64", L_QUAL }, { "blob", L_QUAL }, { "base64", L_QUAL }, { "position", L_GEO }, { "coordinates", L_GEO }, { "coords", L_GEO },
	{ "gps", L_GEO }, { "geolocation", L_GEO }, { "descriptor", L_QUAL }, { "palm", L_BIO }, { "thumb", L_BIO }, { "speakerembedding", L_BIO },
	{ "voiceembedding", L_BIO },
	{ "npi", L_NPI }, { "nr", L_QUAL }, { "num", L_QUAL }, { "number", L_QUAL }, { "order", L_OTHER },
	{ "orders", L_OTHER }, { "palmprint", L_BIO }, { "passport", L_PASSPORT }, { "phone", L_PHONE },
	{ "phones", L_PHONE }, { "pid", L_OTHER }, { "po", L_OTHER }, { "port", L_OTHER },
	{ "postal", L_OTHER }, { "price", L_OTHER }, { "qty", L_OTHER }, { "quantity", L_OTHER },
	{ "rating", L_OTHER }, { "ref", L_QUAL }, { "reference", L_OTHER }, { "request", L_OTHER },
	{ "retina", L_BIO }, { "retinascan", L_BIO }, { "routing", L_ABA }, { "rtn", L_ABA }, { "serial", L_OTHER },
	{ "size", L_OTHER }, { "sku", L_OTHER }, { "social", L_SSN }, { "socialsecurity", L_SSN },
	{ "socsec", L_SSN }, { "socsecurity", L_SSN }, { "ss#", L_SSN }, { "ssn", L_SSN }, { "ssno", L_SSN }, { "ssnum", L_SSN }, { "ssnumber", L_SSN }, { "ssns", L_SSN },
	{ "store", L_OTHER }, { "tax", L_OTHER }, { "tel", L_PHONE }, { "telephone", L_PHONE },
	{ "ticket", L_OTHER }, { "time", L_OTHER }, { "timestamp", L_OTHER }, { "tin", L_OTHER },
	{ "total", L_OTHER }, { "tracking", L_OTHER }, { "transaction", L_OTHER }, { "transit", L_ABA },
	{ "ts", L_OTHER }, { "txn", L_OTHER }, { "uuid", L_OTHER }, { "value", L_QUAL }, { "sample", L_QUAL }, { "data", L_QUAL }, { "template", L_QUAL },
	{ "vein", L_BIO }, { "voicesample", L_BIO }, { "handgeometry", L_BIO }, { "hand", L_BIO }, { "palmvein", L_BIO }, { "fingervein", L_BIO },
	{ "version", L_OTHER }, { "voiceprint", L_BIO }, { "zip", L_OTHER }, { "zipcode", L_OTHER },
};

/* An open-addressing table over words[], built once by gf_dlp_open(). */
#define WORD_SLOTS 512
static unsigned char word_slot[WORD_SLOTS];	/* index into words[] + 1, 0 empty */
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static unsigned int word_hash(const char *w)
{
	unsigned int h = 2166136261u;

	while (*w)
		h = (h ^ (unsigned char)*w++) * 16777619u;
	return h;
}

static void words_init(void)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		unsigned int h = word_hash(words[i].w) & (WORD_SLOTS - 1);

		while (word_slot[h])
			h = (h + 1) & (WORD_SLOTS - 1);
		word_slot[h] = i + 1;
	}
}

static int lookup(const char *w)
{
	for (unsigned int h = word_hash(w) & (WORD_SLOTS - 1); word_slot[h]; h = (h + 1) & (WORD_SLOTS - 1))
		if (!strcmp(words[word_slot[h] - 1].w, w))
			return words[word_slot[h] - 1].label;
	return L_NONE;
}

/* ---------------------------------------------------------------------
 * Patterns
 */
enum kind {
	K_KEY,		/* a keyword: arg = label, width = its length */
	K_SSN_DASH,	/* ddd-dd-dddd */
	K_CARD_RUN,	/* 13+ digits */
	K_CARD_G16,	/* dddd dddd dddd dddd (+ ddd) */
	K_CARD_G14,	/* dddd dddddd dddd(d) */
	K_PHONE,	/* ddd-ddd-dddd, ddd.ddd.dddd, ddd ddd dddd */
	K_PHONE_PAREN,	/* (ddd) ddd-dddd */
	K_IBAN,		/* CCdd[ ]XXXX */
	K_MBI,		/* ...d[-]AAdd */
	K_PAIR,		/* d.ddd, d.ddd */
	K_EMAIL,	/* x@y */
	K_GENOMIC,	/* a magic number or header */
	K_FASTX,	/* ">name\n" or "@name\n": a sequence must follow */
	K_GENOTYPE,	/* "rs123\t1\t12345\tAG" */
	K_SQL,		/* INSERT INTO: names in a list, values in tuples */
	K_TH,		/* <th>: an HTML table names its columns */
	K_HL7,		/* PID-19 is the SSN, DG1-3 the diagnosis */
	K_HEMI,		/* a pair with N/S and E/W */
	K_NUCL,		/* 48 nucleotides: only with three bases or more ("AAAA..." is base64 of zeros) */
	K_BIO_HDR,	/* ISO/IEC 19794 record header, raw or base64 */
};

struct pattern {
	const char *re;
	unsigned int flags;
	unsigned char kind, label, width;
};

#define CI HS_FLAG_CASELESS
#define ONCE HS_FLAG_SINGLEMATCH
#define BIN (HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH)
#define MBI_A "[AC-HJKMNP-RT-Y]"

/* keywords: any case; their word boundaries are checked after */
#define KEY(w, l) { w, CI, K_KEY, l, sizeof(w) - 1 }

static const struct pattern patterns[] = {
	KEY("ssn", L_SSN), KEY("social", L_SSN), KEY("soc sec", L_SSN), KEY("soc. sec", L_SSN),
	KEY("soc_sec", L_SSN), KEY("soc-sec", L_SSN), KEY("socsec", L_SSN), KEY("ss#", L_SSN), KEY("ss no", L_SSN), KEY("ss_no", L_SSN),
	KEY("ss num", L_SSN), KEY("ss_num", L_SSN), KEY("ss-num", L_SSN), KEY("ssnum", L_SSN),
	KEY("passport", L_PASSPORT),
	KEY("routing", L_ABA), KEY("aba", L_ABA), KEY("rtn", L_ABA), KEY("transit", L_ABA),
	KEY("npi", L_NPI), KEY("national provider", L_NPI), KEY("nationalprovider", L_NPI),
	KEY("driver", L_DL), KEY("licen", L_DL), KEY("dl", L_DL), KEY("drvlic", L_DL), KEY("drv lic", L_DL),
	KEY("drv_lic", L_DL),
	KEY("phone", L_PHONE), KEY("tel", L_PHONE), KEY("mobile", L_PHONE), KEY("cell", L_PHONE),
	KEY("fax", L_PHONE),
	KEY("icd", L_ICD), KEY("diag", L_ICD), KEY("dx", L_ICD),
	KEY("position", L_GEO), KEY("coord", L_GEO), KEY("gps", L_GEO), KEY("geoloc", L_GEO),
	KEY("lat", L_LAT), KEY("lon", L_LON), KEY("lng", L_LON),
	KEY("fingerprint", L_BIO), KEY("finger print", L_BIO), KEY("finger_print", L_BIO),
	KEY("face", L_BIO),	/* "face_template", "faceDescriptor": the value decides */
	KEY("facial", L_BIO), KEY("iris", L_BIO), KEY("minutiae", L_BIO), KEY("retina", L_BIO),
	KEY("palm", L_BIO), KEY("vein", L_BIO), KEY("gait", L_BIO), KEY("speaker", L_BIO),
	KEY("voice", L_BIO),	/* a voice line's number is formatted; a voice sample is a blob */
	KEY("hand", L_BIO),	/* "hand_geometry", {"hand":{"geometry":[...]}} */
	KEY("biometric", L_BIO),

	{ "\\d{3}-\\d\\d-\\d{4}", 0, K_SSN_DASH, 0, 11 },
	{ "\\d{13}(?:[^0-9]|$)", 0, K_CARD_RUN, 0, 0 },
	{ "\\d{4}[ +-]\\d{4}[ +-]\\d{4}[ +-]\\d{4}", 0, K_CARD_G16, 0, 19 },
	{ "\\d{4}[ +-]\\d{6}[ +-]\\d{4}", 0, K_CARD_G14, 0, 16 },
	{ "\\d{3}[. -]\\d{3}[. -]\\d{4}", 0, K_PHONE, 0, 12 },
	{ "\\)[ +]?\\d{3}-\\d{4}", 0, K_PHONE_PAREN, 0, 0 },
	{ "[A-Z]{2}\\d\\d[ +]?[A-Z0-9]{4}", 0, K_IBAN, 0, 0 },
	{ "\\d-?" MBI_A MBI_A "\\d\\d", 0, K_MBI, 0, 0 },
	{ "\\.\\d{3}\\d*(?:\\xc2\\xb0)?, ?-?\\d{1,3}\\.\\d{3}", 0, K_PAIR, 0, 0 },
	{ "@[A-Za-z0-9]", 0, K_EMAIL, 0, 0 },
	/* "40.7128 N, 74.0060 W": the hemispheres give the signs */
	{ "\\.\\d{3}\\d*(?:\\xc2\\xb0)? ?[NS],? ?-?\\d{1,3}\\.\\d{3}\\d*(?:\\xc2\\xb0)? ?[EW]", 0, K_HEMI, 0, 0 },
	{ "insert\\s+into\\s", CI, K_SQL, 0, 0 },
	{ "<th[ >]", CI | ONCE, K_TH, 0, 0 },

	{ "##fileformat=VCFv\\d", ONCE, K_GENOMIC, 0, 0 },
	{ "@(?:HD\\tVN|SQ\\tSN|RG\\tID|PG\\tID):", ONCE, K_GENOMIC, 0, 0 },
	{ "\\x1f\\x8b\\x08\\x04.{6}\\x06\\x00BC\\x02\\x00", BIN, K_GENOMIC, 0, 0 },
	{ "CRAM[\\x02\\x03][\\x00\\x01]", BIN, K_GENOMIC, 0, 0 },
	{ "BCF\\x02[\\x01\\x02]", BIN, K_GENOMIC, 0, 0 },
	{ "BAM\\x01", BIN, K_GENOMIC, 0, 0 },
	{ "rsid[\\t,] ?chromosome[\\t,] ?position", CI | ONCE, K_GENOMIC, 0, 0 },
	/*
	 * a VCF row from the middle of a stream (chrom, pos, id, ref, alt); SAM
	 * rows are left to the nucleotide run of their read (a SAM row pattern
	 * cost 13% of the digit-heavy throughput: no literal to anchor on)
	 */
	{ "(?:^|[\\n\"])(?:chr)?(?:[1-9]|1\\d|2[0-2]|X|Y|MT?) ?\\t\\d{1,9} ?\\t(?:rs\\d+|\\.) ?\\t[ACGTN]{1,50} ?\\t(?:[ACGTN.,*]{1,50}|<[A-Z_]{1,16}>) ?\\t",
	  ONCE, K_GENOMIC, 0, 0 },
	/* variant records in JSON: {"chrom":"7","pos":117559590,...} */
	{ "\"chrom\" ?: ?\"?(?:chr)?(?:[1-9]|1\\d|2[0-2]|X|Y|MT?)\"? ?, ?\"pos(?:ition)?\" ?:", CI | ONCE, K_GENOMIC, 0, 0 },
	/* a VCF column header line; genotype rows "rs123 AG" */
	{ "#CHROM\\tPOS\\tID\\tREF\\tALT", ONCE, K_GENOMIC, 0, 0 },
	{ "(?:rs\\d{1,10} [ACGTDI-]{1,2}\\r?\\n){3}", ONCE, K_GENOMIC, 0, 0 },
	/* a mutation annotation (MAF) header; PLINK .bim rows */
	{ "Hugo_Symbol\\tEntrez_Gene_Id\\t", ONCE, K_GENOMIC, 0, 0 },
	{ "(?:^|\\n)(?:[1-9]|1\\d|2[0-2]|X|Y|MT?)\\trs\\d+\\t\\d+(?:\\.\\d+)?\\t\\d+\\t[ACGT0]\\t[ACGT0]\\n", ONCE, K_GENOMIC, 0, 0 },
	/* HL7 v2 segments whose fields are ours by position */
	{ "(?:^|[\\r\\n])(?:PID|DG1)\\|", 0, K_HL7, 0, 0 },
	/* SNP records in JSON: {"rsid":"rs123","genotype":"AG"} */
	{ "\"(?:rsid|snp|snp_id|marker)\" ?: ?\"rs\\d+\" ?, ?\"(?:genotype|allele1|alleles|call|result)\" ?: ?\"[ACGTDI-]{1,2}",
	  CI | ONCE, K_GENOMIC, 0, 0 },
	/* a genotype map: three "rs123":"AG" in a row */
	{ "(?:\"rs\\d{1,10}\" ?: ?\"(?:[ACGTDI-]{1,2}|[ACGT]/[ACGT])\" ?, ?){3}", ONCE, K_GENOMIC, 0, 0 },
	{ "[ACGTacgt]{48}", 0, K_NUCL, 0, 48 },
	{ "\\n[>@]", 0, K_FASTX, 0, 0 },
	{ "\\n\"?(?:rs|i\\d{4})\\d", 0, K_GENOTYPE, 0, 0 },	/* 23andMe's own ids: i3000001; quoted CSV */
	{ "(?:FMR|FIR|FAC|IIR)\\x00(?: 20|0[1-3]0)\\x00", HS_FLAG_DOTALL, K_BIO_HDR, 0, 8 },
};

#define NPAT (sizeof(patterns) / sizeof(patterns[0]))
#define NB64 6	/* base64 forms of the 19794 headers */
#define NALL (NPAT + NB64)

struct gf_dlp {
	hs_database_t *db;
	hs_scratch_t *proto;
	struct pattern pat[NALL];
	char b64re[NB64][16];
};

/* ---------------------------------------------------------------------
 * Scratch: Hyperscan's, the events of one scan, the replay state
 */
struct event {
	unsigned int to;
	unsigned short id;
};

struct span {
	size_t start, end;
};

#define SPANS 8
#define HDR_COLS 64
#define MAX_EVENTS (1u << 22)

struct gf_dlp_scratch {
	hs_scratch_t *hs;
	struct event *ev;
	size_t nev, cap, max_events;	/* max_events: the candidate limit of one scan */
	int overflow;
	size_t cur_start, cur_end;	/* the match being reported, for gf_dlp_match_span */
	unsigned char *dec;	/* a URL-decoded copy of the payload */
	size_t dec_cap;
	/* replay */
	const unsigned char *buf;
	size_t len;
	const struct gf_dlp *d;
	gf_dlp_match_fn fn;
	void *ctx;
	struct span spans[GF_DLP_MAX][SPANS];
	unsigned int nspans[GF_DLP_MAX];
	/* every match's (category, end), to report each value once */
	unsigned long long *seen;	/* scan number << 32 | key + 1 */
	size_t seen_cap, seen_n;
	unsigned int scan_no;
	int genomic_done;
	/* a CSV-like payload: delimiter, end of the header line, columns done */
	char delim;
	int xml;	/* an XML document: every element names its content */
	int unescaped;	/* JSON string escapes were turned into characters */
	size_t sql_c0, sql_c1, sql_v0;	/* INSERT's column list and its first tuple */
	int fixed;	/* a fixed-width report: columns by offset */
	int has_th;	/* an HTML table header cell was seen */
	unsigned long long html_cols_done;
	size_t header_start, header_end;	/* a table in a JSON string starts late */
	unsigned long long col_known;	/* header cells whose label is in col_label */
	unsigned char col_label[64];
	unsigned long long cols_done;
	/* a coordinate given as lat=/lon=, waiting for the other half */
	int pend_label;
	double pend_val;
	size_t pend_start, pend_end;
};

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	struct gf_dlp_scratch *s = ctx;

	(void)from;
	(void)flags;
	if (s->nev == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct event *ev;

		if (cap > s->max_events || !(ev = realloc(s->ev, cap * sizeof(*ev)))) {
			s->overflow = 1;
			return 1;	/* stop: the caller reports it */
		}
		s->ev = ev;
		s->cap = cap;
	}
	s->ev[s->nev++] = (struct event){ (unsigned int)to, (unsigned short)id };
	return 0;
}

/* ---------------------------------------------------------------------
 * Helpers
 */
static int isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int isup(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int islow(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static int isaln(unsigned char c)
{
	return isdig(c) || isup(c) || islow(c);
}

static int xdigit(unsigned char c)
{
	return isdig(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

static unsigned char at(const struct gf_dlp_scratch *s, size_t i)
{
	return i < s->len ? s->buf[i] : 0;
}

/* Has (cat, end) been reported in this scan?  Remember it if not. */
static int seen(struct gf_dlp_scratch *s, int cat, size_t end)
{
	unsigned long long key = (unsigned long long)s->scan_no << 32 | (((unsigned int)end << 4 | cat) + 1);
	unsigned long long cur = (unsigned long long)s->scan_no << 32;
	unsigned int h;

	if (2 * (s->seen_n + 1) > s->seen_cap) {
		size_t cap = s->seen_cap ? 2 * s->seen_cap : 64;
		unsigned long long *t = calloc(cap, sizeof(*t)), *old = s->seen;

		if (!t)
			return 0;
		for (size_t i = 0; i < s->seen_cap; i++)
			if ((old[i] & ~0xffffffffull) == cur) {
				for (h = (unsigned int)old[i] * 2654435761u & (cap - 1); t[h];
				     h = (h + 1) & (cap - 1))
					;
				t[h] = old[i];
			}
		free(old);
		s->seen = t;
		s->seen_cap = cap;
	}
	for (h = (unsigned int)key * 2654435761u & (s->seen_cap - 1);
	     (s->seen[h] & ~0xffffffffull) == cur; h = (h + 1) & (s->seen_cap - 1))
		if (s->seen[h] == key)
			return 1;
	s->seen[h] = key;	/* an older scan's entry is free */
	s->seen_n++;
	return 0;
}

/* Emit unless a match of the category ends there or overlaps a recent one. */
static void emit(struct gf_dlp_scratch *s, int cat, size_t start, size_t end, const char *value,
		 size_t vlen)
{
	struct span *sp = s->spans[cat];
	unsigned int n = s->nspans[cat];

	for (unsigned int i = 0; i < n && i < SPANS; i++)
		if (start < sp[i].end && sp[i].start < end)
			return;
	if (seen(s, cat, end))
		return;
	sp[n % SPANS] = (struct span){ start, end };
	s->nspans[cat] = n + 1;
	s->cur_start = start;
	s->cur_end = end;
	s->fn(cat, value, vlen, s->ctx);
}

/* ---------------------------------------------------------------------
 * label_at: the field name nearest before pos
 *
 * Going back from pos, phrase by phrase: a phrase is words joined by
 * single separators (' ', '_', '-', '.') or camelCase ("taxpayerSSN",
 * "Social Security No", "npi_id").  In a phrase, the nearest word that,
 * alone or joined with the one or two before it, is a known field name
 * decides; qualifiers at the end ("number", "id") are skipped when a
 * name comes before them.  Tags (<td>, </ssn>) are markup, not names, and
 * are skipped.  The first phrase with a known name decides; unknown
 * words ("for John Smith") are passed over, within the window.
 */
#define MAXW 8

struct phrase {
	char w[MAXW][24];
	int n;
};

/* Split [a, b) into words, camelCase aware; returns the number of words. */
static int split_words(const unsigned char *p, size_t a, size_t b, struct phrase *ph)
{
	size_t i = a;

	ph->n = 0;
	while (i < b) {
		size_t j = i, k = 0;
		char *w;

		if (ph->n == MAXW) {	/* keep the words nearest the value */
			memmove(ph->w[0], ph->w[1], sizeof(ph->w[0]) * (MAXW - 1));
			ph->n--;
		}
		w = ph->w[ph->n];

		if (!isaln(p[i]) && p[i] != '#' && p[i] != '\'') {
			i++;
			continue;
		}
		/* one word: [A-Z]*[a-z0-9]* with camel breaks, or a run of capitals */
		while (j < b && k < 23) {
			unsigned char c = p[j];

			if (c == '\'') {	/* "driver's" */
				j++;
				continue;
			}
			if (c == '#') {
				w[k++] = '#';
				j++;
				break;
			}
			if (!isaln(c))
				break;
			if (k && isup(c) && (islow(p[j - 1]) ||
					     (isup(p[j - 1]) && j + 1 < b && islow(p[j + 1]))))
				break;	/* "taxpayerSSN", "SSNNumber" */
			w[k++] = tolower(c);
			j++;
		}
		w[k] = '\0';
		if (k)
			ph->n++;
		i = j;
	}
	return ph->n;
}

/*
 * A word of five digits or more, or a group of three digits or more after
 * another group ("832 70 5459"), is a value, not part of a name ("ICD-10",
 * "embedding_512" are names): only the
 * words after it can name ours ("dl_number 307796054; also noted taxpayer").
 * Returns 1 if the phrase ends in such a word.
 */
static int drop_values(struct phrase *ph)
{
	for (int k = ph->n - 1; k >= 0; k--) {
		int nd = 0, len = strlen(ph->w[k]);

		for (const char *c = ph->w[k]; *c; c++)
			nd += isdig((unsigned char)*c);
		if (nd < 5 && !(nd >= 3 && nd == len && k > 0 && isdig((unsigned char)ph->w[k - 1][0]) &&
				 strspn(ph->w[k - 1], "0123456789") == strlen(ph->w[k - 1])))
			continue;	/* "5459" of "832-70-5459" is a value too; "face_embedding_512" is a name */
		if (k == ph->n - 1)
			return 1;
		memmove(ph->w[0], ph->w[k + 1], sizeof(ph->w[0]) * (ph->n - k - 1));
		ph->n -= k + 1;
		break;
	}
	return 0;
}

static int phrase_label(const struct phrase *ph)
{
	char key[80];

	for (int k = ph->n - 1; k >= 0; k--) {
		for (int len = k >= 2 ? 3 : k + 1; len >= 1; len--) {
			size_t n = 0;
			int l;

			for (int i = k - len + 1; i <= k; i++) {
				size_t wl = strlen(ph->w[i]);

				memcpy(key + n, ph->w[i], wl);
				n += wl;
			}
			key[n] = '\0';
			l = lookup(key);
			if (!l && n && key[n - 1] == '#') {
				key[n - 1] = '\0';	/* "passport#" */
				l = lookup(key);
			}
			if (!l) {
				/* a qualifier glued on in lower case: "passportnumber", "npiid" */
				static const char *const suf[] = { "number", "num", "nbr", "nr", "no", "id", "code" };

				for (size_t k2 = 0; k2 < sizeof(suf) / sizeof(*suf) && !l; k2++) {
					size_t sl = strlen(suf[k2]);

					if (n >= sl + 2 && !strcmp(key + n - sl, suf[k2])) {
						char c = key[n - sl];

						key[n - sl] = '\0';
						l = lookup(key);
						key[n - sl] = c;
						if (l == L_QUAL || l == L_OTHER)
							l = L_NONE;
					}
				}
			}
			if (!l && n > 2 && isdig(key[n - 1])) {
				size_t m = n;	/* numbered fields: "dx1", "phone2" */

				while (m && isdig(key[m - 1]))
					m--;
				if (m >= 2 && n - m <= 2) {
					key[m] = '\0';
					l = lookup(key);
				}
			}
			if (l == L_QUAL) {
				/* "id" alone is a field of its own; "no", "number": look before */
				if (len == 1 && k == 0 && !strcmp(ph->w[0], "id"))
					return L_OTHER;
				break;
			}
			if (l)
				return l;
		}
	}
	return L_NONE;
}

/* HTML elements: markup around a value, not its name (unlike an XML element) */
static int html_element(const unsigned char *n, size_t len)
{
	static const char *const el[] = {
		"a", "abbr", "b", "big", "blockquote", "body", "br", "button", "center", "cite", "code",
		"dd", "div", "dl", "dt", "em", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5",
		"h6", "head", "header", "hr", "html", "i", "input", "label", "li", "main", "mark", "nav",
		"ol", "option", "p", "pre", "s", "section", "select", "small", "span", "strong", "sub",
		"sup", "table", "tbody", "td", "textarea", "th", "thead", "tr", "tt", "u", "ul",
	};
	char name[16];

	if (!len || len >= sizeof(name))
		return 0;
	for (size_t i = 0; i < len; i++)
		name[i] = tolower(n[i]);
	name[len] = '\0';
	for (size_t i = 0; i < sizeof(el) / sizeof(*el); i++)
		if (!strcmp(name, el[i]))
			return 1;
	return 0;
}

/* The first `needle` (lower case) in [i, lim), any case; lim if none. */
static size_t find_ci(const struct gf_dlp_scratch *s, size_t i, size_t lim, const char *needle)
{
	size_t n = strlen(needle);

	for (; i + n <= lim; i++)
		if ((s->buf[i] | 32) == needle[0] && !strncasecmp((const char *)s->buf + i, needle, n))
			return i;
	return lim;
}

static size_t cell_end(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop);
static size_t cell_index(const struct gf_dlp_scratch *s, size_t i, size_t pos, char delim, char stop);
static int nth_cell(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop, size_t col,
		    size_t *a, size_t *b);

/* In a table, the header of the column that `pos` is in names it (each header cell read once). */
static int column_label(const struct gf_dlp_scratch *cs, size_t pos)
{
	struct gf_dlp_scratch *s = (struct gf_dlp_scratch *)cs;	/* the cache only */
	const unsigned char *nl = memrchr(s->buf + s->header_end, '\n', pos - s->header_end);
	size_t line = nl ? (size_t)(nl - s->buf) + 1 : s->header_end + 1, a, b, col;
	struct phrase ph;

	if (pos - line > 4096 || (col = cell_index(s, line, pos, s->delim, '\n')) >= 64)
		return L_NONE;
	if (!(s->col_known >> col & 1)) {
		s->col_known |= 1ull << col;
		s->col_label[col] = L_NONE;
		if (nth_cell(s, s->header_start, s->header_end + 1, s->delim, '\n', col, &a, &b)) {
			split_words(s->buf, a, b, &ph);
			s->col_label[col] = phrase_label(&ph);
		}
	}
	return s->col_label[col];
}

/*
 * <label for="f3">SSN</label><input id="f3" value="536221234">: the value
 * of an input whose id a label names.  `pos` is right after value=".
 */
static int input_label(const struct gf_dlp_scratch *s, size_t pos)
{
	const unsigned char *p = s->buf;
	size_t lt = pos, id, e, f, a, b;
	char pat[80];

	while (lt > 0 && pos - lt < 256 && p[lt - 1] != '<' && p[lt - 1] != '>')
		lt--;
	if (lt == 0 || p[lt - 1] != '<' || strncasecmp((const char *)p + lt, "input", 5))
		return L_NONE;
	id = find_ci(s, lt, pos, " id=\"");
	if (id >= pos)
		return L_NONE;
	id += 5;
	for (e = id; e < pos && p[e] != '"'; e++)
		;
	if (e - id == 0 || e - id > 64)
		return L_NONE;
	snprintf(pat, sizeof(pat), "for=\"%.*s\"", (int)(e - id), (const char *)p + id);
	/* the label before the input */
	for (f = lt > 4096 ? lt - 4096 : 0; (f = find_ci(s, f, lt, pat)) < lt; f++) {
		a = find_ci(s, f, lt, ">") + 1;
		b = find_ci(s, a, lt, "<");
		if (a < b) {
			struct phrase ph;

			split_words(p, a, b, &ph);
			return phrase_label(&ph);
		}
	}
	return L_NONE;
}

static int label_at(const struct gf_dlp_scratch *s, size_t pos, size_t window)
{
	const unsigned char *p = s->buf;
	size_t limit = pos > window ? pos - window : 0, i = pos;

	if (pos >= 7 && p[pos - 1] == '"' && p[pos - 2] == '=' && !strncasecmp((const char *)p + pos - 7, "value", 5)) {
		int l = input_label(s, pos);

		if (l)
			return l;
	}

	if (s->delim && pos > s->header_end) {
		int l = column_label(s, pos);

		if (l)
			return l;
	}

	for (int nth = 0; i > limit; nth++) {
		size_t end, start;
		struct phrase ph;
		int l, key = 0, digits = 0;

		/* to the end of the previous phrase; is it a key ("name=", "name:")? */
		while (i > limit && !isaln(p[i - 1]) && p[i - 1] != '#' && p[i - 1] != '>') {
			key |= p[i - 1] == '=' || p[i - 1] == ':';
			if (p[i - 1] == ')') {
				/* an aside after a name is passed over: "NPI (Type 1)", "IBAN (EUR)" */
				size_t o = i - 1;

				while (o > limit && i - o < 24 && p[o - 1] != '(' && p[o - 1] != ')' && p[o - 1] != '\n')
					o--;
				if (o > limit && p[o - 1] == '(' && o >= 2 && p[o - 2] == ' ' && o - 2 > limit && isaln(at(s, o - 3))) {
					i = o - 1;
					continue;
				}
			}
			i--;
		}
		if (i <= limit)
			break;
		if (p[i - 1] == '>') {
			/* a tag: markup is passed over; an XML element names its content */
			size_t lt = i - 1, a, b, end_tag = i - 1;

			while (lt > limit && p[lt - 1] != '<' && p[lt - 1] != '>')
				lt--;
			if (lt <= limit || p[lt - 1] != '<') {
				i--;
				continue;
			}
			a = lt + (p[lt] == '/');
			for (b = a; b < i - 1 && (isaln(p[b]) || p[b] == '_' || p[b] == '-' || p[b] == ':'); b++)
				;
			i = lt - 1;
			if (p[lt] == '/' || b == a)
				continue;
			/* <field name="ssn">: a name attribute names the content */
			{
				/* one pass over the tag's attributes: name=, id=, key=, field=, type= */
				for (size_t q = b; q < end_tag; q++) {
					size_t n0 = q, v0, v1;

					if (p[q] != '=' || q + 1 >= end_tag || (p[q + 1] != '"' && p[q + 1] != '\''))
						continue;
					while (n0 > b && isaln(p[n0 - 1]))
						n0--;
					if (!((q - n0 == 4 && !strncasecmp((const char *)p + n0, "name", 4)) ||
					      (q - n0 == 2 && !strncasecmp((const char *)p + n0, "id", 2)) ||
					      (q - n0 == 3 && !strncasecmp((const char *)p + n0, "key", 3)) ||
					      (q - n0 == 5 && !strncasecmp((const char *)p + n0, "field", 5)) ||
					      (q - n0 == 4 && !strncasecmp((const char *)p + n0, "type", 4))))
						continue;
					for (v0 = v1 = q + 2; v1 < end_tag && p[v1] != p[q + 1]; v1++)
						;
					split_words(p, v0, v1, &ph);
					if ((l = phrase_label(&ph)) || (p[n0] | 32) == 'n')
						return l;	/* an id that names nothing: the element may */
					q = v1;
				}
			}
			if (!s->xml && html_element(p + a, b - a))
				continue;
			split_words(p, a, b, &ph);
			return phrase_label(&ph);	/* <ssn>, <PassportID>; another: not ours */
		}
		if (isdig(p[i - 1]) && i < s->len && p[i] == ':') {
			size_t d0 = i;	/* PHP's serialize(): s:9:"value" */

			while (d0 > limit && isdig(p[d0 - 1]))
				d0--;
			if (d0 >= limit + 2 && p[d0 - 1] == ':' && p[d0 - 2] == 's' && (d0 < 3 || !isaln(p[d0 - 3]))) {
				i = d0 - 2;
				nth--;
				continue;
			}
		}
		end = i;
		/* its start: words and single separators */
		while (i > limit) {
			unsigned char c = p[i - 1];

			if (isaln(c) || c == '#' || c == '\'') {
				digits |= isdig(c);
				i--;
			} else if ((c == ' ' || c == '_' || c == '-' || c == '.' || c == '+') && i - 1 > limit &&
				   (isaln(p[i - 2]) || (c == ' ' && p[i - 2] == '.') ||
				    (c == '_' && p[i - 2] == '_'))) {
				i--;	/* "Soc. Sec.", "Social+Security" (a form), "license__no" */
			} else {
				break;
			}
		}
		start = i;
		split_words(p, start, end, &ph);
		if (digits && drop_values(&ph))
			return L_NONE;	/* the phrase ends in another value */
		if ((l = phrase_label(&ph)))
			return l;
		{
			int quals = 1;	/* only qualifiers: "SSN (full)", "Routing #", "sample_b64" */

			for (int k = 0; k < ph.n && quals; k++)
				quals = lookup(ph.w[k]) == L_QUAL;
			if (quals && ph.n)
				continue;
		}
		/*
		 * Unknown: the key of this value ("taxpayer=...") or another
		 * value ("1E88YT5NM37") ends the search; words of a sentence
		 * ("SSN for John Smith") are passed over.
		 */
		if ((nth == 0 && key) || digits)
			return L_NONE;
	}
	return L_NONE;
}

/* ---------------------------------------------------------------------
 * Tokens after a keyword
 */
struct token {
	size_t start, end;
	char digits[24];
	int nd, nl;		/* digits, leading letters */
	char letters[3];
	char sep;		/* the one separator used between groups, or 0 */
	int groups[8], ng;
	int paren;		/* "(415) 555-2671" */
	int mixed;		/* letters after digits, mixed separators */
};

/* The next token with a digit in [pos, limit): alphanumerics and single separators. */
static int next_token(const struct gf_dlp_scratch *s, size_t pos, size_t limit, struct token *t)
{
	const unsigned char *p = s->buf;

	while (pos < limit) {
		size_t i;

		if (!isaln(p[pos]) && p[pos] != '(') {
			pos++;
			continue;
		}
		memset(t, 0, sizeof(*t));
		t->start = pos;
		i = pos;
		if (p[i] == '(') {
			t->paren = 1;
			i++;
		}
		while (i < s->len && i - t->start < 24) {
			unsigned char c = p[i];

			if (isdig(c)) {
				if (t->nd < 23)
					t->digits[t->nd] = c;
				t->nd++;
				if (!t->ng || (i > t->start && !isdig(p[i - 1])))
					t->ng++;
				if (t->ng <= 8)
					t->groups[t->ng - 1]++;
				i++;
			} else if (isup(c) || islow(c)) {
				if (t->nd)
					t->mixed = 1;
				else if (t->nl < 2)
					t->letters[t->nl] = toupper(c);
				t->nl++;
				i++;
			} else if ((c == '-' || c == ' ' || c == '.' || c == '+' || c == ')') && t->nd &&
				   (isdig(at(s, i + 1)) || (c == ')' && at(s, i + 1) == ' ' &&
							    isdig(at(s, i + 2))))) {
				if (c == ')') {
					if (!t->paren)
						break;
					i += at(s, i + 1) == ' ' ? 2 : 1;
					continue;
				}
				if (t->sep && t->sep != c)
					t->mixed = 1;
				t->sep = c;
				i++;
			} else {
				break;
			}
		}
		t->end = i;
		t->digits[t->nd < 23 ? t->nd : 23] = '\0';
		if (t->nd)
			return 1;
		pos = i > pos ? i : pos + 1;	/* a word: "number", "no" */
	}
	return 0;
}

/* Does the token stand alone: no letter or digit glued to its ends? */
static int token_alone(const struct gf_dlp_scratch *s, const struct token *t)
{
	return (!t->start || !isaln(s->buf[t->start - 1])) && !isaln(at(s, t->end));
}

/* A token as the value of a field named `label`. */
static void token_value(struct gf_dlp_scratch *s, const struct token *t, int label)
{
	int plain = !t->sep && !t->mixed && !t->paren && t->ng == 1;

	if (t->nd > 19 || t->mixed || !token_alone(s, t))
		return;
	switch (label) {
	case L_SSN:
		if (t->nl || t->nd != 9)
			return;
		if (!plain && !(t->ng == 3 && t->groups[0] == 3 && t->groups[1] == 2 &&
				(t->sep == '-' || t->sep == ' ' || t->sep == '+')))
			return;
		if (ssn_ok(t->digits))
			emit(s, GF_DLP_SSN, t->start, t->end, t->digits, 9);
		break;
	case L_PASSPORT:
		if (plain && ((!t->nl && t->nd == 9) || (t->nl == 1 && t->nd == 8)) &&
		    !all_same(t->digits, t->nd)) {
			char v[10];

			if (t->nl)
				v[0] = t->letters[0];
			memcpy(v + t->nl, t->digits, t->nd);
			emit(s, GF_DLP_US_PASSPORT, t->start, t->end, v, t->nd + t->nl);
		}
		break;
	case L_ABA:
		if (plain && !t->nl && t->nd == 9 && aba_ok(t->digits))
			emit(s, GF_DLP_ABA_ROUTING, t->start, t->end, t->digits, 9);
		break;
	case L_NPI:
		if (plain && !t->nl && t->nd == 10 && npi_ok(t->digits))
			emit(s, GF_DLP_HEALTH_NPI, t->start, t->end, t->digits, 10);
		break;
	case L_DL:
		if (t->nl <= 2 && t->nd >= 6 && t->nd <= 13 && !t->paren && (plain || t->sep == '-') &&
		    !all_same(t->digits, t->nd)) {
			char v[16];

			memcpy(v, t->letters, t->nl);
			memcpy(v + t->nl, t->digits, t->nd);
			emit(s, GF_DLP_US_DRIVERS_LICENSE, t->start, t->end, v, t->nd + t->nl);
		}
		break;
	case L_PHONE:
		if (!t->nl && (t->nd == 10 || (t->nd == 11 && t->digits[0] == '1')) &&
		    phone_ok(t->digits + t->nd - 10))
			emit(s, GF_DLP_US_PHONE, t->start, t->end, t->digits + t->nd - 10, 10);
		break;
	}
}

/* ---------------------------------------------------------------------
 * Values after keywords
 */
static int parse_dec(const unsigned char *b, size_t len, size_t p, double *val, size_t *end)
{
	size_t i = p, decimals = 0;
	int ints = 0;
	char text[24];

	if (i < len && b[i] == '-')
		i++;
	while (i < len && isdig(b[i]) && ints < 4)
		i++, ints++;
	if (!ints || i >= len || b[i] != '.')
		return -1;
	i++;
	while (i < len && isdig(b[i]) && decimals < 15)
		i++, decimals++;
	if (i < len && isdig(b[i]))
		return -1;
	memcpy(text, b + p, i - p);
	text[i - p] = '\0';
	*val = strtod(text, NULL);	/* exact, as printf rounds it back */
	*end = i;
	return (int)decimals;
}

static void emit_pair(struct gf_dlp_scratch *s, size_t start, size_t end, double lat, double lon)
{
	char v[48];
	int n = snprintf(v, sizeof(v), "%.5f,%.5f", lat, lon);

	emit(s, GF_DLP_PRECISE_GEOLOCATION, start, end, v, (size_t)n);
}

/* "lat": 40.7128 ... "lon": -74.0060, in either order */
static void coord_after(struct gf_dlp_scratch *s, size_t from, size_t limit, int label)
{
	const unsigned char *p = s->buf;
	size_t i = from, end;
	double v;

	for (;;) {
		while (i < limit && (p[i] == '"' || p[i] == '\'' || p[i] == ':' || p[i] == '=' ||
				     p[i] == ' ' || p[i] == '>' || p[i] == '\t' || p[i] == '{'))
			i++;
		if (i + 5 <= limit && !strncasecmp((const char *)p + i, "value", 5))
			i += 5;	/* {"latitude":{"value":40.7128}}: a wrapper object */
		else
			break;
	}
	if (i >= limit || parse_dec(p, s->len, i, &v, &end) < 3 || fabs(v) > (label == L_LAT ? 90 : 180))
		return;
	if (label_at(s, i, 24) != label)
		return;
	if (s->pend_label && s->pend_label != label && i < s->pend_end + 200) {
		double lat = label == L_LAT ? v : s->pend_val, lon = label == L_LAT ? s->pend_val : v;

		emit_pair(s, s->pend_start, end, lat, lon);
		s->pend_label = 0;
	} else {
		s->pend_label = label;
		s->pend_val = v;
		s->pend_start = i;
		s->pend_end = end;
	}
}

/*
 * A pair after a name for a place: "position=40.7128 -74.0060".  Comma pairs
 * need no name (K_PAIR); a pair apart by a space alone does.
 */
static void pair_after(struct gf_dlp_scratch *s, size_t from, size_t limit, int label)
{
	const unsigned char *p = s->buf;
	size_t i = from, e1, e2, j;
	double lat, lon;
	int l;

	while (i < limit && strchr("\"':= >\t([", p[i]) && p[i])
		i++;
	if (i >= limit || parse_dec(p, s->len, i, &lat, &e1) < 3 || fabs(lat) > 90)
		return;
	for (j = e1; j < s->len && j < e1 + 3 && (p[j] == ' ' || p[j] == ',' || p[j] == ';' || p[j] == '\t' || p[j] == '/'); j++)
		;
	if (j == e1 || parse_dec(p, s->len, j, &lon, &e2) < 3 || fabs(lon) > 180 || isaln(at(s, e2)))
		return;
	l = label_at(s, i, 32);
	if (l == label || (label == L_LAT && l == L_LON))	/* "Lat/Lon" ends in "lon" */
		emit_pair(s, i, e2, lat, lon);
}

/* ICD-10-CM codes after "diagnosis", "icd", "dx": a list of them, too. */
static void icd_after(struct gf_dlp_scratch *s, size_t from, size_t limit, int need_label)
{
	const unsigned char *p = s->buf;

	for (size_t i = from; i + 3 <= limit; i++) {
		size_t j = i + 3;
		char v[8];
		int n = 3;

		if (!isup(p[i]) || p[i] == 'U' || !isdig(p[i + 1]) || !(isdig(p[i + 2]) || isup(p[i + 2])))
			continue;
		if (i && (isaln(p[i - 1]) || p[i - 1] == '.' || p[i - 1] == '^'))
			continue;	/* "^I10": HL7's name of the coding system */
		if (j + 1 < s->len && p[j] == '.' && isaln(p[j + 1])) {
			j++;
			while (j < s->len && n < 7 && isaln(p[j]))
				v[n++] = p[j++];
		} else {
			while (j < s->len && n < 7 && isaln(p[j]))
				v[n++] = p[j++];
		}
		if (isaln(at(s, j)) || n > 7)
			continue;
		memcpy(v, p + i, 3);
		for (int k = 3; k < n; k++)
			v[k] = toupper(v[k]);
		if (!need_label || label_at(s, i, 160) == L_ICD)
			emit(s, GF_DLP_HEALTH_ICD10, i, j, v, n);
		i = j;
	}
}

/* A base64 template or an embedding after "fingerprint", "face_embedding"... */
/*
 * A blob's name may be its object's: {"voice":{"sample_b64":"..."}},
 * {"biometric_sample":{"kind":"palm","blob":"..."}}.  The keys of the two
 * objects around `pos` (JSON), nearest first.
 */
static int bio_enclosing(const struct gf_dlp_scratch *s, size_t pos)
{
	const unsigned char *p = s->buf;
	size_t i = pos && p[pos - 1] == '"' ? pos - 1 : pos;	/* out of the value's string */

	for (int level = 0; level < 2; level++) {
		int depth = 0, in_str = 0;

		/* back to the '{' that opens the object holding pos */
		for (; i > 0 && pos - i < 512; i--) {
			unsigned char c = p[i - 1];

			if (c == '"' && (i < 2 || p[i - 2] != '\\'))
				in_str = !in_str;
			else if (!in_str && (c == '}' || c == ']'))
				depth++;
			else if (!in_str && (c == '{' || c == '[') && depth)
				depth--;
			else if (!in_str && c == '{')
				break;
		}
		if (i == 0 || p[i - 1] != '{')
			return 0;
		i--;
		/* its key: "name" : {, or "name" : [ {  for an object in an array */
		{
			size_t e = i, b;
			struct phrase ph;

			while (e > 0 && (p[e - 1] == ' ' || p[e - 1] == '['))
				e--;
			while (e > 0 && (p[e - 1] == ' ' || p[e - 1] == ':'))
				e--;
			if (e == 0 || p[e - 1] != '"')
				return 0;
			e--;
			for (b = e; b > 0 && e - b < 48 && p[b - 1] != '"'; b--)
				;
			split_words(p, b, e, &ph);
			if (phrase_label(&ph) == L_BIO)
				return 1;
			i = b ? b - 1 : 0;
		}
	}
	return 0;
}

static int bio_named(const struct gf_dlp_scratch *s, size_t i)
{
	return label_at(s, i, 64) == L_BIO || bio_enclosing(s, i);
}

static void bio_after(struct gf_dlp_scratch *s, size_t from, size_t limit, int need_label)
{
	const unsigned char *p = s->buf;

	for (size_t i = from; i < limit; i++) {
		size_t j = i, commas = 0;

		if (p[i] == '[') {
			for (j = i + 1; j < s->len && p[j] != ']' && j - i < 16384; j++)
				commas += p[j] == ',';
			if (commas >= 15 && (!need_label || bio_named(s, i))) {
				emit(s, GF_DLP_BIOMETRIC, i, j, (const char *)p + i, j - i < 64 ? j - i : 64);
				return;
			}
			continue;
		}
		int hex = 1;	/* a digest ("fingerprint": SHA-256 of a key) is hex */

		while (j < s->len && (isaln(p[j]) || p[j] == '+' || p[j] == '/')) {
			hex &= xdigit(p[j]);
			j++;
		}
		if (hex && j - i >= 96) {
			/* a key's fingerprint is a hex digest (64 characters at most for SHA-256); a
			 * longer hex blob under another name is a template */
			size_t b = i > 40 ? i - 40 : 0;

			hex = memmem(p + b, i - b, "print", 5) != NULL;
		}
		if (j - i >= 40 && !hex && (!need_label || bio_named(s, i))) {
			emit(s, GF_DLP_BIOMETRIC, i, j, (const char *)p + i, 40);
			/* another blob right after, in the same object: "left", "right" */
			limit = j + 32 < s->len ? j + 32 : s->len;
		}
		if (j > i)
			i = j;
	}
}

/*
 * Delimited lists: CSV rows ('\n' ends one) and SQL tuples (')' ends one).
 * A cell that starts with a quote runs to the closing quote (doubled quotes
 * inside), so "Smith, Ann" is one cell.  [a, b) is the cell without its
 * quotes and spaces.
 */
static size_t cell_end(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop)
{
	const unsigned char *p = s->buf;

	while (i < lim && p[i] == ' ')
		i++;
	if (i < lim && (p[i] == '"' || p[i] == '\'' || p[i] == '`')) {
		unsigned char q = p[i++];

		for (; i < lim; i++)
			if (p[i] == q) {
				if (i + 1 < lim && p[i + 1] == q)
					i++;
				else
					break;
			}
	}
	while (i < lim && p[i] != (unsigned char)delim && p[i] != (unsigned char)stop && p[i] != '\n')
		i++;
	return i;
}

static int nth_cell(const struct gf_dlp_scratch *s, size_t i, size_t lim, char delim, char stop, size_t col,
		    size_t *a, size_t *b)
{
	for (size_t c = 0;; c++) {
		size_t e = cell_end(s, i, lim, delim, stop);

		if (c == col) {
			*a = i;
			*b = e;
			while (*a < *b && strchr(" \"'`", s->buf[*a]))
				(*a)++;
			while (*b > *a && strchr(" \"'`\r", s->buf[*b - 1]))
				(*b)--;
			return 1;
		}
		if (e >= lim || s->buf[e] != (unsigned char)delim)
			return 0;
		i = e + 1;
	}
}

/* Which cell of the list starting at `i` holds `pos`? */
static size_t cell_index(const struct gf_dlp_scratch *s, size_t i, size_t pos, char delim, char stop)
{
	size_t c = 0;

	for (;;) {
		size_t e = cell_end(s, i, s->len, delim, stop);

		if (pos < e || e >= s->len || s->buf[e] != (unsigned char)delim)
			return c;
		i = e + 1;
		c++;
	}
}

/* A value in a column named for `label`. */
static void cell_value(struct gf_dlp_scratch *s, size_t a, size_t b, int label)
{
	struct token t;

	switch (label) {
	case L_ICD: icd_after(s, a, b, 0); break;
	case L_BIO: bio_after(s, a, b, 0); break;
	case L_LAT:
	case L_LON: break;	/* columns of coordinates: left alone */
	default:
		if (next_token(s, a, b, &t) && t.start == a && t.end == b)
			token_value(s, &t, label);
	}
}

/* A keyword in the header of a CSV-like payload: every row's cell of its column. */
static void column_values(struct gf_dlp_scratch *s, size_t kw, int label)
{
	size_t col = cell_index(s, s->header_start, kw, s->delim, '\n'), line, a, b;

	if (col >= 64 || (s->cols_done >> col & 1))
		return;
	/* the header cell must name this label, not only contain the keyword */
	if (!nth_cell(s, s->header_start, s->len, s->delim, '\n', col, &a, &b) || label_at(s, b, b - a) != label)
		return;
	s->cols_done |= 1ull << col;
	for (line = s->header_end + 1; line < s->len;) {
		const unsigned char *nl;

		if (nth_cell(s, line, s->len, s->delim, '\n', col, &a, &b))
			cell_value(s, a, b, label);
		nl = memchr(s->buf + line, '\n', s->len - line);
		if (!nl)
			break;
		line = nl - s->buf + 1;
	}
}

/*
 * INSERT INTO t (c1, c2, ...) VALUES (v1, v2, ...), (...): a keyword in the
 * column list names that cell of every tuple.
 */
static void do_sql(struct gf_dlp_scratch *s, size_t to)
{
	const unsigned char *p = s->buf;
	size_t i = to, lim = s->len < to + 256 ? s->len : to + 256, c0, c1;

	while (i < lim && p[i] != '(' && p[i] != ';' && p[i] != '\n')
		i++;	/* the table's name */
	if (i >= lim || p[i] != '(')
		return;
	c0 = ++i;
	for (lim = s->len < c0 + 4096 ? s->len : c0 + 4096; i < lim && p[i] != ')'; i++)
		;
	if (i >= lim)
		return;
	c1 = i++;
	while (i < s->len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
		i++;
	if (i + 6 > s->len || strncasecmp((const char *)p + i, "values", 6))
		return;
	for (i += 6; i < s->len && p[i] != '('; i++)
		if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
			return;
	if (i >= s->len)
		return;
	s->sql_c0 = c0;
	s->sql_c1 = c1;
	s->sql_v0 = i;
}

static void sql_values(struct gf_dlp_scratch *s, size_t kw, int label)
{
	size_t col = cell_index(s, s->sql_c0, kw, ',', ')'), i = s->sql_v0, a, b;
	const unsigned char *p = s->buf;

	if (col >= 64 || (s->cols_done >> col & 1))
		return;
	if (!nth_cell(s, s->sql_c0, s->sql_c1, ',', ')', col, &a, &b) || label_at(s, b, b - a) != label)
		return;
	s->cols_done |= 1ull << col;
	/* the tuples: "(" cells ")" separated by commas */
	while (i < s->len && p[i] == '(') {
		size_t e = i + 1;

		if (nth_cell(s, i + 1, s->len, ',', ')', col, &a, &b))
			cell_value(s, a, b, label);
		for (size_t c = 0; e < s->len && p[e] != ')' && c < 1024; c++) {
			e = cell_end(s, e, s->len, ',', ')');
			if (e < s->len && p[e] == ',')
				e++;
		}
		if (e >= s->len)
			break;
		for (i = e + 1; i < s->len && (p[i] == ' ' || p[i] == ',' || p[i] == '\n' || p[i] == '\r'); i++)
			;
	}
}

/* "<td" or "<th" followed by '>' or a space at i? */
static int cell_tag(const struct gf_dlp_scratch *s, size_t i)
{
	return i + 4 <= s->len && s->buf[i] == '<' && (s->buf[i + 1] | 32) == 't' &&
	       ((s->buf[i + 2] | 32) == 'd' || (s->buf[i + 2] | 32) == 'h') &&
	       (s->buf[i + 3] == '>' || s->buf[i + 3] == ' ');
}

/*
 * An HTML table with its names in a header row: a keyword in a <th> names
 * that cell of every later row.  Returns 1 if the keyword was in a <th>.
 */
static int html_columns(struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	size_t lt = kw, tr, i, col = 0, end, a, b;

	while (lt > 0 && kw - lt < 64 && p[lt - 1] != '<' && p[lt - 1] != '>')
		lt--;
	if (lt == 0 || p[lt - 1] != '>')
		return 0;
	/* the tag before the name: <th> or <th ...> */
	for (i = lt - 1; i > 0 && lt - i < 64 && p[i] != '<'; i--)
		;
	if (p[i] != '<' || !cell_tag(s, i) || (p[i + 2] | 32) != 'h')
		return 0;
	/* <tr><th>SSN</th><td>...: a row's label, not a column's */
	for (size_t j = kw; j < s->len && j - kw < 256; j++) {
		if (p[j] == '<' && (p[j + 1] | 32) == '/' && (p[j + 2] | 32) == 't' && (p[j + 3] | 32) == 'r')
			break;
		if (cell_tag(s, j)) {
			if ((p[j + 2] | 32) == 'd')
				return 0;
			break;
		}
	}
	/* its row, and its place in it */
	for (tr = i; tr > 0 && i - tr < 4096; tr--)
		if (p[tr] == '<' && (p[tr + 1] | 32) == 't' && (p[tr + 2] | 32) == 'r')
			break;
	for (size_t j = tr; j < i; j++)
		col += cell_tag(s, j);
	end = find_ci(s, kw, s->len, "<");
	if (col >= 64 || (s->html_cols_done >> col & 1) || label_at(s, end, end - lt) != label)
		return 1;
	s->html_cols_done |= 1ull << col;
	/* every later row: its col-th cell */
	for (i = find_ci(s, end, s->len, "</tr"); i < s->len;) {
		size_t row = find_ci(s, i, s->len, "<tr"), rend, c = 0;

		if (row >= s->len)
			break;
		rend = find_ci(s, row, s->len, "</tr");
		for (size_t j = row; j < rend; j++) {
			if (!cell_tag(s, j))
				continue;
			if (c++ == col) {
				a = find_ci(s, j, rend, ">") + 1;
				b = find_ci(s, a, rend, "<");
				while (a < b && p[a] == ' ')
					a++;
				while (b > a && p[b - 1] == ' ')
					b--;
				if (a < b)
					cell_value(s, a, b, label);
				break;
			}
		}
		i = rend + 1;
	}
	return 1;
}

/*
 * A fixed-width report: columns separated by two spaces or more in the
 * header line.  A keyword in the header names the text at its column's
 * offset in every later line.
 */
static void fixed_columns(struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	size_t c0 = kw, c1, tend, col = 0, line;

	while (c0 > 0 && !(p[c0 - 1] == ' ' && c0 >= 2 && p[c0 - 2] == ' '))
		c0--;
	for (size_t j = 1; j < c0; j++)
		col += p[j] == ' ' && p[j - 1] == ' ' && (j + 1 >= c0 || p[j + 1] != ' ');
	for (tend = kw; tend < s->header_end && !(p[tend] == ' ' && at(s, tend + 1) == ' '); tend++)
		;
	for (c1 = tend; c1 < s->header_end && p[c1] == ' '; c1++)
		;
	if (col >= 64 || (s->cols_done >> col & 1) || label_at(s, tend, tend - c0) != label)
		return;
	s->cols_done |= 1ull << col;
	for (line = s->header_end + 1; line < s->len;) {
		const unsigned char *nl = memchr(p + line, '\n', s->len - line);
		size_t le = nl ? (size_t)(nl - p) : s->len, a = line + c0, b;

		while (a < le && a < line + c1 && p[a] == ' ')
			a++;
		if (a < le && a < line + c1) {
			for (b = a; b < le && p[b] != '\r' && !(p[b] == ' ' && b + 1 < le && p[b + 1] == ' '); b++)
				;
			cell_value(s, a, b, label);
		}
		if (!nl)
			break;
		line = le + 1;
	}
}

/*
 * A JSON array of arrays whose first row holds names (a spreadsheet's
 * "values": [["Name","SSN"],["Ann","123-45-6789"]]): a keyword in the first
 * row names that element of every later row.  Returns 1 if it was one.
 */
static int array_columns(struct gf_dlp_scratch *s, size_t kw, int label)
{
	const unsigned char *p = s->buf;
	size_t r0 = kw, q, r1, col, a, b;

	/* cheap first: the keyword is in a string that is an element of an array */
	while (r0 > 0 && kw - r0 < 64 && p[r0 - 1] != '"')
		r0--;
	for (r0 = r0 ? r0 - 1 : 0; r0 > 0 && p[r0 - 1] == ' '; r0--)
		;
	if (r0 == 0 || (p[r0 - 1] != '[' && p[r0 - 1] != ','))
		return 0;
	while (r0 > 0 && kw - r0 < 4096 && !strchr("[]{}:\n", p[r0 - 1]))
		r0--;
	if (r0 == 0 || p[r0 - 1] != '[')
		return 0;
	for (q = r0 - 1; q > 0 && strchr(" \n\r\t", p[q - 1]); q--)
		;
	if (q == 0 || p[q - 1] != '[')
		return 0;	/* the first row of an array of arrays only */
	/*
	 * A row holding values ([["ssn","536221234"],["icdCode","N56"]]: pairs) is
	 * no header: a header's cells are names, and a cell with a digit and no
	 * lowercase word must be a known one ("ICD10").
	 */
	for (size_t c = 0; c < 64 && nth_cell(s, r0, s->len, ',', ']', c, &a, &b); c++) {
		int dig = 0, word = 0;

		/* value-like: a digit and no lowercase word ("N56", "536221234"; not "card_number_1") */
		for (size_t i = a, low = 0; i < b; i++) {
			dig |= isdig(p[i]);
			low = islow(p[i]) ? low + 1 : 0;
			word |= low >= 3;
		}
		if (dig && !word) {
			struct phrase ph;

			split_words(p, a, b, &ph);
			if (phrase_label(&ph) == L_NONE)
				return 0;
		}
	}
	col = cell_index(s, r0, kw, ',', ']');
	if (col >= 64 || (s->cols_done >> col & 1))
		return 1;
	if (!nth_cell(s, r0, s->len, ',', ']', col, &a, &b) || label_at(s, b, b - a) != label)
		return 1;
	s->cols_done |= 1ull << col;
	for (r1 = r0;;) {
		/* the end of this row, then the next one: ", [" */
		for (size_t c = 0; r1 < s->len && p[r1] != ']' && c < 1024; c++) {
			r1 = cell_end(s, r1, s->len, ',', ']');
			if (r1 < s->len && p[r1] == ',')
				r1++;
		}
		for (r1++; r1 < s->len && strchr(" \n\r\t,", p[r1]); r1++)
			;
		if (r1 >= s->len || p[r1] != '[')
			break;
		r1++;
		if (nth_cell(s, r1, s->len, ',', ']', col, &a, &b))
			cell_value(s, a, b, label);
	}
	return 1;
}

/*
 * Free text that gives the value first: "J46710823 is the passport number",
 * "123456789 (SSN)".  Only short connecting words may stand between.
 */
static void value_before(struct gf_dlp_scratch *s, size_t kw, int label)
{
	static const char *const conn[] = { "is", "the", "was", "as", "his", "her", "their", "my", "your", "our" };
	const unsigned char *p = s->buf;
	size_t i = kw, words = 0, paren = 0, name_words = 0, e, b;
	struct phrase ph;
	struct token t;

	/* the keyword's phrase (its first three words or fewer) must name the label */
	for (e = kw; e < s->len && e - kw < 32 && (isaln(p[e]) || p[e] == ' ' || p[e] == '_' || p[e] == '#' || p[e] == '.'); e++)
		;
	split_words(p, kw, e, &ph);
	if (ph.n > 3)
		ph.n = 3;
	while (ph.n > 0 && phrase_label(&ph) != label)
		ph.n--;
	if (!ph.n)
		return;
	while (i > 0 && kw - i < 40) {
		if (p[i - 1] == ' ') {
			i--;
		} else if (p[i - 1] == '(' && !paren) {
			paren = 1;
			i--;
		} else if (islow(p[i - 1]) || isup(p[i - 1])) {
			size_t w = i, n;
			int ok = 0;

			while (w > 0 && (islow(p[w - 1]) || isup(p[w - 1])))
				w--;
			n = i - w;
			for (size_t k = 0; k < sizeof(conn) / sizeof(*conn) && !ok; k++)
				ok = strlen(conn[k]) == n && !strncasecmp((const char *)p + w, conn[k], n);
			if (w == 0 || p[w - 1] != ' ')
				break;
			if (!ok) {
				/* a word of the name ("Billing NPI"), before any connecting word */
				if (words || ++name_words > 2)
					break;
			} else {
				words++;
			}
			i = w;
		} else {
			break;
		}
	}
	if ((!words && !paren) || i == 0 || !isaln(p[i - 1]))
		return;
	/* the token that ends there */
	for (b = i; b > 0 && i - b < 24 && (isaln(p[b - 1]) || ((p[b - 1] == '-' || p[b - 1] == '.') && b >= 2 && isaln(p[b - 2])) ||
					    (p[b - 1] == ' ' && b >= 2 && isdig(p[b - 2]) && isdig(p[b]))); b--)
		;
	if (label == L_ICD)
		icd_after(s, b, i, 0);
	else if (next_token(s, b, i, &t) && t.start == b && t.end == i)
		token_value(s, &t, label);
}

/* A keyword at the start of a word ("Routing", "bankRouting"; not "hotel", "PassportNo"'s "rtN")? */
static int key_valid(const struct gf_dlp_scratch *s, const struct pattern *p, size_t to)
{
	size_t start = to - p->width;
	unsigned char prev = start ? s->buf[start - 1] : ' ', first = s->buf[start];

	if (isdig(prev) || (islow(prev) && !isup(first)))
		return 0;
	if (isup(prev) && isup(first) && start >= 2 && isup(s->buf[start - 2]) && !islow(at(s, to)) &&
	    !islow(at(s, start + 1)))
		return 0;	/* inside a word in capitals ("USPassportNo" is two words) */
	return 1;
}

/* A keyword: its values, up to the next keyword. */
static void on_key(struct gf_dlp_scratch *s, const struct pattern *p, size_t to, size_t limit)
{
	size_t start = to - p->width;
	int label = p->label;

	if (s->sql_c1 && start >= s->sql_c0 && to <= s->sql_c1) {
		sql_values(s, start, label);
		return;
	}
	if (s->has_th && html_columns(s, start, label))
		return;
	if (start > 0 && s->buf[start - 1] == '^' && label != L_ICD) {
		/* HL7: "1234567893^SMITH^JOHN^^^^^^NPI": the identifier is the field's first component */
		size_t a = start - 1, b;
		struct token t;

		while (a > 0 && start - a < 160 && s->buf[a - 1] != '|')
			a--;
		for (b = a; b < start && s->buf[b] != '^'; b++)
			;
		if (a > 0 && next_token(s, a, b, &t) && t.start == a && t.end == b)
			token_value(s, &t, label);
		return;
	}
	if (start > 2 && array_columns(s, start, label))
		return;
	/* a header cell names the column; a first line that is a record holds values too */
	if ((s->delim || s->fixed) && to <= s->header_end && start >= s->header_start) {
		if (s->delim)
			column_values(s, start, label);
		else
			fixed_columns(s, start, label);
		if (limit > s->header_end)
			limit = s->header_end;
	}
	{
		size_t ws = start;	/* the start of the name: "bankRoutingNo" */

		while (ws > 0 && start - ws < 24 && (isaln(s->buf[ws - 1]) || s->buf[ws - 1] == '_'))
			ws--;
		if (label != L_LAT && label != L_LON && label != L_BIO && label != L_GEO && ws > 0 && (s->buf[ws - 1] == ' ' || s->buf[ws - 1] == '('))
			value_before(s, ws, label);
	}
	switch (label) {
	case L_ICD:
		icd_after(s, to, limit < to + 160 ? limit : to + 160, 1);
		return;
	case L_LAT:
	case L_LON:
		if (label == L_LAT && to + 3 < s->len && s->buf[to] == '/' &&
		    (!strncasecmp((const char *)s->buf + to + 1, "lon", 3) ||
		     !strncasecmp((const char *)s->buf + to + 1, "lng", 3))) {
			/* "Lat/Lon: 40.7128 / -74.0060" */
			for (to += 4; to < s->len && isaln(s->buf[to]); to++)
				;
			pair_after(s, to, s->len < to + 24 ? s->len : to + 24, L_LAT);
			return;
		}
		while (to < s->len && (isaln(s->buf[to]) || s->buf[to] == '_'))
			to++;	/* "latitude", "longitude", "lat_deg" */
		coord_after(s, to, limit < to + 24 ? limit : to + 24, label);
		return;
	case L_GEO:
		while (to < s->len && (isaln(s->buf[to]) || s->buf[to] == '_'))
			to++;
		pair_after(s, to, limit < to + 24 ? limit : to + 24, L_GEO);
		return;
	case L_BIO:
		/* not cut at the next keyword: base64 holds any word ("DXF4...") */
		bio_after(s, to, s->len < to + 64 ? s->len : to + 64, 1);
		return;
	}
	while (to < s->len && (isaln(s->buf[to]) || s->buf[to] == '_'))
		to++;	/* the rest of the name is no value: "passport1", "npi_no" */
	{
		/* a <label> is further from its input's value: "Routing Number</label><input ... value="..." */
		size_t win = memmem(s->buf + to, s->len - to < 24 ? s->len - to : 24, "</label", 7) ? 72 : 48;

		if (limit > to + win)
			limit = to + win;
	}
	for (struct token t; next_token(s, to, limit, &t); to = t.end > to ? t.end : to + 1)
		if (label_at(s, t.start, 64) == label)
			token_value(s, &t, label);
}

/* ---------------------------------------------------------------------
 * Shapes that need no keyword
 */
static void do_ssn_dash(struct gf_dlp_scratch *s, size_t to)
{
	size_t start = to - 11;
	const unsigned char *p = s->buf + start;
	char d[9];
	int l;

	if ((start && (isdig(p[-1]) || p[-1] == '-')) || isdig(at(s, to)) || at(s, to) == '-')
		return;
	memcpy(d, p, 3);
	memcpy(d + 3, p + 4, 2);
	memcpy(d + 5, p + 7, 4);
	/* unless its own field says otherwise ("order: 123-45-6789") */
	l = label_at(s, start, 16);
	if (l != L_OTHER && l != L_PHONE && ssn_ok(d))
		emit(s, GF_DLP_SSN, start, to, d, 9);
}

static void do_card_run(struct gf_dlp_scratch *s, size_t to)
{
	size_t end = isdig(s->buf[to - 1]) ? to : to - 1, start = end;

	while (start > 0 && isdig(s->buf[start - 1]))
		start--;
	if (end - start > 19 || (start && isaln(s->buf[start - 1])) || isaln(at(s, end)))
		return;
	if (card_ok((const char *)s->buf + start, end - start))
		emit(s, GF_DLP_PAYMENT_CARD, start, end, (const char *)s->buf + start, end - start);
}

static void do_card_group(struct gf_dlp_scratch *s, size_t to, int width)
{
	size_t start = to - width, end = to, n = 0;
	const unsigned char *p = s->buf;
	char sep = p[start + 4], d[20];

	for (size_t i = start; i < end; i++)
		if (!isdig(p[i]) && p[i] != (unsigned char)sep)
			return;	/* mixed separators */
	if (width == 19 && at(s, end) == sep && isdig(at(s, end + 1)) && isdig(at(s, end + 2)) &&
	    isdig(at(s, end + 3)) && !isdig(at(s, end + 4)))
		end += 4;	/* 4-4-4-4-3 */
	else if (width == 16 && isdig(at(s, end)) && !isdig(at(s, end + 1)))
		end += 1;	/* 4-6-5 */
	if (isdig(at(s, end)) || isaln(at(s, end)))
		return;
	if (at(s, end) == sep) {
		size_t r = end + 1;

		while (r < s->len && isdig(p[r]) && r - end <= 5)
			r++;
		if (r > end + 1 && r - end - 1 <= 4)
			return;	/* a short group follows: part of a longer number */
	}
	if (start && isaln(p[start - 1]))
		return;
	if (start >= 2 && p[start - 1] == sep && isdig(p[start - 2])) {
		size_t r = start - 1;

		while (r > 0 && isdig(p[r - 1]) && start - 1 - r <= 5)
			r--;
		/* a short group before: part of a longer number; unless it ends a word ("ccNumber1 4705 ...") */
		if (start - 1 - r <= 4 && !(r > 0 && islow(p[r - 1])))	/* not "AT77 3835 ..." (an IBAN) */
			return;
	}
	for (size_t i = start; i < end; i++)
		if (isdig(p[i]))
			d[n++] = p[i];
	if (card_ok(d, n))
		emit(s, GF_DLP_PAYMENT_CARD, start, end, d, n);
}

static void phone_digits(struct gf_dlp_scratch *s, size_t start, size_t end)
{
	char d[10];
	size_t n = 0;
	int l;

	if (isdig(at(s, end)) || (at(s, end) == '.' && isdig(at(s, end + 1))) ||
	    (at(s, end) == '-' && isdig(at(s, end + 1))))
		return;
	for (size_t i = start; i < end && n <= 10; i++)
		if (isdig(s->buf[i]))
			d[n++] = s->buf[i];
	l = label_at(s, start, 24);
	if (n == 10 && phone_ok(d) && l != L_OTHER)
		emit(s, GF_DLP_US_PHONE, start, end, d, 10);
}

static void do_phone(struct gf_dlp_scratch *s, size_t to)
{
	size_t start = to - 12;
	const unsigned char *p = s->buf;

	if (p[start + 3] != p[start + 7])
		return;	/* 415-555.2671 */
	if (start && (isdig(p[start - 1]) || p[start - 1] == '.' || p[start - 1] == '-' ||
		      (p[start - 1] == ' ' && p[start + 3] == ' ' && start >= 2 && isdig(p[start - 2]))))
		return;
	phone_digits(s, start, to);
}

static void do_phone_paren(struct gf_dlp_scratch *s, size_t to)
{
	size_t close = to - 9, start;

	if (s->buf[close] != ')')
		close--;	/* ") " or ")+" */
	if (s->buf[close] != ')' || close < 4 || s->buf[close - 4] != '(')
		return;
	start = close - 4;
	for (size_t i = start + 1; i < close; i++)
		if (!isdig(s->buf[i]))
			return;
	if (start && isdig(s->buf[start - 1]))
		return;
	phone_digits(s, start, to);
}

static void do_iban(struct gf_dlp_scratch *s, size_t to)
{
	size_t start = to - ((s->buf[to - 5] == ' ' || s->buf[to - 5] == '+') ? 9 : 8), i = start;
	int want = iban_len(s->buf + start), n = 0;
	char v[40];

	if (!want || (start && isaln(s->buf[start - 1])))
		return;
	while (i < s->len && n < want) {
		unsigned char c = s->buf[i];

		if (isdig(c) || isup(c)) {
			v[n++] = c;
			i++;
		} else if ((c == ' ' || c == '+') && n % 4 == 0 && n > 0 && isaln(at(s, i + 1))) {
			i++;
		} else {
			return;
		}
	}
	if (n != want || isaln(at(s, i)))
		return;
	if (iban_mod97(v, n))
		emit(s, GF_DLP_IBAN, start, i, v, n);
}

static void do_mbi(struct gf_dlp_scratch *s, size_t to)
{
	int dashed = s->buf[to - 5] == '-';
	size_t width = dashed ? 13 : 11, start, n = 0;
	char v[11];

	if (to < width || isaln(at(s, to)))
		return;
	start = to - width;
	if ((start && isaln(s->buf[start - 1])) || (dashed && s->buf[start + 4] != '-'))
		return;
	for (size_t i = start; i < to && n < 11; i++)
		if (s->buf[i] != '-')
			v[n++] = s->buf[i];
	if (n == 11 && mbi_ok(v))
		emit(s, GF_DLP_HEALTH_MBI, start, to, v, 11);
}

/* "40.7128, -74.0060": two numbers, not two of a longer list. */
static void do_pair(struct gf_dlp_scratch *s, size_t to)
{
	const unsigned char *p = s->buf;
	size_t comma = to, start, e1, e2, q;
	double v1, v2;

	while (comma > 0 && p[comma - 1] != ',')
		comma--;
	if (!comma--)
		return;
	start = comma;
	if (start >= 2 && p[start - 1] == 0xb0 && p[start - 2] == 0xc2)
		start -= 2;	/* "40.7128\u00b0, -74.0060\u00b0" */
	while (start > 0 && (isdig(p[start - 1]) || p[start - 1] == '.'))
		start--;
	if (start > 0 && p[start - 1] == '-')
		start--;
	/* cheap tests first: embeddings and tables are long lists of numbers */
	if (start > 0 && (isaln(p[start - 1]) || p[start - 1] == '.'))
		return;	/* glued to something */
	for (q = start; q > 0 && p[q - 1] == ' '; q--)
		;
	if (q > 0 && p[q - 1] == ',')
		return;	/* two numbers of a longer list */
	q = to;
	while (q < s->len && (isdig(p[q]) || p[q] == '.'))
		q++;
	if (q < s->len && isaln(p[q]))
		return;
	for (; q < s->len && p[q] == ' '; q++)
		;
	if (q < s->len && p[q] == ',' && (isdig(at(s, q + 1)) || at(s, q + 1) == '-' ||
					  (at(s, q + 1) == ' ' && (isdig(at(s, q + 2)) || at(s, q + 2) == '-')))) {
		size_t r = q + 1;	/* a third number makes a list; "17z" (a map's zoom) does not */

		while (r < s->len && (p[r] == ' ' || p[r] == '-' || isdig(p[r]) || p[r] == '.'))
			r++;
		if (!(r < s->len && islow(p[r]) && !isaln(at(s, r + 1))))
			return;
	}
	if (parse_dec(p, s->len, start, &v1, &e1) < 3 || (e1 != comma && !(e1 + 2 == comma && p[e1] == 0xc2)))
		return;
	q = comma + 1 + (p[comma + 1] == ' ');
	if (parse_dec(p, s->len, q, &v2, &e2) < 3 || fabs(v1) > 90 || fabs(v2) > 180)
		return;
	emit_pair(s, start, e2, v1, v2);
}

static void do_hemi(struct gf_dlp_scratch *s, size_t to)
{
	const unsigned char *p = s->buf;
	size_t e = to, start, e1, j;
	double lat, lon;

	/* back over the longitude to the latitude's start: digits, '.', the degree sign */
	for (start = to - 1; start > 0 && p[start] != 'N' && p[start] != 'S'; start--)
		;
	while (start > 0 && (isdig(p[start - 1]) || p[start - 1] == '.' || p[start - 1] == ' ' ||
			     p[start - 1] == 0xb0 || p[start - 1] == 0xc2))
		start--;
	while (start < to && !isdig(p[start]))
		start++;
	if ((start > 0 && (isaln(p[start - 1]) || p[start - 1] == '-')) ||
	    parse_dec(p, s->len, start, &lat, &e1) < 3 || fabs(lat) > 90)
		return;
	for (j = e1; j < to && !isdig(p[j]); j++)
		if (p[j] == 'S')
			lat = -lat;
	if (parse_dec(p, s->len, j, &lon, &e) < 3 || fabs(lon) > 180 || isaln(at(s, to)))
		return;
	if (p[to - 1] == 'W')
		lon = -lon;
	emit_pair(s, start, to, lat, lon);
}

static int email_local(unsigned char c)
{
	return isaln(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void do_email(struct gf_dlp_scratch *s, size_t to)
{
	size_t at_ = to - 2, start = at_, end = at_ + 1, dot = 0;
	char v[320];

	while (start > 0 && at_ - start < 64 && email_local(s->buf[start - 1]))
		start--;
	while (start < at_ && !isaln(s->buf[start]))
		start++;	/* ".john" or "-" in front: not part of it */
	if (start == at_)
		return;
	while (end < s->len && end - at_ < 254 &&
	       (isaln(s->buf[end]) || s->buf[end] == '-' || s->buf[end] == '.'))
		end++;
	while (end > at_ + 1 && (s->buf[end - 1] == '.' || s->buf[end - 1] == '-'))
		end--;	/* the full stop of a sentence */
	for (size_t i = at_ + 1; i < end; i++)
		if (s->buf[i] == '.')
			dot = i;
	if (!dot || dot >= end - 2 || s->buf[dot - 1] == '.' || dot == at_ + 1)
		return;
	for (size_t i = dot + 1; i < end; i++)
		if (!isup(s->buf[i]) && !islow(s->buf[i]))
			return;	/* the top-level domain is letters */
	for (size_t i = start; i < end; i++)
		v[i - start] = tolower(s->buf[i]);
	emit(s, GF_DLP_EMAIL, start, end, v, end - start);
}

static void genomic(struct gf_dlp_scratch *s, size_t to)
{
	size_t from = to > 32 ? to - 32 : 0;

	if (s->genomic_done)
		return;
	s->genomic_done = 1;
	emit(s, GF_DLP_GENOMIC, from, to, (const char *)s->buf + from, to - from);
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

/* The first component of field `n` of the HL7 segment whose first '|' is at `bar`. */
static int hl7_field(const struct gf_dlp_scratch *s, size_t bar, int n, size_t *a, size_t *b)
{
	const unsigned char *p = s->buf;
	size_t i = bar;

	for (int f = 1; f < n; f++) {
		while (++i < s->len && p[i] != '|' && p[i] != '\r' && p[i] != '\n')
			;
		if (i >= s->len || p[i] != '|')
			return 0;
	}
	*a = ++i;
	while (i < s->len && !strchr("|^~\r\n", p[i]))
		i++;
	*b = i;
	return *b > *a;
}

static void do_hl7(struct gf_dlp_scratch *s, size_t to)
{
	size_t a, b;
	struct token t;

	if (s->buf[to - 3] == 'G') {	/* DG1-3: code ^ text ^ coding system */
		if (hl7_field(s, to - 1, 3, &a, &b))
			icd_after(s, a, b, 0);
	} else if (hl7_field(s, to - 1, 19, &a, &b) && next_token(s, a, b, &t) && t.start == a && t.end == b) {
		token_value(s, &t, L_SSN);
	}
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

/* ---------------------------------------------------------------------
 * Replay
 */
static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->to < y->to ? -1 : x->to > y->to ? 1 : (int)x->id - (int)y->id;
}

static void replay(struct gf_dlp_scratch *s)
{
	size_t next_key = 0;

	/* Hyperscan reports nearly in order: sort what it did not */
	for (size_t i = 1; i < s->nev; i++)
		if (ev_cmp(&s->ev[i - 1], &s->ev[i]) > 0) {
			qsort(s->ev, s->nev, sizeof(*s->ev), ev_cmp);
			break;
		}
	for (size_t i = 0; i < s->nev; i++) {
		const struct pattern *p = &s->d->pat[s->ev[i].id];
		size_t to = s->ev[i].to;

		switch (p->kind) {
		case K_KEY: {
			size_t limit = s->len;

			if (!key_valid(s, p, to))
				break;
			/* a keyword's values end where the next keyword starts */
			if (next_key <= i)
				for (next_key = i + 1; next_key < s->nev; next_key++) {
					const struct pattern *q = &s->d->pat[s->ev[next_key].id];

					if (q->kind == K_KEY && key_valid(s, q, s->ev[next_key].to))
						break;
				}
			if (next_key < s->nev)
				limit = s->ev[next_key].to - s->d->pat[s->ev[next_key].id].width;
			on_key(s, p, to, limit > to ? limit : to);
			break;
		}
		case K_SSN_DASH: do_ssn_dash(s, to); break;
		case K_CARD_RUN: do_card_run(s, to); break;
		case K_CARD_G16:
		case K_CARD_G14: do_card_group(s, to, p->width); break;
		case K_PHONE: do_phone(s, to); break;
		case K_PHONE_PAREN: do_phone_paren(s, to); break;
		case K_IBAN: do_iban(s, to); break;
		case K_MBI: do_mbi(s, to); break;
		case K_PAIR: do_pair(s, to); break;
		case K_EMAIL: do_email(s, to); break;
		case K_GENOMIC: genomic(s, to); break;
		case K_FASTX: do_fastx(s, to); break;
		case K_GENOTYPE: do_genotype(s, to); break;
		case K_SQL: do_sql(s, to); break;
		case K_TH: s->has_th = 1; break;
		case K_HEMI: do_hemi(s, to); break;
		case K_HL7: do_hl7(s, to); break;
		case K_NUCL:
			if (!s->genomic_done && nucleotides_mixed(s->buf + to - 48, 48))
				genomic(s, to);
			break;
		case K_BIO_HDR:
			emit(s, GF_DLP_BIOMETRIC, to - p->width, to, (const char *)s->buf + to - p->width,
			     p->width);
			break;
		}
	}
	/* a FASTA/FASTQ record or a genotype row at the very start */
	if (s->len > 2 && (s->buf[0] == '>' || s->buf[0] == '@'))
		do_fastx(s, 1);
	if (s->len > 3 && s->buf[0] == 'r' && s->buf[1] == 's' && isdig(s->buf[2]))
		do_genotype(s, 3);
	if (s->len > 4 && s->buf[0] == '"' && s->buf[1] == 'r' && s->buf[2] == 's' && isdig(s->buf[3]))
		do_genotype(s, 4);
	if (s->len > 6 && s->buf[0] == 'i' && isdig(s->buf[1]) && isdig(s->buf[5]))
		do_genotype(s, 2);
}

/* What a byte is to a header line. */
enum { HC_BAD = 1, HC_DIGIT = 2, HC_DELIM = 4, HC_SPACE = 8 };
static const unsigned char hdr_class[256] = {
	['{'] = HC_BAD, ['}'] = HC_BAD, ['['] = HC_BAD, [']'] = HC_BAD, ['<'] = HC_BAD, ['>'] = HC_BAD,
	['='] = HC_BAD, [':'] = HC_BAD,
	['0'] = HC_DIGIT, ['1'] = HC_DIGIT, ['2'] = HC_DIGIT, ['3'] = HC_DIGIT, ['4'] = HC_DIGIT,
	['5'] = HC_DIGIT, ['6'] = HC_DIGIT, ['7'] = HC_DIGIT, ['8'] = HC_DIGIT, ['9'] = HC_DIGIT,
	[','] = HC_DELIM, ['\t'] = HC_DELIM, [';'] = HC_DELIM, ['|'] = HC_DELIM,
	[' '] = HC_SPACE, ['\r'] = HC_SPACE,
};

/* A tabular payload: its first line holds delimiters and ends early. */
static void detect_table(struct gf_dlp_scratch *s)
{
	const unsigned char *nl = memchr(s->buf, '\n', s->len < 4096 ? s->len : 4096);
	static const char delims[] = ",\t;|";

	s->delim = 0;
	s->cols_done = 0;
	s->col_known = 0;
	s->xml = s->len >= 5 && !memcmp(s->buf, "<?xml", 5);
	s->sql_c0 = s->sql_c1 = s->sql_v0 = 0;
	s->fixed = 0;
	s->has_th = 0;
	s->html_cols_done = 0;
	s->header_start = 0;
	if (!nl || s->buf[0] == '<')
		return;	/* markup holds records, not tables */
	if (s->buf[0] == '{' || s->buf[0] == '[') {
		/*
		 * JSON lines are records, but a JSON string may hold a table
		 * ("data":"name,ssn\n..."; its newlines were unescaped): its
		 * header starts after the string's opening quote.
		 */
		const unsigned char *q = nl;

		if (!s->unescaped)
			return;
		while (q > s->buf && q[-1] != '"')
			q--;
		if (q == s->buf || nl - q < 3)
			return;
		s->header_start = q - s->buf;
		s->header_end = nl - s->buf;
		if (memchr(q, ',', nl - q))
			s->delim = ',';
		else if (memchr(q, '\t', nl - q))
			s->delim = '\t';
		return;
	}
	/*
	 * The header is the first line, or the second after a title line
	 * ("Customer export generated 2025-11-27").  A header holds names: a
	 * sample cut from the middle of a JSON body or a log ("..., \"ts\":1700000000,")
	 * is no table.
	 */
	for (size_t ls = 0, le = nl - s->buf, k = 0; k < 2; k++) {
		int names = le - ls <= 1024, delim = 0, wide = 0;	/* a paragraph is no header */

		/*
		 * One pass: no markup, keys or long numbers; a delimiter; two spaces
		 * before a word.  A header's cells are names, 64 bytes at most: prose
		 * stops the pass there.
		 */
		for (size_t i = ls, run = 0, cell = 0; i < le && names; i++) {
			unsigned char c = s->buf[i], t = hdr_class[c];

			names = !(t & HC_BAD);
			run = t & HC_DIGIT ? run + 1 : 0;
			cell = (t & HC_DELIM) || (c == ' ' && i > ls && s->buf[i - 1] == ' ') ? 0 : cell + 1;
			names &= run < 5 && cell <= 64;
			if ((t & HC_DELIM) && !delim)
				delim = c;
			wide |= i >= ls + 2 && !(t & HC_SPACE) && s->buf[i - 1] == ' ' && s->buf[i - 2] == ' ';
		}
		if (names && k) {
			/* after a title, only a line of short cells is a header */
			size_t cell = 0;

			for (size_t i = ls; i < le && names; i++) {
				cell = hdr_class[s->buf[i]] & HC_DELIM ? 0 : cell + 1;
				names = cell <= 64;
			}
		}
		if (names && delim) {
			/* the first of ",\t;|" that the line holds */
			for (const char *d = delims; *d; d++)
				if (memchr(s->buf + ls, *d, le - ls)) {
					s->delim = *d;
					break;
				}
			s->header_start = ls;
			s->header_end = le;
			return;
		}
		if (k == 0 && names && wide) {
			/* no delimiter: columns apart by two spaces or more make a fixed-width report */
			s->fixed = 1;
			s->header_end = le;
			return;
		}
		/* the next line, after a short title ("Customer export generated 2025-11-27") */
		if (!names || le - ls > 64)
			return;
		ls = le + 1;
		if (ls >= s->len || !(nl = memchr(s->buf + ls, '\n', s->len - ls < 4096 ? s->len - ls : 4096)))
			return;
		le = nl - s->buf;
	}
}

static int xval(unsigned char c)
{
	return isdig(c) ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/*
 * Form posts and URLs percent-encode what matters ("john%40example.com",
 * "4111%201111..."), and form bodies write spaces as '+'.  If the payload
 * has percent escapes, scan a decoded copy instead: decoding only changes
 * escapes, so what was plain stays as it was.
 */
/* Room for a decoded copy of len bytes; it is zeroed after every scan. */
static int dec_reserve(struct gf_dlp_scratch *s, size_t len)
{
	unsigned char *d;

	if (s->dec_cap >= len)
		return 0;
	if (!(d = realloc(s->dec, len)))
		return -ENOMEM;
	s->dec = d;
	s->dec_cap = len;
	return 0;
}

static const unsigned char *url_decoded(struct gf_dlp_scratch *s, const unsigned char *b,
					size_t len, size_t *outlen)
{
	size_t escapes = 0, n = 0;
	int form;

	for (const unsigned char *p = b; (p = memchr(p, '%', len - (p - b))) && p + 2 < b + len; p++)
		escapes += xval(p[1]) >= 0 && xval(p[2]) >= 0;
	form = !memchr(b, ' ', len) && memchr(b, '=', len);
	if (!escapes && !(form && memchr(b, '+', len)))
		return NULL;	/* neither "%40" nor a form's "Soc+Sec" */
	if (dec_reserve(s, len))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (b[i] == '%' && i + 2 < len && xval(b[i + 1]) >= 0 && xval(b[i + 2]) >= 0) {
			s->dec[n++] = xval(b[i + 1]) << 4 | xval(b[i + 2]);
			i += 2;
		} else {
			s->dec[n++] = form && b[i] == '+' ? ' ' : b[i];
		}
	}
	*outlen = n;
	return s->dec;
}

/*
 * JSON strings escape what would show a document's structure: a CSV export
 * in "data":"name,ssn\n...".  Escapes become the character they stand for
 * behind a space ("\n" -> " \n", "\"" -> " \""), so every offset stays.
 */
static const unsigned char *json_unescaped(struct gf_dlp_scratch *s, const unsigned char *b, size_t len)
{
	const unsigned char *p = memchr(b, '\\', len);

	if (!p || p + 1 >= b + len)
		return NULL;
	/* only payloads with escaped newlines or tabs: a document inside a string */
	for (; p && p + 1 < b + len; p = memchr(p + 2, '\\', len - (p + 2 - b)))
		if (p[1] == 'n' || p[1] == 't')
			break;
	if (!p || p + 1 >= b + len)
		return NULL;
	if (b != s->dec) {
		if (dec_reserve(s, len))
			return NULL;
		memcpy(s->dec, b, len);
	}
	for (size_t i = 0; i + 1 < len; i++)
		if (s->dec[i] == '\\') {
			unsigned char c = s->dec[i + 1];

			s->dec[i] = ' ';
			s->dec[i + 1] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
			i++;
		}
	return s->dec;
}

int gf_dlp_scan(const struct gf_dlp *d, struct gf_dlp_scratch *s, const void *buf, size_t len,
		gf_dlp_match_fn fn, void *ctx)
{
	const unsigned char *decoded;
	size_t dlen;
	hs_error_t rc;

	if (len > 0x7fffffffu)
		return -E2BIG;
	if ((decoded = url_decoded(s, buf, len, &dlen))) {
		buf = decoded;
		len = dlen;
	}
	s->unescaped = 0;
	{
		const unsigned char *u = json_unescaped(s, buf, len);

		if (u) {
			decoded = u;
			buf = u;
			dlen = len;
			s->unescaped = 1;
		}
	}
	s->nev = 0;
	s->overflow = 0;
	rc = hs_scan(d->db, buf, (unsigned int)len, 0, s->hs, on_match, s);
	if (s->overflow || rc != HS_SUCCESS) {
		if (decoded)
			explicit_bzero(s->dec, dlen);
		return s->overflow ? -E2BIG : -EIO;
	}
	s->buf = buf;
	s->len = len;
	s->d = d;
	s->fn = fn;
	s->ctx = ctx;
	memset(s->nspans, 0, sizeof(s->nspans));
	/* a new scan number frees every entry; zero it all when the numbers wrap */
	if (++s->scan_no == 0) {
		if (s->seen)
			memset(s->seen, 0, s->seen_cap * sizeof(*s->seen));
		s->scan_no = 1;
	}
	s->seen_n = 0;
	s->genomic_done = 0;
	s->pend_label = 0;
	detect_table(s);
	replay(s);
	s->buf = NULL;
	if (decoded)
		explicit_bzero(s->dec, dlen);
	return 0;
}

/* ---------------------------------------------------------------------
 * Setup
 */
static void base64(const unsigned char *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i + 3 <= n; i += 3) {
		unsigned int v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		*out++ = a[v >> 18];
		*out++ = a[v >> 12 & 63];
		*out++ = a[v >> 6 & 63];
		*out++ = a[v & 63];
	}
	*out = '\0';
}

int gf_dlp_open(struct gf_dlp **out, char *err, size_t errlen)
{
	/* the first six bytes of 19794 records: format id and version */
	static const unsigned char hdr[NB64][6] = {
		{ 'F', 'M', 'R', 0, ' ', '2' }, { 'F', 'M', 'R', 0, '0', '3' },
		{ 'F', 'A', 'C', 0, '0', '1' }, { 'F', 'A', 'C', 0, '0', '3' },
		{ 'F', 'I', 'R', 0, '0', '1' }, { 'I', 'I', 'R', 0, '0', '1' },
	};
	const char *re[NALL];
	unsigned int flags[NALL], ids[NALL];
	hs_compile_error_t *ce = NULL;
	struct gf_dlp *d = calloc(1, sizeof(*d));
	size_t n = 0;

	if (!d)
		return -ENOMEM;
	pthread_once(&words_once, words_init);
	if (hs_valid_platform() != HS_SUCCESS) {
		snprintf(err, errlen, "Hyperscan needs SSSE3, which this CPU lacks");
		free(d);
		return -ENOTSUP;
	}
	for (size_t i = 0; i < NPAT; i++)
		d->pat[n++] = patterns[i];
	for (int i = 0; i < NB64; i++) {
		base64(hdr[i], 6, d->b64re[i]);
		d->pat[n++] = (struct pattern){ d->b64re[i], 0, K_BIO_HDR, 0, 8 };
	}
	for (size_t i = 0; i < n; i++) {
		re[i] = d->pat[i].re;
		flags[i] = d->pat[i].flags;
		ids[i] = i;
	}
	if (hs_compile_multi(re, flags, ids, n, HS_MODE_BLOCK, NULL, &d->db, &ce) != HS_SUCCESS) {
		snprintf(err, errlen, "compiling the scanner's patterns: pattern %d: %s",
			 ce ? ce->expression : -1, ce ? ce->message : "?");
		hs_free_compile_error(ce);
		free(d);
		return -EINVAL;
	}
	if (hs_alloc_scratch(d->db, &d->proto) != HS_SUCCESS) {
		snprintf(err, errlen, "allocating Hyperscan scratch space");
		hs_free_database(d->db);
		free(d);
		return -ENOMEM;
	}
	*out = d;
	return 0;
}

void gf_dlp_close(struct gf_dlp *d)
{
	if (!d)
		return;
	hs_free_scratch(d->proto);
	hs_free_database(d->db);
	free(d);
}

struct gf_dlp_scratch *gf_dlp_scratch_new(const struct gf_dlp *d)
{
	struct gf_dlp_scratch *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (hs_clone_scratch(d->proto, &s->hs) != HS_SUCCESS) {
		free(s);
		return NULL;
	}
	s->max_events = MAX_EVENTS;
	return s;
}

void gf_dlp_scratch_limit(struct gf_dlp_scratch *s, size_t max_events)
{
	s->max_events = max_events < 256 ? 256 : max_events > MAX_EVENTS ? MAX_EVENTS : max_events;
}

void gf_dlp_match_span(const struct gf_dlp_scratch *s, size_t *start, size_t *end)
{
	*start = s->cur_start;
	*end = s->cur_end;
}

void gf_dlp_scratch_free(struct gf_dlp_scratch *s)
{
	if (!s)
		return;
	hs_free_scratch(s->hs);
	free(s->ev);
	free(s->seen);
	if (s->dec)
		explicit_bzero(s->dec, s->dec_cap);	/* it held a payload */
	free(s->dec);
	free(s);
}

/* ---------------------------------------------------------------------
 * Redaction: what a human may see of a match
 */
void gf_dlp_redact(int cat, const char *v, size_t n, char *out, size_t len)
{
	const char *last4 = n >= 4 ? v + n - 4 : v;

	switch (cat) {
	case GF_DLP_SSN:
		snprintf(out, len, "***-**-%.4s", last4);
		break;
	case GF_DLP_PAYMENT_CARD:
		snprintf(out, len, "**** %.4s (%zu digits)", last4, n);
		break;
	case GF_DLP_ABA_ROUTING:
	case GF_DLP_HEALTH_NPI:
	case GF_DLP_US_PHONE:
		snprintf(out, len, "*****%.4s", last4);
		break;
	case GF_DLP_IBAN:
		snprintf(out, len, "%.2s** **** %.4s", v, last4);
		break;
	case GF_DLP_EMAIL: {
		const char *at_ = memchr(v, '@', n);

		snprintf(out, len, "%c***@%.*s", n ? v[0] : '?', at_ ? (int)(v + n - at_ - 1) : 0,
			 at_ ? at_ + 1 : "");
		break;
	}
	case GF_DLP_HEALTH_ICD10:
		snprintf(out, len, "%.1s**", v);	/* the chapter letter only */
		break;
	default:
		snprintf(out, len, "[%s, %zu characters]", gf_dlp_cat_name(cat), n);
		break;
	}
}
