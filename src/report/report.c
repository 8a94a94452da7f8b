#include "report/report.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report_int.h"
#include "util/termsafe.h"
#include "util/xmalloc.h"

/* A format is a row: its names on the command line and its writer. */
static const struct {
	const char *name;
	enum report_format fmt;
	int (*write)(FILE *out, const struct report *r, struct err *err);
} report_formats[] = {
	{ "json", REPORT_JSON, report_json_write },    { "csv", REPORT_CSV, report_csv_write },
	{ "md", REPORT_MD, report_md_write },          { "markdown", REPORT_MD, report_md_write },
	{ "sarif", REPORT_SARIF, report_sarif_write },
};

#define N_FORMATS (sizeof(report_formats) / sizeof(report_formats[0]))

int
report_format_parse(const char *s, enum report_format *out)
{
	size_t i;

	for (i = 0; s && i < N_FORMATS; i++) {
		if (!strcasecmp(s, report_formats[i].name)) {
			*out = report_formats[i].fmt;
			return 0;
		}
	}
	return -1;
}

int
report_write(FILE *out, enum report_format fmt, const struct report *r, struct err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < N_FORMATS; i++) {
		if (report_formats[i].fmt == fmt)
			break;
	}
	if (i == N_FORMATS)
		return err_set(err, ERR_USAGE, "unknown report format %d", (int)fmt);
	rc = report_formats[i].write(out, r, err);
	if (rc)
		return rc;
	if (fflush(out) || ferror(out))
		return err_set(err, ERR_IO, "cannot write the report: %s", strerror(errno));
	return 0;
}

void
report_finding_id(const struct finding *f, char out[REPORT_ID_LEN])
{
	finding_id(f, out); /* one definition: the store keys findings by it too */
}

void
report_time(time_t t, char out[REPORT_TIME_LEN])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, REPORT_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm))
		memcpy(out, "1970-01-01T00:00:00Z", REPORT_TIME_LEN);
}

const char *
report_status(const struct report_item *it)
{
	return it->status && *it->status ? it->status : "open";
}

/* Length of the valid UTF-8 sequence at s (RFC 3629 table 3-7), or 0. */
static size_t
utf8_valid_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	return n;
}

char *
report_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0, o = 0;
	char *out = xmalloc(3 * len + 1); /* each bad byte may become 3 */

	while (p[i]) {
		size_t n = utf8_valid_len(p + i);

		if (!n) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return out;
}

int
report_safe_append(struct buf *b, const char *s)
{
	return s ? termsafe_append(b, s, strlen(s)) : 0;
}

int
report_put(FILE *out, const char *data, size_t len, struct err *err)
{
	if (len && fwrite(data, 1, len, out) != len)
		return err_set(err, ERR_IO, "cannot write the report: %s", strerror(errno));
	return 0;
}

cJSON *
report_jneed(cJSON *p)
{
	if (!p)
		abort();
	return p;
}

cJSON *
report_jstr(const char *s)
{
	char *valid;
	cJSON *item;

	if (!s)
		return report_jneed(cJSON_CreateNull());
	valid = report_utf8_valid(s);
	item = report_jneed(cJSON_CreateString(valid));
	free(valid);
	return item;
}

void
report_jadd(cJSON *obj, const char *key, cJSON *item)
{
	if (!cJSON_AddItemToObject(obj, key, report_jneed(item)))
		abort();
}

int
report_jemit(FILE *out, cJSON *root, struct err *err)
{
	char *text = cJSON_Print(root);
	int rc;

	cJSON_Delete(root);
	if (!text)
		abort();
	rc = report_put(out, text, strlen(text), err);
	if (!rc)
		rc = report_put(out, "\n", 1, err);
	cJSON_free(text);
	return rc;
}

int
report_score_owns(const struct report_score *s, const struct finding *f)
{
	size_t n;

	if (!s->arn || !*s->arn || !f->resource)
		return 0;
	n = strlen(s->arn);
	return !strncmp(f->resource, s->arn, n) &&
	       (f->resource[n] == '\0' || f->resource[n] == ':');
}
