#include "util/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/xmalloc.h"

#define LOG_SECRETS_MAX 64

static FILE *log_file;
static enum log_level log_level_max = LOG_INFO;
static char *secrets[LOG_SECRETS_MAX];
static size_t n_secrets;

int
log_open(const char *path, enum log_level level)
{
	int fd;

	log_close();
	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return ERR_IO;
	log_file = fdopen(fd, "a");
	if (!log_file) {
		close(fd);
		return ERR_IO;
	}
	log_level_max = level;
	return 0;
}

void
log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

void
log_add_secret(const char *value)
{
	size_t i;

	/* Short values would redact half the log and protect nothing. */
	if (!value || strlen(value) < 8)
		return;
	for (i = 0; i < n_secrets; i++)
		if (!strcmp(secrets[i], value))
			return;
	if (n_secrets == LOG_SECRETS_MAX) {
		free(secrets[0]);
		memmove(secrets, secrets + 1, (LOG_SECRETS_MAX - 1) * sizeof(*secrets));
		n_secrets--;
	}
	secrets[n_secrets++] = xstrdup(value);
}

void
log_forget_secrets(void)
{
	while (n_secrets)
		free(secrets[--n_secrets]);
}

static void
scrub_one(char *s, size_t n, const char *secret)
{
	static const char mark[] = "[redacted]";
	size_t slen = strlen(secret), mlen = sizeof(mark) - 1;
	char *hit;

	while ((hit = strstr(s, secret))) {
		size_t tail = strlen(hit + slen);

		if (slen >= mlen) {
			memcpy(hit, mark, mlen);
			memmove(hit + mlen, hit + slen, tail + 1);
		} else {
			memset(hit, '*', slen);
		}
		(void)n;
	}
}

void
log_scrub(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n_secrets; i++)
		scrub_one(s, n, secrets[i]);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	char line[4096], stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (!log_file || level > log_level_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_scrub(line, sizeof(line));
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(log_file, "%s %s %s\n", stamp, names[level], line);
	fflush(log_file);
}
