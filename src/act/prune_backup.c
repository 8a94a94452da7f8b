/*
 * prune's backup (the save hook): everything a restore needs, read again
 * just before the change (act/prune_read.c's answers, unredacted), and the
 * code package downloaded from GetFunction's presigned Code.Location
 * (aws/fetch.h: TLS verified, at most ACT_FILE_MAX bytes) into a private
 * file beside the backup, checked against the configuration's CodeSha256.
 *
 *   "GetFunction"          configuration with its environment, tags, concurrency
 *   "Parts"                GetPolicy, GetFunctionUrlConfig, the async invoke
 *                          configs, ListVersionsByFunction, ListAliases
 *   "EventSourceMappings"  every mapping as Lambda describes it
 *   "RuleTargets"          {bus/rule: [the function's targets, Input included]}
 *   "LogGroup"             DescribeLogGroups' entry for /aws/lambda/NAME
 *   "code_file"            the package's path; the state (bucket configurations,
 *                          subscriptions) is in the backup's "state"
 * A function whose package cannot be downloaded or does not match is not
 * pruned: the backup fails and the protocol stops before any call.
 */
#include "act/prune.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "aws/fetch.h"
#include "util/json.h"

/* base64(sha256(data)): Lambda's CodeSha256. */
static void
code_sha256(const void *data, size_t len, char *out, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	out[0] = '\0';
	if (n >= 45 && EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL))
		EVP_EncodeBlock((unsigned char *)out, md, (int)md_len);
}

static int
save_code(const struct act_save_ctx *sc, const char *location, const char *want_sha, cJSON *backup,
          struct err *err)
{
	struct aws_fetch job = { .url = location, .max_bytes = ACT_FILE_MAX };
	char sha[64], path[4096];
	int rc = aws_fetch_all(&job, 1, NULL, err);

	if (!rc && job.err.code) {
		*err = job.err;
		rc = job.err.code;
	}
	if (!rc) {
		code_sha256(job.body.data, job.body.len, sha, sizeof(sha));
		if (!want_sha || strcmp(sha, want_sha))
			rc = err_set(err, ERR_PARSE,
			             "the code package downloaded does not match the function's "
			             "CodeSha256: not backed up, nothing changed");
	}
	if (!rc)
		rc = act_backup_file(sc, "zip", job.body.data, job.body.len, path, sizeof(path),
		                     err);
	if (!rc)
		cJSON_AddStringToObject(backup, "code_file", path);
	buf_release(&job.body);
	return rc;
}

/* The log group's settings (retention, ...): what prune leaves, for prune-orphans' undo. */
static void
save_log_group(const struct act_save_ctx *sc, cJSON *backup)
{
	cJSON *call = act_call_new("logs", "DescribeLogGroups"), *ans = NULL;
	const cJSON *g;
	char name[300];

	snprintf(name, sizeof(name), "/aws/lambda/%s", json_str(sc->plan, "target.name"));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(call, "body"), "logGroupNamePrefix", name);
	/* best effort: the log group is not what prune changes */
	if (!act_call_json(sc->client, json_str(sc->plan, "region"), call, &ans, NULL)) {
		cJSON_ArrayForEach(g, json_path(ans, "logGroups"))
		{
			if (json_str(g, "logGroupName") &&
			    !strcmp(json_str(g, "logGroupName"), name))
				cJSON_AddItemToObject(backup, "LogGroup", cJSON_Duplicate(g, 1));
		}
	}
	cJSON_Delete(call);
	cJSON_Delete(ans);
}

int
prune_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	cJSON *state = NULL;
	char *location = NULL;
	int rc = prune_read_raw(sc->client, sc->plan, &state, backup, &location, err);

	if (!rc && json_bool(state, "Exists", 0)) {
		if (!location)
			rc = err_set(err, ERR_PARSE,
			             "GetFunction answered no Code.Location: the package cannot be "
			             "backed up");
		else
			rc = save_code(sc, location,
			               json_str(backup, "GetFunction.Configuration.CodeSha256"),
			               backup, err);
	}
	if (!rc)
		save_log_group(sc, backup);
	free(location);
	cJSON_Delete(state);
	return rc;
}
