/*
 * libFuzzer target: the permissions family on hostile input (analyze/perm.h).
 * The input is parsed as JSON and run as a policy document and as a role's
 * attrs (with itself as the boundary, and one function ARN); an action
 * pattern taken from its first line is expanded against the IAM catalog.
 * Errors are silent; every finding's strings are touched so ASan sees an
 * overread.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/iam_catalog.h"
#include "analyze/perm.h"
#include "util/json.h"

static volatile unsigned sink;

static void
touch(const struct findings *f)
{
	size_t i;
	const char *s;

	for (i = 0; i < f->n; i++) {
		for (s = f->v[i].evidence; *s; s++)
			sink += (unsigned char)*s;
		for (s = f->v[i].location; *s; s++)
			sink += (unsigned char)*s;
		sink += (unsigned)f->v[i].severity;
	}
}

static void
expand_first_line(const uint8_t *data, size_t size)
{
	char pattern[256];
	size_t n = 0;
	struct iam_set set;

	while (n < size && n < sizeof(pattern) - 1 && data[n] != '\n' && data[n])
		n++;
	memcpy(pattern, data, n);
	pattern[n] = '\0';
	iam_set_init(&set);
	sink += (unsigned)iam_set_add_pattern(&set, pattern);
	sink += (unsigned)(iam_catalog_find(pattern) != NULL);
	iam_set_release(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	cJSON *doc;
	struct findings out = { 0 };
	const char *fns[] = { "arn:aws:lambda:us-east-1:1:function:f" };
	struct perm_opts o = { 30, 1798761600 };
	struct perm_reach reach;
	struct perm_role_input in = { "arn:aws:iam::1:role/r", NULL, NULL, fns, 1 };

	expand_first_line(data, size);
	doc = json_parse((const char *)data, size, &err);
	if (!doc)
		return 0;
	in.attrs = doc;
	in.boundary_doc = doc; /* its Statement, if any, acts as the boundary */
	perm_check_document("fuzz", doc, &o, &out, &err);
	perm_check_role(&in, &o, &out, &err);
	perm_role_reach(&in, &reach, &err);
	sink += reach.reads + reach.writes + reach.wide;
	touch(&out);
	findings_free(&out);
	cJSON_Delete(doc);
	return 0;
}
