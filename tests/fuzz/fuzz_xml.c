/*
 * libFuzzer target: the XML answer reader (query and rest-xml protocols) and
 * the error parser on XML bodies. Errors are silent; every byte of every node
 * is touched so ASan sees any overread.
 */
#include <stddef.h>
#include <stdint.h>

#include "aws/transport.h"
#include "util/xml.h"

static volatile unsigned sink;

static void
walk(const struct xml_node *n)
{
	size_t i;

	for (; n; n = n->next) {
		for (i = 0; i < n->text_len; i++)
			sink += (unsigned char)n->text[i];
		for (i = 0; n->name[i]; i++)
			sink += (unsigned char)n->name[i];
		walk(n->first);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xml_doc doc;
	struct err err;
	const char *s = (const char *)data;

	if (!xml_parse(s, size, &doc, &err)) {
		walk(doc.root);
		sink += xml_text(doc.root, "Error/Code") != NULL;
		xml_doc_release(&doc);
	}
	err_clear(&err);
	aws_error_parse(AWS_PROTO_QUERY, 400, NULL, s, size, &err);
	aws_error_parse(AWS_PROTO_REST_XML, 403, NULL, s, size, &err);
	sink += (unsigned char)err.aws_code[0] + (unsigned char)err.msg[0];
	return 0;
}
