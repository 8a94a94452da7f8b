/*
 * prune-layer-version: deletes a layer version no function uses. Refused
 * when SHR-HYG-009's rule (analyze/hygiene.h hygiene_layer_user) finds a
 * function or published version of the cache naming it.
 *
 * State: Exists, CodeSha256, Description, CompatibleRuntimes and
 * CompatibleArchitectures (sorted), LicenseInfo; and, not compared,
 * Version (the number the state was read at). The cache holds them from
 * ListLayers (LatestMatchingVersion) and GetLayerVersion (Content).
 *
 * Backup: GetLayerVersion and the content zip (Content.Location,
 * downloaded and checked against CodeSha256, written beside the backup),
 * and the layer's newest version number then (LayerLatestVersion).
 * Calls: DeleteLayerVersion (once). Undo: PublishLayerVersion (once) with
 * the zip from the backup ("from_backup"), the same description,
 * runtimes, architectures and licence. Lambda never reuses a number: the
 * undo publishes a NEW version, so an undo's read finds the version by
 * content: the newest one above LayerLatestVersion whose CodeSha256 is the
 * one restored, and its after compares CodeSha256, never the number.
 */
#include "act/orphans.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/call.h"
#include "act/run.h"
#include "analyze/hygiene.h"
#include "aws/fetch.h"
#include "aws/sigv4.h"
#include "util/buf.h"
#include "util/json.h"

#define LAYER_CONTENT_MAX ((size_t)50 << 20) /* Lambda's limit for a zip uploaded directly */
#define LIST_MAX_PAGES    100

const char *const prune_layer_keys[] = {
	"Exists",      "CodeSha256", "Description", "CompatibleRuntimes", "CompatibleArchitectures",
	"LicenseInfo", NULL
};
static const char *const layer_lists[] = { "CompatibleRuntimes", "CompatibleArchitectures", NULL };

const char *const prune_layer_backs_up[] = {
	"the version's description, runtimes, architectures and licence (GetLayerVersion)",
	"its content zip (Content.Location), checked against CodeSha256",
	"undo publishes that zip as a NEW version number: functions must name the new ARN",
	NULL,
};

/* "NAME:VERSION" (a target name or the end of a layer version ARN) split in two. */
static int
split_name(const char *s, char *layer, size_t n, long *version)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	char *end;

	if (!colon || colon == s || (size_t)(colon - s) >= n)
		return -1;
	*version = strtol(colon + 1, &end, 10);
	if (*end || *version < 1)
		return -1;
	snprintf(layer, n, "%.*s", (int)(colon - s), s);
	return 0;
}

/* ---- the state */

static cJSON *
sorted_or_empty(const cJSON *list)
{
	cJSON *s = cJSON_IsArray(list) ? orphan_sorted_strings(list) : NULL;

	return s ? s : cJSON_CreateArray();
}

/* The state of a version (GetLayerVersion's answer, or the cache's LatestMatchingVersion). */
static cJSON *
version_state(const cJSON *v, const char *sha, long version)
{
	cJSON *st = cJSON_CreateObject();
	const char *desc = json_str(v, "Description"), *lic = json_str(v, "LicenseInfo");

	cJSON_AddTrueToObject(st, "Exists");
	cJSON_AddItemToObject(st, "CodeSha256",
	                      sha && sha[0] ? cJSON_CreateString(sha) : cJSON_CreateNull());
	cJSON_AddStringToObject(st, "Description", desc ? desc : "");
	cJSON_AddItemToObject(st, "CompatibleRuntimes",
	                      sorted_or_empty(json_path(v, "CompatibleRuntimes")));
	cJSON_AddItemToObject(st, "CompatibleArchitectures",
	                      sorted_or_empty(json_path(v, "CompatibleArchitectures")));
	cJSON_AddItemToObject(st, "LicenseInfo",
	                      lic ? cJSON_CreateString(lic) : cJSON_CreateNull());
	cJSON_AddNumberToObject(st, "Version", (double)version);
	return st;
}

int
prune_layer_cached(const struct act_plan_ctx *ctx, const struct model_resource *r, cJSON **state,
                   struct err *err)
{
	cJSON *attrs = cJSON_Parse(r->attrs ? r->attrs : "{}");
	const cJSON *v = json_path(attrs, "LatestMatchingVersion");
	const char *lv = json_str(v, "LayerVersionArn");
	char layer[256];
	long version;

