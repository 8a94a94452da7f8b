/*
 * libFuzzer target: the JSON answer reader (json and rest-json protocols) and
 * the error parser on JSON bodies. Errors are silent; every value is touched.
 */
#include <stddef.h>
#include <stdint.h>

#include "aws/transport.h"
#include "util/json.h"

static volatile unsigned sink;

static void
walk(const cJSON *n)
{
	const char *p;

	for (; n; n = n->next) {
		if (cJSON_IsString(n))
			for (p = n->valuestring; *p; p++)
				sink += (unsigned char)*p;
		if (n->string)
			for (p = n->string; *p; p++)
				sink += (unsigned char)*p;
		walk(n->child);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct err err = { 0 };
	cJSON *root = json_parse(s, size, &err);
	double d;

	if (root) {
		walk(root);
		sink += json_str(root, "Configuration.FunctionName") != NULL;
		sink += json_num(root, "NextMarker", &d) == 0;
		cJSON_Delete(root);
	}
	aws_error_parse(AWS_PROTO_JSON, 400, NULL, s, size, &err);
	aws_error_parse(AWS_PROTO_REST_JSON, 404, "ResourceNotFoundException:http://x", s, size, &err);
	sink += (unsigned char)err.aws_code[0] + (unsigned char)err.msg[0];
	return 0;
}
