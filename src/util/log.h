/*
 * The debug log: off unless a file is named (--log FILE or SHEARS_LOG).
 * Deep code may log; it never prints. Every line passes through the secret
 * scrubber: a value registered with log_add_secret() is written as
 * "[redacted]" wherever it appears, as a second line of defence behind the
 * rule that secrets are never handed to the log at all.
 */
#ifndef SHEARS_UTIL_LOG_H
#define SHEARS_UTIL_LOG_H

#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Opens (appends, 0600) the log file; NULL closes it. Returns 0 or ERR_IO. */
int log_open(const char *path, enum log_level level);
void log_close(void);

/* Remembers a secret value (copied) to scrub from every later line. */
void log_add_secret(const char *value);
void log_forget_secrets(void);

/* Replaces every registered secret in s (in place, keeping length bounds). */
void log_scrub(char *s, size_t n);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
