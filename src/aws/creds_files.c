/*
 * The shared files: ~/.aws/credentials ([name] sections) and ~/.aws/config
 * ([default], [profile name]), merged as botocore's Session.full_config does
 * (a key in the credentials file wins), and the profile sources that need no
 * STS call: static keys and credential_process.
 */
#include "aws/creds_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a shared file is, and how errors call it ("~/.aws/config" when default). */
static int
file_where(const char *env, const char *rel, char *path, size_t np, char *name, size_t nn)
{
	const char *v = getenv(env), *home = getenv("HOME");

	if (v && v[0]) {
		if (v[0] == '~' && v[1] == '/' && home)
			snprintf(path, np, "%s%s", home, v + 1);
		else
			snprintf(path, np, "%s", v);
		snprintf(name, nn, "%s", v);
		return 0;
	}
	snprintf(name, nn, "~/%s", rel);
	if (!home || !home[0])
		return -1;
	snprintf(path, np, "%s/%s", home, rel);
	return 0;
}

static int
file_load(const char *env, const char *rel, struct ini_file *f, char *name, size_t nn,
          struct err *err)
{
	char path[4096];
	int rc;

	if (file_where(env, rel, path, sizeof(path), name, nn))
		return 0;
	rc = ini_load(path, name, f, err);
	if (rc == ERR_NOTFOUND) {
		err_clear(err);
		return 0;
	}
	if (rc == ERR_PARSE) {
		rc = ERR_CONFIG; /* a broken file is the user's to fix, not an answer's */
		if (err)
			err->code = rc;
	}
	return rc;
}

int
creds_files_load(struct creds_run *r, struct err *err)
{
	int rc;

	if (r->files_loaded)
		return 0;
	rc = file_load("AWS_CONFIG_FILE", ".aws/config", &r->config, r->config_name,
	               sizeof(r->config_name), err);
	if (!rc)
		rc = file_load("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials", &r->credentials,
		               r->credentials_name, sizeof(r->credentials_name), err);
	if (rc) {
		creds_files_release(r);
		return rc;
	}
	r->files_loaded = 1;
	return 0;
}

void
creds_files_release(struct creds_run *r)
{
	ini_release(&r->config);
	ini_release(&r->credentials);
	r->files_loaded = 0;
}

const struct ini_section *
creds_config_section(const struct creds_run *r, const char *profile)
{
	char name[256];
	const struct ini_section *s;

	snprintf(name, sizeof(name), "profile %s", profile);
	s = ini_section_find(&r->config, name);
	if (!s && !strcmp(profile, "default"))
		s = ini_section_find(&r->config, "default");
	return s;
}

const char *
creds_profile_get(const struct creds_run *r, const char *profile, const char *key)
{
	const char *v = ini_get(ini_section_find(&r->credentials, profile), key);

	return v ? v : ini_get(creds_config_section(r, profile), key);
}

/* Static keys of one section: 0, ERR_NOTFOUND (none there) or ERR_CONFIG (half there). */
static int
profile_static(const struct ini_section *s, const char *file, const char *profile,
               const char *source, struct aws_creds *out, struct err *err)
{
	const char *akid = ini_get(s, "aws_access_key_id");
	const char *secret = ini_get(s, "aws_secret_access_key");

	if (!akid && !secret)
		return ERR_NOTFOUND;
	if (!akid || !secret || !akid[0] || !secret[0])
		return err_set(
		        err, ERR_CONFIG,
		        "profile %s in '%s' needs both aws_access_key_id and aws_secret_access_key",
		        profile, file);
	return creds_fill(out, akid, secret, ini_get(s, "aws_session_token"), 0, source, err);
}

int
creds_profile_direct(struct creds_run *r, const char *profile, struct aws_creds *out,
                     struct err *err)
{
	char source[48];
	const char *cmd;
	int rc;

	snprintf(source, sizeof(source), "profile %s", profile);
	rc = profile_static(ini_section_find(&r->credentials, profile), r->credentials_name,
	                    profile, source, out, err);
	if (rc != ERR_NOTFOUND)
		return rc;
	cmd = creds_profile_get(r, profile, "credential_process");
	if (cmd && cmd[0])
		return creds_from_process(cmd, profile, out, err);
	return profile_static(creds_config_section(r, profile), r->config_name, profile, source,
	                      out, err);
}

/* Settings of sources shears does not implement: said in the tried list. */
static const char *
profile_unsupported(const struct creds_run *r, const char *profile)
{
	if (creds_profile_get(r, profile, "web_identity_token_file"))
		return "web_identity_token_file is not supported";
	if (creds_profile_get(r, profile, "sso_start_url") ||
	    creds_profile_get(r, profile, "sso_session"))
		return "sso is not supported";
	return NULL;
}

int
creds_from_profile(struct creds_run *r, const char *profile, int named, struct aws_creds *out,
                   struct err *err)
{
	char what[160];
	const char *why;
	int rc = creds_files_load(r, err);

	if (rc)
		return rc;
	snprintf(what, sizeof(what), "profile %s", profile);
	if (!ini_section_find(&r->credentials, profile) && !creds_config_section(r, profile)) {
		if (named)
			return err_set(err, ERR_CONFIG, "profile %s not found in '%s' or '%s'",
			               profile, r->credentials_name, r->config_name);
		creds_tried(r, what, "not in %s or %s", r->credentials_name, r->config_name);
		return ERR_NOTFOUND;
	}
	r->n_visited = 1;
	snprintf(r->visited[0], sizeof(r->visited[0]), "%s", profile);
	if (creds_profile_get(r, profile, "role_arn") &&
	    !creds_profile_get(r, profile, "web_identity_token_file"))
		return creds_assume_role(r, profile, out, err);
	rc = creds_profile_direct(r, profile, out, err);
	if (rc != ERR_NOTFOUND)
		return rc;
	why = profile_unsupported(r, profile);
	creds_tried(r, what, "%s", why ? why : "no credentials in it");
	return ERR_NOTFOUND;
}