	(void)ctx;
	*state = NULL;
	if (split_name(strstr(r->arn, ":layer:") ? strstr(r->arn, ":layer:") + 7 : NULL, layer,
	               sizeof(layer), &version)) {
		cJSON_Delete(attrs);
		return err_set(err, ERR_USAGE, "'%s' is not a layer version ARN", r->arn);
	}
	/* a version only a function named has no listing of its own: its attrs are all there is */
	if (!lv || strcmp(lv, r->arn))
		v = attrs;
	*state = version_state(v, json_str(attrs, "Content.CodeSha256"), version);
	cJSON_Delete(attrs);
	return 0;
}

/* ---- reading Lambda */

static cJSON *
layer_call(const char *operation, const char *method, const char *layer, long version,
           struct err *err)
{
	cJSON *c = act_call_new("lambda", operation);
	char fmt[96];

	if (version > 0)
		snprintf(fmt, sizeof(fmt), "/2018-10-31/layers/%%s/versions/%ld", version);
	else
		snprintf(fmt, sizeof(fmt), "/2018-10-31/layers/%%s/versions");
	if (act_call_path(c, method, fmt, layer, err)) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

/* GetLayerVersion; *answer NULL (and 0 returned) when Lambda has no such version. */
static int
get_version(struct aws_client *c, const char *region, const char *layer, long version,
            cJSON **answer, struct err *err)
{
	cJSON *call = layer_call("GetLayerVersion", "GET", layer, version, err);
	struct err e = { 0 };
	int rc;

	*answer = NULL;
	if (!call)
		return ERR_LIMIT;
	rc = act_call_json(c, region, call, answer, &e);
	cJSON_Delete(call);
	if (rc && act_err_is(&e, "ResourceNotFoundException"))
		return 0;
	if (rc && err)
		*err = e;
	return rc;
}

/* Every version number of the layer above floor (ListLayerVersions, every page), into out. */
static int
versions_above(struct aws_client *c, const char *region, const char *layer, long floor, cJSON *out,
               long *newest, struct err *err)
{
	char marker[1024] = "";
	int page, rc = 0;

	*newest = 0;
	for (page = 0; !rc && page < LIST_MAX_PAGES; page++) {
		cJSON *call = layer_call("ListLayerVersions", "GET", layer, 0, err), *ans = NULL;
		const cJSON *v;
		const char *next;
		struct buf q;

		if (!call)
			return ERR_LIMIT;
		if (marker[0]) {
			buf_init(&q, 4096);
			buf_printf(&q, "Marker=");
			aws_uri_encode(&q, marker, strlen(marker), 0);
			cJSON_AddStringToObject(call, "query", buf_cstr(&q));
			buf_release(&q);
		}
		rc = act_call_json(c, region, call, &ans, err);
		cJSON_Delete(call);
		cJSON_ArrayForEach(v, json_path(ans, "LayerVersions"))
		{
			double n = 0;

			if (json_num(v, "Version", &n))
				continue;
			if ((long)n > *newest)
				*newest = (long)n;
			if ((long)n > floor)
				cJSON_AddItemToArray(out, cJSON_CreateNumber(n));
		}
		next = json_str(ans, "NextMarker");
		if (!rc && next && next[0] && strcmp(next, marker))
			snprintf(marker, sizeof(marker), "%s", next);
		else
			page = LIST_MAX_PAGES;
		cJSON_Delete(ans);
	}
	return rc;
}

/*
 * For an undo's plan: the version an undo published, by content: the
 * newest above the layer's newest when the restored backup was taken
 * whose CodeSha256 is sha. *state NULL when there is none.
 */
static int
find_republished(struct aws_client *c, const cJSON *plan, const char *layer, long version,
                 const char *sha, cJSON **state, struct err *err)
{
	const char *region = json_str(plan, "region");
	cJSON *backup = NULL, *above = cJSON_CreateArray();
	double floor = (double)version;
	long newest;
	int i, rc = 0;

	*state = NULL;
	if (json_str(plan, "restore_from") &&
	    !act_backup_read(json_str(plan, "restore_from"), &backup, NULL))
		json_num(backup, "LayerLatestVersion", &floor);
	cJSON_Delete(backup);
	if (floor < version)
		floor = version;
	rc = versions_above(c, region, layer, (long)floor, above, &newest, err);
	for (i = cJSON_GetArraySize(above) - 1; !rc && !*state && i >= 0; i--) {
		long n = (long)cJSON_GetArrayItem(above, i)->valuedouble;
		cJSON *ans = NULL;

		rc = get_version(c, region, layer, n, &ans, err);
		if (!rc && ans && json_str(ans, "Content.CodeSha256") &&
		    !strcmp(json_str(ans, "Content.CodeSha256"), sha))
			*state = version_state(ans, sha, n);
		cJSON_Delete(ans);
	}
	cJSON_Delete(above);
	return rc;
}

int
prune_layer_read(struct aws_client *c, const cJSON *plan, cJSON **state, struct err *err)
{
	const char *sha = json_str(plan, "after.CodeSha256");
	char layer[256];
	long version;
	cJSON *ans = NULL;
	int rc;

	*state = NULL;
	if (split_name(json_str(plan, "target.name"), layer, sizeof(layer), &version))
		return err_set(err, ERR_USAGE, "cannot name the layer version to read");
	rc = get_version(c, json_str(plan, "region"), layer, version, &ans, err);
	if (!rc && ans)
		*state = version_state(ans, json_str(ans, "Content.CodeSha256"), version);
	cJSON_Delete(ans);
	if (!sha)
		sha = json_str(plan, "before.CodeSha256");
	/* an undo's publish gets a new number: the version is found by its content */
	if (!rc && !*state && json_path(plan, "undo_of") && sha)
		rc = find_republished(c, plan, layer, version, sha, state, err);
	if (!rc && !*state)
		*state = orphan_absent(prune_layer_keys, layer_lists);
	return rc;
}

/* ---- the backup: the content zip, checked against its hash */

/* 1 when data's SHA-256, base64-encoded (Lambda's CodeSha256), is sha. */
static int
content_matches(const void *data, size_t len, const char *sha)
{
	unsigned char md[EVP_MAX_MD_SIZE], enc[4 * EVP_MAX_MD_SIZE / 3 + 8];
	unsigned int md_len = 0;

	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL))
		return 0;
	EVP_EncodeBlock(enc, md, (int)md_len);
	return sha && !strcmp((const char *)enc, sha);
}

