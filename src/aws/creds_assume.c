/*
 * role_arn profiles, as botocore's AssumeRoleProvider: source credentials
 * from source_profile (itself possibly a role: chains are followed, a cycle
 * is an error; a profile may name itself when it holds static keys) or from
 * credential_source (Environment, EcsContainer, Ec2InstanceMetadata), then
 * STS AssumeRole with role_session_name, external_id and duration_seconds.
 */
#include "aws/creds_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sts.h"
#include "aws/transport.h"

static int
has_static(const struct creds_run *r, const char *profile)
{
	return creds_profile_get(r, profile, "aws_access_key_id") ||
	       creds_profile_get(r, profile, "aws_secret_access_key");
}

static int
profile_exists(const struct creds_run *r, const char *profile)
{
	return ini_section_find(&r->credentials, profile) || creds_config_section(r, profile);
}

static int
from_credential_source(struct creds_run *r, const char *profile, const char *cs,
                       struct aws_creds *out, struct err *err)
{
	int rc;

	if (!strcmp(cs, "Environment"))
		rc = creds_from_env(r, out, err);
	else if (!strcmp(cs, "EcsContainer"))
		rc = creds_from_container(r, out, err);
	else if (!strcmp(cs, "Ec2InstanceMetadata"))
		rc = creds_from_imds(r, out, err);
	else
		return err_set(err, ERR_CONFIG,
		               "credential_source %s in profile %s is not one of Environment, "
		               "EcsContainer, Ec2InstanceMetadata",
		               cs, profile);
	if (rc == ERR_NOTFOUND)
		rc = err_set(err, ERR_CREDS,
		             "no credentials from credential_source %s of profile %s: tried %s", cs,
		             profile, r->tried);
	return rc;
}

static int
cycle_error(const struct creds_run *r, const char *src, struct err *err)
{
	char path[512] = "";
	size_t i, at = 0;

	for (i = 0; i < r->n_visited && at < sizeof(path); i++)
		at += (size_t)snprintf(path + at, sizeof(path) - at, "%s -> ", r->visited[i]);
	if (at < sizeof(path))
		snprintf(path + at, sizeof(path) - at, "%s", src);
	return err_set(err, ERR_CONFIG, "source_profile cycle: %s", path);
}

static int
from_source_profile(struct creds_run *r, const char *parent, const char *src, struct aws_creds *out,
                    struct err *err)
{
	size_t i;
	int rc;

	if (!profile_exists(r, src))
		return err_set(err, ERR_CONFIG, "source_profile %s of profile %s does not exist",
		               src, parent);
	for (i = 0; i < r->n_visited; i++)
		if (!strcmp(r->visited[i], src) && (strcmp(src, parent) || !has_static(r, src)))
			return cycle_error(r, src, err);
	if (r->n_visited == CREDS_MAX_HOPS)
		return err_set(err, ERR_CONFIG, "source_profile chain from %s is over %d profiles",
		               r->visited[0], CREDS_MAX_HOPS);
	snprintf(r->visited[r->n_visited++], sizeof(r->visited[0]), "%s", src);
	if (has_static(r, src) || !creds_profile_get(r, src, "role_arn")) {
		rc = creds_profile_direct(r, src, out, err);
		if (rc == ERR_NOTFOUND)
			rc = err_set(err, ERR_CONFIG,
			             "source_profile %s of profile %s has no credentials", src,
			             parent);
		return rc;
	}
	return creds_assume_role(r, src, out, err);
}

static void
sts_region(const struct creds_run *r, const char *profile, char *out, size_t n)
{
	const char *v = getenv("AWS_REGION");

	if (!v || !v[0])
		v = getenv("AWS_DEFAULT_REGION");
	if (!v || !v[0])
		v = creds_profile_get(r, profile, "region");
	if (!v || !v[0])
		v = r->opts->region;
	snprintf(out, n, "%s", v && v[0] ? v : "us-east-1");
}

static int
assume_call(struct creds_run *r, const char *profile, struct aws_creds *src, struct aws_creds *out,
            struct err *err)
{
	char region[64];
	const char *dur = creds_profile_get(r, profile, "duration_seconds");
	struct aws_client_opts o = { .endpoint_url = r->opts->endpoint_url,
		                     .region = region,
		                     .max_attempts = 3,
		                     .deadline_ms = 30000,
		                     .no_pacing = 1 };
	struct aws_assume_role_req req = {
		.role_arn = creds_profile_get(r, profile, "role_arn"),
		.session_name = creds_profile_get(r, profile, "role_session_name"),
		.external_id = creds_profile_get(r, profile, "external_id"),
		.duration_s = dur ? (int)strtol(dur, NULL, 10) : 0,
	};
	struct aws_client *c;
	int rc;

	sts_region(r, profile, region, sizeof(region));
	c = aws_client_new(&o, aws_creds_static_get, src, err);
	if (!c)
		return err && err->code ? (int)err->code : ERR_NET;
	rc = aws_sts_assume_role(c, &req, out, err);
	aws_client_free(c);
	if (!rc)
		snprintf(out->source, sizeof(out->source), "assume-role %s", profile);
	return rc;
}

int
creds_assume_role(struct creds_run *r, const char *profile, struct aws_creds *out, struct err *err)
{
	const char *sp = creds_profile_get(r, profile, "source_profile");
	const char *cs = creds_profile_get(r, profile, "credential_source");
	struct aws_creds src = { 0 };
	int rc;

	if (sp && cs)
		return err_set(err, ERR_CONFIG,
		               "profile %s has both source_profile and credential_source", profile);
	if (!sp && !cs)
		return err_set(
		        err, ERR_CONFIG,
		        "profile %s has role_arn but neither source_profile nor credential_source",
		        profile);
	if (creds_profile_get(r, profile, "mfa_serial"))
		return err_set(
		        err, ERR_CONFIG,
		        "profile %s needs an MFA code (mfa_serial), which shears cannot ask for",
		        profile);
	if (cs)
		rc = from_credential_source(r, profile, cs, &src, err);
	else
		rc = from_source_profile(r, profile, sp, &src, err);
	if (!rc)
		rc = assume_call(r, profile, &src, out, err);
	aws_creds_wipe(&src);
	return rc;
}
