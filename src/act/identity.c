/*
 * The account's aliases, for the production check (act_protected): IAM
 * ListAccountAliases over the query protocol. An account has at most one
 * alias today; the answer is a list, so shears reads a list.
 */
#include "act/run.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "util/xmalloc.h"
#include "util/xml.h"

static const char body[] = "Action=ListAccountAliases&Version=2010-05-08";

int
act_account_aliases(struct aws_client *c, char ***aliases, long *n, struct err *err)
{
	static const struct aws_header headers[] = {
		{ "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" },
	};
	struct aws_request req = { .service = aws_service_find("iam"),
		                   .operation = "ListAccountAliases",
		                   .method = "POST",
		                   .path = "/",
		                   .headers = headers,
		                   .n_headers = 1,
		                   .body = body,
		                   .body_len = sizeof(body) - 1 };
	struct aws_answer ans = { 0 };
	const struct xml_node *m;
	struct xml_doc doc;
	int rc;

	*aliases = NULL;
	*n = -1;
	if (!req.service)
		return err_set(err, ERR_USAGE, "iam is not in the service table");
	rc = aws_client_call(c, &req, &ans, err);
	if (!rc)
		rc = xml_parse(ans.body ? ans.body : "", ans.body_len, &doc, err);
	aws_answer_release(&ans);
	if (rc)
		return rc;
	*n = 0;
	m = xml_find(doc.root, "ListAccountAliasesResult/AccountAliases/member");
	for (; m; m = xml_next_same(m)) {
		*aliases = xrealloc(*aliases, (size_t)(*n + 1) * sizeof(**aliases));
		(*aliases)[(*n)++] = xstrdup(m->text);
	}
	xml_doc_release(&doc);
	return 0;
}

void
act_aliases_free(char **aliases, long n)
{
	long i;

	for (i = 0; i < n; i++)
		free(aliases[i]);
	free(aliases);
}
