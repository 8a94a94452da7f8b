/*
 * libFuzzer target: IAM answers and policy documents from the account
 * (collect/iam.h, util/policy.h). The input is tried as a
 * GetAccountAuthorizationDetails page, as a URL-encoded document, and split
 * at the first NUL as (pattern, text) for the wildcard matchers. Errors are
 * silent; every parsed string is touched so ASan sees an overread.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/iam.h"
#include "util/policy.h"

static volatile unsigned sink;

static void
touch(const cJSON *j)
{
	const cJSON *c;
	const char *s;

	if (!j)
		return;
	if (cJSON_IsString(j))
		for (s = j->valuestring; *s; s++)
			sink += (unsigned char)*s;
	for (c = j->child; c; c = c->next)
		touch(c);
}

static int
one_statement(const cJSON *stmt, void *ctx)
{
	(void)ctx;
	sink += (unsigned)policy_statement_covers_action(stmt, "s3:GetObject");
	sink += (unsigned)policy_statement_covers_resource(stmt, "arn:aws:s3:::b");
	sink += (unsigned)policy_statement_has_condition(stmt);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect_iam_page page;
	struct err err;
	char *s = malloc(size + 1), *text;
	const cJSON *p;
	cJSON *doc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!collect_iam_page_parse(s, size, &page, &err)) {
		touch(page.roles);
		touch(page.policies);
		cJSON_ArrayForEach(p, page.policies)
		{
			touch(collect_iam_default_document(p));
		}
		collect_iam_page_release(&page);
	}
	doc = policy_decode(s, &err);
	if (doc) {
		const cJSON *docs[] = { doc };

		policy_each_statement(doc, one_statement, NULL);
		sink += (unsigned)policy_docs_allow(docs, 1, "s3:GetObject", "arn:aws:s3:::b/",
		                                    POLICY_ARN_PREFIX, NULL, NULL);
		cJSON_Delete(doc);
	}
	text = memchr(s, '\0', size) ? s + strlen(s) + 1 : s;
	sink += (unsigned)policy_wildcard_match(s, text, 1);
	sink += (unsigned)policy_wildcard_match_prefix(s, text, 0);
	free(s);
	return 0;
}
