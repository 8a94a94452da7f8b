/*
 * The credentials chain: design notes.
 *
 * 1. Order, as botocore 1.29's create_credential_resolver() builds it:
 *    environment (skipped when --profile is given: opts.profile), then the
 *    profile (opts.profile, else AWS_PROFILE, else "default") through the
 *    shared files: role_arn (AssumeRole), static keys of the credentials
 *    file, credential_process, static keys of the config file; then
 *    container credentials, then IMDSv2. AWS_PROFILE alone does not skip the
 *    environment keys (botocore: only a profile given to the session does).
 *    chain_resolve() walks this order.
 * 2. A source answers in one of three ways (creds_impl.h): credentials,
 *    nothing (ERR_NOTFOUND, after noting why in the run's tried list), or a
 *    hard error that stops the chain, as botocore raises for partial keys, a
 *    failed credential_process or a broken file. When every source gave
 *    nothing, the error lists what was tried and why each gave nothing.
 * 3. Nothing is cached across runs but the chain's current credentials.
 *    aws_creds_chain_get() resolves again when they expire within
 *    AWS_CREDS_REFRESH_S (chain_is_fresh()); should that fail while the old
 *    ones are still valid, the old ones are used and the failure logged.
 *    A refresh walks the whole chain again: a source that appeared or went
 *    away in between is seen, as with a new SDK session.
 * 4. Secrets: every secret obtained passes through creds_fill(), which
 *    registers it with log_add_secret(); struct aws_creds copies are wiped
 *    with explicit_bzero() when dropped; file buffers, answer bodies and JSON
 *    trees that held a secret are wiped before they are freed. Errors name
 *    files, lines, profiles and variables, never values.
 */
#include "aws/creds.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/creds_impl.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct aws_creds_chain {
	struct aws_creds_opts opts;
	char *profile, *endpoint_url, *region; /* owned copies behind opts */
	struct aws_creds cur;
	int have;
};

void
aws_creds_wipe(struct aws_creds *c)
{
	if (c)
		explicit_bzero(c, sizeof(*c));
}

int
aws_creds_static_get(void *ctx, struct aws_creds *out, struct err *err)
{
	const struct aws_creds *c = ctx;

	if (!c || !c->access_key_id[0] || !c->secret_access_key[0])
		return err_set(err, ERR_CREDS, "no credentials given");
	*out = *c;
	return 0;
}

struct aws_creds_chain *
aws_creds_chain_new(const struct aws_creds_opts *opts)
{
	struct aws_creds_chain *c = xcalloc(1, sizeof(*c));

	if (opts)
		c->opts = *opts;
	c->profile = c->opts.profile ? xstrdup(c->opts.profile) : NULL;
	c->endpoint_url = c->opts.endpoint_url ? xstrdup(c->opts.endpoint_url) : NULL;
	c->region = c->opts.region ? xstrdup(c->opts.region) : NULL;
	c->opts.profile = c->profile;
	c->opts.endpoint_url = c->endpoint_url;
	c->opts.region = c->region;
	return c;
}

void
aws_creds_chain_free(struct aws_creds_chain *c)
{
	if (!c)
		return;
	aws_creds_wipe(&c->cur);
	free(c->profile);
	free(c->endpoint_url);
	free(c->region);
	free(c);
}

void
creds_tried(struct creds_run *r, const char *what, const char *fmt, ...)
{
	size_t at = strlen(r->tried);
	va_list ap;
	int w;

	if (at + 4 >= sizeof(r->tried))
		return;
	w = snprintf(r->tried + at, sizeof(r->tried) - at, "%s%s (", at ? ", " : "", what);
	if (w < 0 || (size_t)w >= sizeof(r->tried) - at)
		return;
	at += (size_t)w;
	va_start(ap, fmt);
	vsnprintf(r->tried + at, sizeof(r->tried) - at, fmt, ap);
	va_end(ap);
	at = strlen(r->tried);
	if (at + 1 < sizeof(r->tried))
		memcpy(r->tried + at, ")", 2);
}

/* The profile the chain looks at and whether it was named (--profile or AWS_PROFILE). */
static const char *
chain_profile(const struct aws_creds_chain *c, int *named)
{
	const char *env = getenv("AWS_PROFILE");

	*named = 1;
	if (c->opts.profile && c->opts.profile[0])
		return c->opts.profile;
	if (env && env[0])
		return env;
	*named = 0;
	return "default";
}

static int
chain_walk(struct aws_creds_chain *c, struct creds_run *r, struct aws_creds *out, struct err *err)
{
	int named, rc = ERR_NOTFOUND;
	const char *profile = chain_profile(c, &named);

	if (c->opts.profile && c->opts.profile[0])
		creds_tried(r, "environment", "skipped for --profile %s", profile);
	else
		rc = creds_from_env(r, out, err);
	if (rc == ERR_NOTFOUND)
		rc = creds_from_profile(r, profile, named, out, err);
	if (rc == ERR_NOTFOUND)
		rc = creds_from_container(r, out, err);
	if (rc == ERR_NOTFOUND)
		rc = creds_from_imds(r, out, err);
	if (rc == ERR_NOTFOUND)
		rc = err_set(err, ERR_CREDS, "no credentials found: tried %s", r->tried);
	return rc;
}

static int
chain_resolve(struct aws_creds_chain *c, struct aws_creds *out, struct err *err)
{
	struct creds_run *r = xcalloc(1, sizeof(*r));
	int rc;

	r->opts = &c->opts;
	rc = chain_walk(c, r, out, err);
	if (rc)
		aws_creds_wipe(out);
	else
		log_info("credentials: using %s", out->source);
	creds_files_release(r);
	free(r);
	return rc;
}

static int
chain_is_fresh(const struct aws_creds_chain *c, time_t now)
{
	if (!c->have)
		return 0;
	return !c->cur.expiration || c->cur.expiration - now > AWS_CREDS_REFRESH_S;
}

int
aws_creds_chain_get(void *chain, struct aws_creds *out, struct err *err)
{
	struct aws_creds_chain *c = chain;
	struct aws_creds fresh = { 0 };
	time_t now = time(NULL);
	int rc;

	if (!chain_is_fresh(c, now)) {
		rc = chain_resolve(c, &fresh, err);
		if (rc && !(c->have && c->cur.expiration > now))
			return rc;
		if (rc) {
			log_warn("credentials: refresh failed, keeping %s until they expire",
			         c->cur.source);
		} else {
			aws_creds_wipe(&c->cur);
			c->cur = fresh;
			c->have = 1;
		}
		aws_creds_wipe(&fresh);
	}
	*out = c->cur;
	return 0;
}

int
aws_profile_region(const char *profile, char *out, size_t n, struct err *err)
{
	const char *names[] = { "AWS_REGION", "AWS_DEFAULT_REGION" };
	struct creds_run r = { 0 };
	const char *v = NULL;
	size_t i;
	int rc;

	for (i = 0; i < 2; i++) {
		v = getenv(names[i]);
		if (v && v[0]) {
			snprintf(out, n, "%s", v);
			return 0;
		}
	}
	if (!profile || !profile[0])
		profile = getenv("AWS_PROFILE");
	if (!profile || !profile[0])
		profile = "default";
	rc = creds_files_load(&r, err);
	if (!rc) {
		v = creds_profile_get(&r, profile, "region");
		if (v && v[0])
			snprintf(out, n, "%s", v);
		else
			rc = err_set(err, ERR_NOTFOUND, "no region set for profile %s", profile);
	}
	creds_files_release(&r);
	return rc;
}
