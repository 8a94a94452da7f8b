/*
 * shears restore BACKUP: a pruned function recreated from its backup file
 * alone (act/prune_restore.c), without the cache: the plan is built from
 * the backup and a read of the account now, then runs through act_run like
 * any plan (confirmed, re-read, backed up, applied, verified, journaled).
 */
#ifndef SHEARS_ACT_RESTORE_H
#define SHEARS_ACT_RESTORE_H

#include <cjson/cJSON.h>

#include "aws/transport.h"
#include "util/err.h"

/*
 * The plan recreating the function a prune backup (backup_path) holds:
 * from the account as it is now to the backup's state, each bucket's
 * configuration as it is now with the function's entries as backed up.
 * Refused (ERR_USAGE) when the file is not a prune backup or the function
 * exists. Caller deletes *plan.
 */
int act_restore_plan(struct aws_client *c, const char *backup_path, cJSON **plan, struct err *err);

#endif
