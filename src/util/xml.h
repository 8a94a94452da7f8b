/*
 * A small read-only XML tree over expat, for AWS answers (query and
 * rest-xml protocols). Element names are kept without namespace prefixes;
 * attributes are dropped (AWS answers carry their data in elements, except
 * S3 ACL grantees' xsi:type, which is kept as a child named "@type").
 * Limits: XML_MAX_DEPTH levels, XML_MAX_NODES elements; over them is ERR_LIMIT.
 * DTDs and entity declarations are refused (no billion laughs).
 */
#ifndef SHEARS_UTIL_XML_H
#define SHEARS_UTIL_XML_H

#include <stddef.h>

#include "util/err.h"

#define XML_MAX_DEPTH 128
#define XML_MAX_NODES 2000000

struct xml_node {
	const char *name; /* local name */
	char *text;       /* concatenated character data, trimmed of nothing; "" if none */
	size_t text_len;
	struct xml_node *parent, *first, *last, *next;
};

struct xml_doc {
	struct xml_node *root;
	size_t n_nodes;
	void *arena; /* private */
};

/* Returns 0, ERR_PARSE (with line in msg) or ERR_LIMIT. doc is released on error. */
int xml_parse(const char *data, size_t len, struct xml_doc *doc, struct err *err);
void xml_doc_release(struct xml_doc *doc);

/* The first child named name, or NULL. */
const struct xml_node *xml_child(const struct xml_node *n, const char *name);

/* The next sibling with the same name as n, or NULL. */
const struct xml_node *xml_next_same(const struct xml_node *n);

/* Follows "A/B/C" from n through first matching children; NULL if missing. */
const struct xml_node *xml_find(const struct xml_node *n, const char *path);

/* Text of xml_find(n, path), or NULL when the element is missing. */
const char *xml_text(const struct xml_node *n, const char *path);

#endif
