#include "util/redact.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
sha256_hex12(const char *data, size_t len, char out[13])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t i;

	if (!EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		abort(); /* only fails when libcrypto itself is broken */
	for (i = 0; i < 6; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[12] = '\0';
}

void
redact_bytes(const char *value, size_t len, char *out, size_t n)
{
	char prefix[5 * 4 + 1], hash[13];
	size_t i, cut = 0, chars = 0, total = 0, limit;

	if (!out || !n)
		return;
	if (!value)
		value = "", len = 0;
	for (i = 0; i < len; i++) /* characters, not bytes */
		if (((unsigned char)value[i] & 0xC0) != 0x80)
			total++;
	limit = total >= 12 ? 4 : total / 3;
	while (cut < len && chars < limit) {
		cut++;
		while (cut < len && ((unsigned char)value[cut] & 0xC0) == 0x80)
			cut++;
		chars++;
	}
	if (cut > sizeof(prefix) - 1)
		cut = sizeof(prefix) - 1;
	memcpy(prefix, value, cut);
	prefix[cut] = '\0';
	sha256_hex12(value, len, hash);
	snprintf(out, n, "%s\xe2\x80\xa6sha256:%s", prefix, hash);
}

void
redact_value(const char *value, char *out, size_t n)
{
	redact_bytes(value, value ? strlen(value) : 0, out, n);
}
