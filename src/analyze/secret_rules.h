/*
 * Private to the secrets engine (secrets.c): what a secret looks like. Three
 * tables and the value tests they share:
 *
 *   1. provider rules: a documented token format with a distinctive literal
 *      (the anchor: "ghp_", "AKIA", "-----BEGIN "), matched by PCRE2 only
 *      around an anchor the prefilter found;
 *   2. named rules: a format without a prefix (32 hex) that is a secret only
 *      when assigned to a provider's name (DD_API_KEY, TWILIO_AUTH_TOKEN);
 *   3. the generic rule: a random-looking value assigned to a secret-looking
 *      name (secrets_name_is_secret, secrets_value_is_random).
 */
#ifndef SHEARS_ANALYZE_SECRET_RULES_H
#define SHEARS_ANALYZE_SECRET_RULES_H

#include <stddef.h>

/* Flags of a provider rule. */
enum secret_rule_flags {
	SR_JWT = 1 << 0,       /* group s must be a JWT whose header decodes to {"alg":...} */
	SR_NOT_USER = 1 << 1,  /* URL: a password equal to the user name is a default, not a leak */
	SR_BINARY_OK = 1 << 2, /* also searched in binary files */
	SR_WHOLE_BODY = 1 << 3, /* placeholder test on all of group s, not only after the anchor */
	SR_NO_SHAPE = 1 << 4,   /* binary-derived base64 (keys, JWTs): runs like AAAAAA are real */
};

struct secret_rule {
	const char *rule_id; /* raised alone; NULL: only a finding with its companion */
	const char *what;    /* "Stripe live secret key" */
	/*
	 * '|'-separated literals, each >= 3 bytes, case-sensitive; one trailing
	 * "[a-f0-9]" class is expanded ("SK[0-9a-f]" is 16 anchors).
	 */
	const char *anchors;
	unsigned lead;       /* the match may start up to lead bytes before its anchor */
	unsigned span;       /* and ends at most span bytes after it */
	const char *pattern; /* PCRE2; the named group s is the secret itself */
	/* Optional: a second secret near the first (same file within
	 * SECRETS_PAIR_LINES lines, or another variable of the same function)
	 * turns the hit into pair_rule_id. Its group s is the second secret. */
	const char *companion;
	const char *pair_rule_id, *pair_what;
	const char *requires; /* a literal that the same file or value must also hold */
	unsigned flags;
};

/* A format that is a secret only under a provider's name. */
struct secret_named_rule {
	const char *rule_id, *what;
	const char *name_pattern;  /* PCRE2, caseless, searched in the name */
	const char *value_pattern; /* PCRE2, must match the whole value */
};

#define SECRETS_PAIR_LINES 5
#define SECRETS_VALUE_MAX  512 /* longer assigned values are blobs, not keys */
#define SECRETS_NAME_MAX   128

extern const struct secret_rule secret_rules[];
extern const size_t secret_rules_n;
extern const struct secret_named_rule secret_named_rules[];
extern const size_t secret_named_rules_n;

/* The words whose presence makes an identifier worth parsing (lower case). */
extern const char *const secret_name_anchors[];
extern const size_t secret_name_anchors_n;

/* The generic rule's id and its "what". */
#define SECRETS_GENERIC_ID   "SHR-SEC-080"
#define SECRETS_GENERIC_WHAT "high-entropy value assigned to a secret-looking name"

/*
 * Does an identifier name a secret? Splits it into words (_ - . and camel
 * case), then wants a secret head word (password, token, secret, api key,
 * private key, ...) at the end, allowing trailers such as _VALUE or _B64:
 * DB_PASSWORD yes, PASSWORD_MIN_LENGTH, TOKEN_TTL, PUBLIC_KEY_ID no.
 */
int secrets_name_is_secret(const char *name, size_t len);

/*
 * Is a value a placeholder rather than a credential: template references
 * (${VAR}, $(VAR), %(var)s, {{ var }}, <your-key>), changeme, xxxx, example,
 * dummy, test/fake/sample markers, one repeated character, a sequential run?
 */
int secrets_is_placeholder(const char *v, size_t len);

/* The marker and template tests of secrets_is_placeholder() without the
 * shape tests (runs, few distinct characters), for random binary encodings. */
int secrets_is_placeholder_text(const char *v, size_t len);

/*
 * Is a value a pointer to a secret kept elsewhere: a Secrets Manager or SSM
 * ARN, an SSM parameter path, a CloudFormation dynamic reference, a KMS
 * ciphertext blob, a Key Vault or Vault reference, a URL?
 */
int secrets_is_reference(const char *v, size_t len);

/* Shannon entropy of the bytes, in bits per character. */
double secrets_entropy(const char *v, size_t len);

/*
 * The generic rule's test on an assigned value: long enough, not a
 * placeholder, reference, flag, number, word or identifier, mixing character
 * classes, and at least entropy_min bits per character.
 */
int secrets_value_is_random(const char *v, size_t len, double entropy_min, size_t min_len);

#endif
