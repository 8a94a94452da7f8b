/*
 * Private to the credentials chain (creds*.c): one resolution's state and
 * the sources. Each source returns 0 with out filled, ERR_NOTFOUND when it
 * has nothing to give (after noting why with creds_tried()), or any other
 * code to stop the chain (a broken file, a process that failed, ...).
 */
#ifndef SHEARS_AWS_CREDS_IMPL_H
#define SHEARS_AWS_CREDS_IMPL_H

#include <cjson/cJSON.h>

#include "aws/creds.h"
#include "util/err.h"
#include "util/ini.h"

#define CREDS_MAX_HOPS 16 /* source_profile links followed before giving up */

struct creds_run {
	const struct aws_creds_opts *opts;
	int files_loaded;
	struct ini_file config, credentials;
	char config_name[512], credentials_name[512]; /* "~/.aws/config" or as given */
	char visited[CREDS_MAX_HOPS][128];            /* profiles of a source_profile chain */
	size_t n_visited;
	char tried[1024]; /* "environment (...), profile default (...)" */
};

/* Appends "what (why)" to the tried list. */
void creds_tried(struct creds_run *r, const char *what, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Fills out, refusing over-long fields (ERR_LIMIT), and registers the secrets. */
int creds_fill(struct aws_creds *out, const char *akid, const char *secret, const char *token,
               time_t expiration, const char *source, struct err *err);

/*
 * Reads {AccessKeyId, SecretAccessKey, <token_key>, Expiration} (the shape
 * of container, IMDS and credential_process answers) into out; what names
 * the source in errors. Never quotes a value in an error.
 */
int creds_from_json(const cJSON *o, const char *token_key, const char *what, const char *source,
                    struct aws_creds *out, struct err *err);

/* Zeroes every string in the tree, then deletes it. */
void creds_json_free(cJSON *o);

/* The sources, in chain order. */
int creds_from_env(struct creds_run *r, struct aws_creds *out, struct err *err);
int creds_from_profile(struct creds_run *r, const char *profile, int named, struct aws_creds *out,
                       struct err *err);
int creds_from_container(struct creds_run *r, struct aws_creds *out, struct err *err);
int creds_from_imds(struct creds_run *r, struct aws_creds *out, struct err *err);

/* credential_process: runs cmd (split like a shell, run without one). */
int creds_from_process(const char *cmd, const char *profile, struct aws_creds *out,
                       struct err *err);

/*
 * Splits cmd into words as a POSIX shell would (quotes, backslashes) without
 * expanding anything. Returns a NULL-terminated argv (free with
 * creds_argv_free) or NULL with ERR_CONFIG in err.
 */
char **creds_split_words(const char *cmd, struct err *err);
void creds_argv_free(char **argv);

/* Loads both shared files once per run; ERR_CONFIG names a broken file and line. */
int creds_files_load(struct creds_run *r, struct err *err);
void creds_files_release(struct creds_run *r);

/* The section of profile in the config file ("default" or "profile x"), or NULL. */
const struct ini_section *creds_config_section(const struct creds_run *r, const char *profile);

/* A profile setting as botocore merges them: the credentials file wins. */
const char *creds_profile_get(const struct creds_run *r, const char *profile, const char *key);

/* role_arn: AssumeRole with source credentials from source_profile or credential_source. */
int creds_assume_role(struct creds_run *r, const char *profile, struct aws_creds *out,
                      struct err *err);

/* Static keys, credential_process, config static keys: a profile without role_arn. */
int creds_profile_direct(struct creds_run *r, const char *profile, struct aws_creds *out,
                         struct err *err);

#endif
