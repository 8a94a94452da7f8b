/* Timestamps as AWS answers them (see isotime.h). */
#include "util/isotime.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int mo, int d)
{
	int64_t era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "+0000", "+00:00", "Z" or nothing: the offset east of UTC in seconds. */
static int
parse_offset(const char *p, long *off)
{
	int hh, mm;

	*off = 0;
	if (!*p || !strcmp(p, "Z"))
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	if (digits(p + 1, 2, &hh))
		return -1;
	if (digits(p + (p[3] == ':' ? 4 : 3), 2, &mm))
		return -1;
	*off = (long)(hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
	return 0;
}

int
iso_time_parse(const char *s, time_t *out)
{
	int y, mo, d, hh = 0, mi = 0, ss = 0;
	long off = 0;
	const char *p;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) { /* epoch seconds */
		*out = (time_t)strtoll(s, NULL, 10);
		return 0;
	}
	if (strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == ' ') {
		if (digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mi) || p[6] != ':' ||
		    digits(p + 7, 2, &ss))
			return -1;
		p += 9;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (parse_offset(p, &off))
			return -1;
	} else if (*p) {
		return -1;
	}
	*out = (time_t)(days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - off);
	return 0;
}
