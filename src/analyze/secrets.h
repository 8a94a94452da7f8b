/*
 * The secrets engine: credentials and keys in Lambda environment variables
 * and in the files of code packages and layers.
 *
 * What it finds (rule ids are rows of rules_secrets.c):
 *   - provider tokens by their documented format (AWS key ids, GitHub,
 *     GitLab, Slack, Stripe, Google, Azure, Twilio, SendGrid, npm, PyPI,
 *     OpenAI, Anthropic, ...), PEM private keys, JWTs and database URLs
 *     with a password: SHR-SEC-001..031;
 *   - formats without a prefix (32 hex, UUIDs) under a provider's name
 *     (DD_API_KEY, TWILIO_AUTH_TOKEN, HEROKU_API_KEY);
 *   - SHR-SEC-080: a random-looking value (at least entropy_min bits of
 *     Shannon entropy per character, entropy_min_len characters, mixing
 *     letter cases or letters and digits) assigned to a secret-looking name
 *     (DB_PASSWORD, apiKey, "client_secret":), in code or in the
 *     environment.
 *
 * What it leaves alone: placeholders ("changeme", "<your-key>", "${VAR}",
 * "{{ var }}", xxxx, example/test/fake/sample markers, repeated or
 * sequential runs), AWS's and jwt.io's documented example values, references
 * to secrets kept elsewhere (Secrets Manager and SSM ARNs and parameter
 * paths, {{resolve:...}}, KMS ciphertext "AQICAH..."), flags and short
 * values; and in generated files (lock files, *.deps.json, go.sum, source
 * maps) only distinctive provider prefixes are searched, never the generic
 * rule.
 *
 * Binary files (a NUL byte in the first 8 KiB) are searched only for the
 * provider formats that survive compilation as string constants (AWS key
 * ids and session tokens, PEM keys, GitHub, GitLab, Stripe live, Google,
 * SendGrid): their hits carry line 0.
 *
 * Where a finding is: the caller writes "env:NAME" for an environment hit
 * and "PATH:LINE" for a file hit. The rows' titles say what was found, not
 * where ("Stripe live secret key"); the caller's evidence text says "in
 * environment variable" or "in code package". A hit never holds the raw
 * secret: only its util/redact.h form.
 *
 * A scanner is immutable once built: any number of threads may scan with one
 * scanner at once (each call allocates its own match data).
 */
#ifndef SHEARS_ANALYZE_SECRETS_H
#define SHEARS_ANALYZE_SECRETS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

#define SECRETS_ENTROPY_MIN_DEFAULT 3.0 /* bits per character */
#define SECRETS_MIN_LEN_DEFAULT     12  /* characters */

struct secrets_opts {
	double entropy_min;     /* generic rule: bits per character, >= */
	size_t entropy_min_len; /* generic rule: shortest value considered */
	/*
	 * fnmatch(3) patterns of paths not to scan (flags 0, so '*' also
	 * crosses '/'); a pattern without '/' is also tried on the base name.
	 * Borrowed: secrets_new() copies them.
	 */
	const char *const *exclude_globs;
	size_t n_exclude;
};

/* The defaults above, no exclusions. */
void secrets_opts_default(struct secrets_opts *o);

struct secret_scanner;

/*
 * Compiles every rule (PCRE2 with JIT) and the prefilter. o NULL means the
 * defaults. Returns NULL and fills err (ERR_USAGE for bad options) on error.
 */
struct secret_scanner *secrets_new(const struct secrets_opts *o, struct err *err);

/* Frees the scanner; NULL is fine. */
void secrets_free(struct secret_scanner *s);

struct secret_hit {
	const char *rule_id; /* "SHR-SEC-009": a row of the catalog */
	const char *what;    /* "Stripe live secret key" (static) */
	const char *name;    /* the variable or key name when known, else NULL */
	size_t line;         /* 1-based line in a file; 0 for env and binary files */
	char redacted[96];   /* util/redact.h form of the secret */
};

/* Called once per hit; h and its strings are valid only during the call. */
typedef void secret_hit_fn(const struct secret_hit *h, void *ctx);

/*
 * Scans one file of a package or layer (path inside it, for exclusions,
 * generated-file detection and the language of assignments). Returns 0, or
 * ERR_LIMIT when a pattern hit a PCRE2 resource limit (hits already reported
 * stand). An excluded path returns 0 without reading data.
 */
int secrets_scan_file(const struct secret_scanner *s, const char *path, const void *data,
                      size_t len, secret_hit_fn *fn, void *ctx, struct err *err);

/*
 * Scans a function's environment ({"NAME": "value", ...}; values that are
 * not strings are skipped). An AWS key id in one variable and its secret in
 * another make one SHR-SEC-001 hit on the key id's variable. Returns 0, or
 * ERR_PARSE when vars is not an object.
 */
int secrets_scan_env(const struct secret_scanner *s, const cJSON *vars, secret_hit_fn *fn,
                     void *ctx, struct err *err);

#endif
