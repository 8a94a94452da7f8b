/*
 * shears reviewed FUNCTION: marks the function's current code (CodeSha256)
 * as reviewed; SHR-BEH-005 is raised when the code changes afterwards.
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/findings.h"
#include "store/query.h"
#include "util/json.h"

int
cmd_reviewed(struct cli *cli, int argc, char **argv)
{
	const struct passwd *pw = getpwuid(getuid());
	struct store_resource r = { 0 };
	struct err err = { 0 };
	struct store *s = NULL;
	char arn[2048];
	cJSON *attrs = NULL;
	const char *sha = NULL;
	int rc;

	if (argc != 2)
		return usage_error("reviewed: name one function (ARN or name)%s", "");
	rc = cli_store(cli, 0, &s, &err);
	rc = rc ? rc : cli_resolve_kind(s, argv[1], MODEL_FUNCTION, arn, sizeof(arn), &err);
	rc = rc ? rc : store_resource_get(s, arn, &r, &err);
	if (!rc) {
		attrs = cJSON_Parse(r.r.attrs);
		sha = json_str(attrs, "CodeSha256");
		if (r.r.kind != MODEL_FUNCTION || !sha)
			rc = err_set(&err, ERR_USAGE, "%s is not a function with code", argv[1]);
	}
	if (!rc)
		rc = store_review_put(s, arn, sha, pw ? pw->pw_name : "", (int64_t)time(NULL),
		                      &err);
	if (!rc)
		printf("marked %s reviewed at code %s\n", r.r.name, sha);
	cJSON_Delete(attrs);
	store_resource_release(&r);
	store_close(s);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	return 0;
}