static int
save_content(const struct act_save_ctx *sc, const cJSON *answer, cJSON *backup, struct err *err)
{
	struct aws_fetch job = { .url = json_str(answer, "Content.Location"),
		                 .max_bytes = LAYER_CONTENT_MAX };
	struct aws_fetch_opts opts = { 0 };
	char path[4096];
	int rc;

	if (!job.url)
		return err_set(err, ERR_PARSE, "GetLayerVersion answered without Content.Location");
	rc = aws_fetch_all(&job, 1, &opts, err);
	if (!rc && job.err.code) {
		if (err)
			*err = job.err;
		rc = job.err.code;
	}
	if (!rc &&
	    !content_matches(job.body.data, job.body.len, json_str(answer, "Content.CodeSha256")))
		rc = err_set(err, ERR_PARSE,
		             "the downloaded content does not hash to the version's CodeSha256");
	if (!rc)
		rc = act_backup_file(sc, "zip", job.body.data, job.body.len, path, sizeof(path),
		                     err);
	if (!rc)
		cJSON_AddStringToObject(backup, "content_file", path);
	buf_release(&job.body);
	return rc;
}

int
prune_layer_save(const struct act_save_ctx *sc, cJSON *backup, struct err *err)
{
	const char *region = json_str(sc->plan, "region");
	cJSON *answer = NULL, *above = cJSON_CreateArray();
	char layer[256];
	long version, newest = 0;
	int rc = 0;

	if (split_name(json_str(sc->plan, "target.name"), layer, sizeof(layer), &version))
		rc = err_set(err, ERR_USAGE, "cannot name the layer version to back up");
	/* the floor an undo's read searches above for the version it publishes */
	if (!rc)
		rc = versions_above(sc->client, region, layer, 0, above, &newest, err);
	cJSON_Delete(above);
	if (!rc)
		cJSON_AddNumberToObject(backup, "LayerLatestVersion", (double)newest);
	if (!rc && orphan_exists(sc->now) == 1) {
		double v = (double)version;

		json_num(sc->now, "Version", &v);
		rc = get_version(sc->client, region, layer, (long)v, &answer, err);
		if (!rc && !answer)
			rc = err_set(err, ERR_NOTFOUND, "layer version %s:%.0f is gone", layer, v);
		if (!rc)
			rc = save_content(sc, answer, backup, err);
		if (!rc) {
			/* a presigned URL is a credential while it lives: not kept */
			cJSON_DeleteItemFromObject(cJSON_GetObjectItem(answer, "Content"),
			                           "Location");
			cJSON_AddItemToObject(backup, "GetLayerVersion", answer);
			answer = NULL;
		}
	}
	cJSON_Delete(answer);
	return rc;
}

