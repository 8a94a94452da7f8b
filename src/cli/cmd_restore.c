/*
 * shears restore BACKUP.json [--yes]: a pruned function recreated from its
 * backup (act/restore.h), even when the cache is gone: the plan comes from
 * the backup and the account, and runs through the same protocol as fix
 * and undo (journaled, refused under --read-only, needs credentials).
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "act/restore.h"
#include "cli/cli.h"

static int
build_restore(struct aws_client *c, const void *ctx, cJSON **plan, struct err *err)
{
	return act_restore_plan(c, ctx, plan, err);
}

int
cmd_restore(struct cli *cli, int argc, char **argv)
{
	const char *backup = NULL;
	int i, yes = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--yes"))
			yes = 1;
		else if (argv[i][0] == '-' || backup)
			return usage_error("restore: unexpected argument '%s'", argv[i]);
		else
			backup = argv[i];
	}
	if (!backup)
		return usage_error(
		        "%s: give the backup file of a prune (shears journal lists them)",
		        "restore");
	return cli_act_run_built(cli, "restore", yes, build_restore, backup);
}
