/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A C struct <-> JSON object, from one table of fields per struct: the key
 * of each member is spelled once, in its table, and serves both ways.
 *
 * Ownership: strings (char *), arrays (pointer + int count) and opaque JSON
 * members are owned by the struct: from_json allocates them, gf_schema_free
 * releases them, and a writer that fills a struct by hand allocates them
 * the same way (gf_schema_str) and frees it the same way.
 */
#ifndef GF_SCHEMA_H
#define GF_SCHEMA_H

#include <stddef.h>
#include <json-c/json.h>

enum gf_ftype {
	GF_F_INT,	/* long long */
	GF_F_DOUBLE,	/* double */
	GF_F_BOOL,	/* int */
	GF_F_STR,	/* char *, NULL <-> null */
	GF_F_OBJ,	/* an embedded struct of schema sub */
	GF_F_ARRAY,	/* T *, with an int count at count_off; T of schema sub */
	GF_F_MAP,	/* the same, as a JSON object: T's first member (a string) is the key,
			 * its second the value */
	GF_F_JSON,	/* json_object *: a part whose shape another module owns */
};

#define GF_F_OPTIONAL 1	/* left out while zero, NULL, empty (an object: its first member) */

struct gf_schema;

struct gf_field {
	const char *key;
	enum gf_ftype type;
	size_t off;
	const struct gf_schema *sub;	/* OBJ, ARRAY, MAP */
	size_t count_off;		/* ARRAY, MAP */
	int flags;
};

struct gf_schema {
	const struct gf_field *fields;
	int nfields;
	size_t size;			/* sizeof the struct (array elements) */
};

/* storage: static, or nothing for a schema other files name */
#define GF_SCHEMA(storage, name, type, ...)                                                \
	static const struct gf_field name##_fields[] = { __VA_ARGS__ };                    \
	storage const struct gf_schema name = { name##_fields,                             \
						sizeof(name##_fields) / sizeof(name##_fields[0]), \
						sizeof(type) }

/* Field helpers: member m of struct type t. */
#define GF_INT(k, t, m) { k, GF_F_INT, offsetof(t, m), NULL, 0, 0 }
#define GF_DOUBLE(k, t, m) { k, GF_F_DOUBLE, offsetof(t, m), NULL, 0, 0 }
#define GF_BOOL(k, t, m) { k, GF_F_BOOL, offsetof(t, m), NULL, 0, 0 }
#define GF_STR(k, t, m) { k, GF_F_STR, offsetof(t, m), NULL, 0, 0 }
#define GF_OBJ(k, t, m, s) { k, GF_F_OBJ, offsetof(t, m), &(s), 0, 0 }
#define GF_OBJ_OPT(k, t, m, s) { k, GF_F_OBJ, offsetof(t, m), &(s), 0, GF_F_OPTIONAL }
#define GF_ARRAY(k, t, m, n, s) { k, GF_F_ARRAY, offsetof(t, m), &(s), offsetof(t, n), 0 }
#define GF_MAP(k, t, m, n, s) { k, GF_F_MAP, offsetof(t, m), &(s), offsetof(t, n), 0 }
#define GF_JSON(k, t, m) { k, GF_F_JSON, offsetof(t, m), NULL, 0, GF_F_OPTIONAL }

json_object *gf_schema_to_json(const struct gf_schema *s, const void *obj);
/*
 * Fill obj (zeroed by the caller) from o; keys that are absent or null
 * leave their member zero.  0, or -EINVAL (with the key in err) where a
 * member has the wrong type, -ENOMEM.
 */
int gf_schema_from_json(const struct gf_schema *s, json_object *o, void *obj, char *err,
			size_t errlen);
void gf_schema_free(const struct gf_schema *s, void *obj);

/* An owned copy of s (NULL stays NULL); aborts on no memory, as json-c does. */
char *gf_schema_str(const char *s);
/* An owned, zeroed array of n elements of schema s's struct. */
void *gf_schema_array(const struct gf_schema *s, int n);

#endif