/* ---- desire */

int
prune_layer_desire(const struct act_plan_ctx *ctx, const char *arn, const cJSON *before,
                   cJSON *after, char *explain, size_t n, struct err *err)
{
	const struct am_res *layer;
	const char *user;
	struct amodel m;
	int rc;

	if (orphan_exists(before) != 1)
		return err_set(err, ERR_USAGE, "the layer version is not there: nothing to prune");
	rc = orphan_model(ctx, arn, &m, &layer, err);
	if (rc)
		return rc;
	user = hygiene_layer_user(&m, layer);
	if (user)
		rc = err_set(err, ERR_USAGE, "refused: %s uses it", user);
	else if (!json_str(before, "CodeSha256"))
		rc = err_set(
		        err, ERR_USAGE,
		        "the cache has no content hash (CodeSha256) for it: a full rescan reads "
		        "it");
	if (!rc) {
		snprintf(
		        explain, n,
		        "deletes layer version %s: no function or published version in the cache "
		        "uses it (functions of accounts or regions not scanned are not seen; the "
		        "ones already using it keep a copy). Undo publishes the backed-up zip as a "
		        "NEW version number, found and verified by its CodeSha256",
		        layer->name);
		orphan_absent_fill(after, prune_layer_keys, layer_lists);
	}
	amodel_free(&m);
	return rc;
}

/* ---- calls */

static int
publish_call(const char *layer, const cJSON *to, cJSON *calls, struct err *err)
{
	cJSON *c = layer_call("PublishLayerVersion", "POST", layer, 0, err), *body;
	const cJSON *rt = json_path(to, "CompatibleRuntimes"),
	            *arch = json_path(to, "CompatibleArchitectures");

	if (!c)
		return ERR_LIMIT;
	cJSON_AddTrueToObject(c, "once");
	body = cJSON_AddObjectToObject(c, "body");
	cJSON_AddStringToObject(body, "Description",
	                        json_str(to, "Description") ? json_str(to, "Description") : "");
	if (cJSON_GetArraySize(rt))
		cJSON_AddItemToObject(body, "CompatibleRuntimes", cJSON_Duplicate(rt, 1));
	if (cJSON_GetArraySize(arch))
		cJSON_AddItemToObject(body, "CompatibleArchitectures", cJSON_Duplicate(arch, 1));
	if (json_str(to, "LicenseInfo"))
		cJSON_AddStringToObject(body, "LicenseInfo", json_str(to, "LicenseInfo"));
	/* code never goes into a plan: the zip is read from the backup at send time */
	cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "from_backup"), "body.Content.ZipFile",
	                        "file:content_file");
	cJSON_AddItemToArray(calls, c);
	return 0;
}

int
prune_layer_calls(const char *name, const cJSON *from, const cJSON *to, const char *revision,
                  cJSON *calls, struct err *err)
{
	int was = orphan_exists(from), want = orphan_exists(to);
	char layer[256];
	long version;
	double v = 0;
	cJSON *c;

	(void)revision; /* a layer version never changes: its content hash is the guard */
	if (split_name(name, layer, sizeof(layer), &version))
		return err_set(err, ERR_USAGE, "'%s' does not name a layer version (NAME:VERSION)",
		               name);
	if (was < 0 || want < 0 || was == want)
		return err_set(err, ERR_USAGE,
		               "prune-layer-version deletes a layer version or publishes it again, "
		               "nothing else");
	if (!was)
		return publish_call(layer, to, calls, err);
	/*
	 * the number read (an undo's publish got a new one); a state of keys
	 * only (an undo plan's own "undo" lines, shown, never sent: an undo is
	 * rebuilt from what its verify read) cannot know it yet
	 */
	if (json_num(from, "Version", &v) || v < 1) {
		c = act_call_new("lambda", "DeleteLayerVersion");
		if (act_call_path(c, "DELETE", "/2018-10-31/layers/%s/versions/PUBLISHED-BY-UNDO",
		                  layer, err)) {
			cJSON_Delete(c);
			return ERR_LIMIT;
		}
	} else {
		c = layer_call("DeleteLayerVersion", "DELETE", layer, (long)v, err);
	}
	if (!c)
		return ERR_LIMIT;
	cJSON_AddTrueToObject(c, "once");
	cJSON_AddItemToArray(calls, c);
	return 0;
}
