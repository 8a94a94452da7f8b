/* A resource named on the command line: its ARN, or a name the cache knows once. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/query.h"

int
cli_resolve(struct store *s, const char *what, char *arn, size_t n, struct err *err)
{
	return cli_resolve_kind(s, what, -1, arn, n, err);
}

int
cli_resolve_kind(struct store *s, const char *what, int kind, char *arn, size_t n, struct err *err)
{
	return cli_resolve_kinds(s, what, kind >= 0 ? 1u << kind : 0, arn, n, err);
}

int
cli_resolve_kinds(struct store *s, const char *what, unsigned kinds, char *arn, size_t n,
                  struct err *err)
{
	struct store_list_query q = { .filter = what, .kinds = kinds };
	struct store_rows rows = { 0 };
	size_t i, hits = 0;
	int rc;

	if (!strncmp(what, "arn:", 4)) {
		snprintf(arn, n, "%s", what);
		return 0;
	}
	rc = store_list(s, &q, &rows, err);
	for (i = 0; !rc && i < rows.n; i++) {
		if (strcmp(rows.v[i].name, what))
			continue; /* the filter matches substrings; a name must match whole */
		if (!hits++)
			snprintf(arn, n, "%s", rows.v[i].arn);
	}
	store_rows_release(&rows);
	if (rc)
		return rc;
	if (!hits)
		return err_set(err, ERR_NOTFOUND, "no resource named '%s' in the cache", what);
	if (hits > 1)
		return err_set(
		        err, ERR_USAGE,
		        "%zu resources are named '%s' (several regions or kinds): give the ARN",
		        hits, what);
	return 0;
}
