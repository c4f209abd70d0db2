// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gf_schema.h"

#define AT(obj, off, type) ((type *)((char *)(obj) + (off)))

char *gf_schema_str(const char *s)
{
	return s ? strdup(s) : NULL;
}

void *gf_schema_array(const struct gf_schema *s, int n)
{
	return n > 0 ? calloc(n, s->size) : NULL;
}

static int is_unset(const struct gf_field *f, const void *obj)
{
	switch (f->type) {
	case GF_F_INT: return !*AT(obj, f->off, const long long);
	case GF_F_DOUBLE: return *AT(obj, f->off, const double) == 0;
	case GF_F_BOOL: return !*AT(obj, f->off, const int);
	case GF_F_STR: return !*AT(obj, f->off, char *const);
	case GF_F_JSON: return !*AT(obj, f->off, json_object *const);
	case GF_F_OBJ: return is_unset(&f->sub->fields[0], AT(obj, f->off, const char));
	case GF_F_ARRAY:
	case GF_F_MAP: return !*AT(obj, f->count_off, const int);
	}
	return 1;
}

static json_object *value_to_json(const struct gf_field *f, const void *obj)
{
	switch (f->type) {
	case GF_F_INT: return json_object_new_int64(*AT(obj, f->off, const long long));
	case GF_F_DOUBLE: return json_object_new_double(*AT(obj, f->off, const double));
	case GF_F_BOOL: return json_object_new_boolean(*AT(obj, f->off, const int));
	case GF_F_STR: {
		const char *s = *AT(obj, f->off, char *const);

		return s ? json_object_new_string(s) : NULL;
	}
	case GF_F_JSON: return json_object_get(*AT(obj, f->off, json_object *const));
	case GF_F_OBJ: return gf_schema_to_json(f->sub, AT(obj, f->off, const char));
	case GF_F_ARRAY: {
		const char *v = *AT(obj, f->off, char *const);
		int n = *AT(obj, f->count_off, const int);
		json_object *a = json_object_new_array();

		for (int i = 0; i < n; i++)
			json_object_array_add(a, gf_schema_to_json(f->sub, v + (size_t)i * f->sub->size));
		return a;
	}
	case GF_F_MAP: {
		const char *v = *AT(obj, f->off, char *const);
		int n = *AT(obj, f->count_off, const int);
		json_object *m = json_object_new_object();

		for (int i = 0; i < n; i++) {
			const char *e = v + (size_t)i * f->sub->size;
			const char *key = *AT(e, f->sub->fields[0].off, char *const);

			if (key)
				json_object_object_add(m, key, value_to_json(&f->sub->fields[1], e));
		}
		return m;
	}
	}
	return NULL;
}

json_object *gf_schema_to_json(const struct gf_schema *s, const void *obj)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < s->nfields; i++) {
		const struct gf_field *f = &s->fields[i];

		if ((f->flags & GF_F_OPTIONAL) && is_unset(f, obj))
			continue;
		json_object_object_add(o, f->key, value_to_json(f, obj));
	}
	return o;
}

static int wrong(const char *key, const char *want, char *err, size_t errlen)
{
	snprintf(err, errlen, "\"%s\" is not %s", key, want);
	return -EINVAL;
}

static int value_from_json(const struct gf_field *f, json_object *v, void *obj, const char *key,
			   char *err, size_t errlen);

static int elements_from_json(const struct gf_field *f, json_object *v, void *obj, char *err,
			      size_t errlen)
{
	int map = f->type == GF_F_MAP, n, i = 0, ret = 0;
	char *arr;

	if (!json_object_is_type(v, map ? json_type_object : json_type_array))
		return wrong(f->key, map ? "an object" : "an array", err, errlen);
	n = map ? json_object_object_length(v) : (int)json_object_array_length(v);
	arr = gf_schema_array(f->sub, n);
	if (n && !arr)
		return -ENOMEM;
	*AT(obj, f->off, char *) = arr;
	*AT(obj, f->count_off, int) = n;
	if (map) {
		json_object_object_foreach(v, key, val) {
			char *e = arr + (size_t)i++ * f->sub->size;

			*AT(e, f->sub->fields[0].off, char *) = gf_schema_str(key);
			ret = ret ?: value_from_json(&f->sub->fields[1], val, e, key, err, errlen);
		}
		return ret;
	}
	for (i = 0; i < n && !ret; i++) {
		json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_object))
			return wrong(f->key, "an array of objects", err, errlen);
		ret = gf_schema_from_json(f->sub, e, arr + (size_t)i * f->sub->size, err, errlen);
	}
	return ret;
}

static int value_from_json(const struct gf_field *f, json_object *v, void *obj, const char *key,
			   char *err, size_t errlen)
{
	switch (f->type) {
	case GF_F_INT:
		if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
			return wrong(key, "a number", err, errlen);
		*AT(obj, f->off, long long) = json_object_get_int64(v);
		return 0;
	case GF_F_DOUBLE:
		if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
			return wrong(key, "a number", err, errlen);
		*AT(obj, f->off, double) = json_object_get_double(v);
		return 0;
	case GF_F_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return wrong(key, "true or false", err, errlen);
		*AT(obj, f->off, int) = json_object_get_boolean(v);
		return 0;
	case GF_F_STR:
		if (!json_object_is_type(v, json_type_string))
			return wrong(key, "a string", err, errlen);
		*AT(obj, f->off, char *) = gf_schema_str(json_object_get_string(v));
		return *AT(obj, f->off, char *) ? 0 : -ENOMEM;
	case GF_F_JSON:
		*AT(obj, f->off, json_object *) = json_object_get(v);
		return 0;
	case GF_F_OBJ:
		if (!json_object_is_type(v, json_type_object))
			return wrong(key, "an object", err, errlen);
		return gf_schema_from_json(f->sub, v, AT(obj, f->off, char), err, errlen);
	case GF_F_ARRAY:
	case GF_F_MAP:
		return elements_from_json(f, v, obj, err, errlen);
	}
	return -EINVAL;
}

int gf_schema_from_json(const struct gf_schema *s, json_object *o, void *obj, char *err,
			size_t errlen)
{
	for (int i = 0; i < s->nfields; i++) {
		const struct gf_field *f = &s->fields[i];
		json_object *v;
		int ret;

		if (!json_object_object_get_ex(o, f->key, &v) || !v)
			continue;
		ret = value_from_json(f, v, obj, f->key, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

void gf_schema_free(const struct gf_schema *s, void *obj)
{
	for (int i = 0; obj && i < s->nfields; i++) {
		const struct gf_field *f = &s->fields[i];

		switch (f->type) {
		case GF_F_STR:
			free(*AT(obj, f->off, char *));
			*AT(obj, f->off, char *) = NULL;
			break;
		case GF_F_JSON:
			json_object_put(*AT(obj, f->off, json_object *));
			*AT(obj, f->off, json_object *) = NULL;
			break;
		case GF_F_OBJ:
			gf_schema_free(f->sub, AT(obj, f->off, char));
			break;
		case GF_F_ARRAY:
		case GF_F_MAP: {
			char *v = *AT(obj, f->off, char *);
			int n = *AT(obj, f->count_off, int);

			for (int k = 0; k < n; k++)
				gf_schema_free(f->sub, v + (size_t)k * f->sub->size);
			free(v);
			*AT(obj, f->off, char *) = NULL;
			*AT(obj, f->count_off, int) = 0;
			break;
		}
		default:
			break;
		}
	}
}
