/*
 * libFuzzer target: secrets_scan_file on arbitrary bytes under a few paths
 * (code, config, generated), and secrets_scan_env on the input as one
 * variable's value. Errors are silent; every byte of every hit is touched.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/secrets.h"

static volatile unsigned sink;
static struct secret_scanner *scanner; /* built once: compiling every rule is the slow part */

static void
touch(const struct secret_hit *h, void *ctx)
{
	const char *p;

	(void)ctx;
	for (p = h->rule_id; *p; p++)
		sink += (unsigned char)*p;
	for (p = h->what; *p; p++)
		sink += (unsigned char)*p;
	for (p = h->name ? h->name : ""; *p; p++)
		sink += (unsigned char)*p;
	for (p = h->redacted; *p; p++)
		sink += (unsigned char)*p;
	sink += (unsigned)h->line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "src/app.js", "config/.env", "package-lock.json",
		                             "keys/id_rsa" };
	struct err err = { 0 };
	cJSON *vars;
	char *value;

	if (!scanner)
		scanner = secrets_new(NULL, &err);
	if (!scanner)
		abort();
	secrets_scan_file(scanner, paths[size % 4], data, size, touch, NULL, &err);
	value = malloc(size + 1);
	memcpy(value, data, size);
	value[size] = '\0';
	vars = cJSON_CreateObject();
	cJSON_AddStringToObject(vars, size % 2 ? "DB_PASSWORD" : "AWS_ACCESS_KEY_ID", value);
	cJSON_AddStringToObject(vars, "AWS_SECRET_ACCESS_KEY", value + size / 2);
	secrets_scan_env(scanner, vars, touch, NULL, &err);
	cJSON_Delete(vars);
	free(value);
	return 0;
}
