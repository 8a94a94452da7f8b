#include "util/termsafe.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), its code point in *cp, or 0. */
static size_t
utf8_decode(const unsigned char *s, size_t len, unsigned long *cp)
{
	size_t n, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
is_bidi_control(unsigned long cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	       cp == 0x200f || cp == 0x061c;
}

int
termsafe_append(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int rc = 0;

	while (i < len && !rc) {
		unsigned long cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (!n) {
			rc = buf_printf(b, "\\x%02X", p[i]);
			i++;
			continue;
		}
		if (cp < 0x20)
			rc = buf_printf(b, "^%c", (char)(cp + 0x40));
		else if (cp == 0x7f)
			rc = buf_puts(b, "^?");
		else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
			rc = buf_printf(b, "<U+%04lX>", cp);
		else
			rc = buf_append(b, s + i, n);
		i += n;
	}
	return rc;
}

char *
termsafe_copy(char *out, size_t n, const char *s)
{
	struct buf b;
	size_t len;

	if (!n)
		return out;
	buf_init(&b, 0);
	if (termsafe_append(&b, s, strlen(s))) {
		out[0] = '\0';
		return out;
	}
	len = b.len < n - 1 ? b.len : n - 1;
	/* do not cut a UTF-8 sequence in half */
	while (len > 0 && len < b.len && ((unsigned char)b.data[len] & 0xc0) == 0x80)
		len--;
	memcpy(out, buf_cstr(&b), len);
	out[len] = '\0';
	buf_release(&b);
	return out;
}
