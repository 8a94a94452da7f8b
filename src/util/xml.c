/*
 * A read-only XML tree over expat. Nodes live in one arena that the document
 * owns, so releasing a document is one walk over a chunk list.
 *
 * Invariants:
 *  1. doc->root is the document element; NULL only after an error.
 *  2. A node's text holds all its character data in order (AWS values never
 *     mix text and elements in one element).
 *  3. No DTD is accepted: a document with a DOCTYPE or an entity declaration
 *     is refused, so entity expansion cannot amplify an answer.
 */
#include "util/xml.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct xml_parser {
	struct xml_doc *doc;
	struct xml_node *cur;
	size_t depth;
	int failed; /* an err code set by a handler */
	XML_Parser p;
};

#define CHUNK_MIN 8192

static void *
arena_alloc(struct xml_doc *doc, size_t n)
{
	struct chunk *c = doc->arena;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = doc->arena;
		doc->arena = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static const char *
local_name(const char *name)
{
	const char *colon = strrchr(name, ':');

	return colon ? colon + 1 : name;
}

static struct xml_node *
node_add(struct xml_parser *x, const char *name)
{
	struct xml_node *n = arena_alloc(x->doc, sizeof(*n));
	size_t len = strlen(name);
	char *copy = arena_alloc(x->doc, len + 1);

	memcpy(copy, name, len + 1);
	memset(n, 0, sizeof(*n));
	n->name = copy;
	n->text = (char *)"";
	n->parent = x->cur;
	if (x->cur) {
		if (x->cur->last)
			x->cur->last->next = n;
		else
			x->cur->first = n;
		x->cur->last = n;
	}
	return n;
}

static void
add_type_attr(struct xml_parser *x, struct xml_node *n, const char **attrs)
{
	size_t i;

	for (i = 0; attrs[i]; i += 2) {
		if (!strcmp(local_name(attrs[i]), "type")) {
			struct xml_node *saved = x->cur, *t;
			size_t len = strlen(attrs[i + 1]);

			x->cur = n;
			t = node_add(x, "@type");
			t->text = arena_alloc(x->doc, len + 1);
			memcpy(t->text, attrs[i + 1], len + 1);
			t->text_len = len;
			x->cur = saved;
		}
	}
}

static void XMLCALL
on_start(void *ud, const char *name, const char **attrs)
{
	struct xml_parser *x = ud;
	struct xml_node *n;

	if (x->failed)
		return;
	if (++x->depth > XML_MAX_DEPTH || ++x->doc->n_nodes > XML_MAX_NODES) {
		x->failed = ERR_LIMIT;
		XML_StopParser(x->p, XML_FALSE);
		return;
	}
	n = node_add(x, local_name(name));
	if (!x->doc->root)
		x->doc->root = n;
	add_type_attr(x, n, attrs);
	x->cur = n;
}

static void XMLCALL
on_end(void *ud, const char *name)
{
	struct xml_parser *x = ud;

	(void)name;
	if (x->failed || !x->cur)
		return;
	x->depth--;
	x->cur = x->cur->parent;
}

static void XMLCALL
on_text(void *ud, const char *s, int len)
{
	struct xml_parser *x = ud;
	struct xml_node *n = x->cur;
	char *text;

	if (x->failed || !n || len <= 0)
		return;
	text = arena_alloc(x->doc, n->text_len + (size_t)len + 1);
	memcpy(text, n->text, n->text_len);
	memcpy(text + n->text_len, s, (size_t)len);
	n->text_len += (size_t)len;
	text[n->text_len] = '\0';
	n->text = text;
}

static void XMLCALL
on_doctype(void *ud, const char *name, const char *sysid, const char *pubid, int has_internal)
{
	struct xml_parser *x = ud;

	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	x->failed = ERR_PARSE;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int value_len,
          const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
          const XML_Char *notation)
{
	struct xml_parser *x = ud;

	(void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid;
	(void)pubid, (void)notation;
	x->failed = ERR_PARSE;
	XML_StopParser(x->p, XML_FALSE);
}

int
xml_parse(const char *data, size_t len, struct xml_doc *doc, struct err *err)
{
	struct xml_parser x = { .doc = doc };
	int rc = 0;

	memset(doc, 0, sizeof(*doc));
	if (len > (size_t)1 << 30)
		return err_set(err, ERR_LIMIT, "xml answer of %zu bytes is too large", len);
	x.p = XML_ParserCreate("UTF-8");
	if (!x.p)
		return err_set(err, ERR_LIMIT, "cannot create an xml parser");
	XML_SetUserData(x.p, &x);
	XML_SetElementHandler(x.p, on_start, on_end);
	XML_SetCharacterDataHandler(x.p, on_text);
	XML_SetStartDoctypeDeclHandler(x.p, on_doctype);
	XML_SetEntityDeclHandler(x.p, on_entity);
	if (XML_Parse(x.p, data ? data : "", (int)len, XML_TRUE) != XML_STATUS_OK || x.failed) {
		if (x.failed == ERR_LIMIT)
			rc = err_set(err, ERR_LIMIT,
			             "xml answer nests or repeats elements beyond the limit");
		else if (x.failed)
			rc = err_set(err, ERR_PARSE, "xml answer has a document type declaration");
		else
			rc = err_set(err, ERR_PARSE, "malformed xml: line %lu: %s",
			             (unsigned long)XML_GetCurrentLineNumber(x.p),
			             XML_ErrorString(XML_GetErrorCode(x.p)));
	} else if (!doc->root) {
		rc = err_set(err, ERR_PARSE, "xml answer has no element");
	}
	XML_ParserFree(x.p);
	if (rc)
		xml_doc_release(doc);
	return rc;
}

void
xml_doc_release(struct xml_doc *doc)
{
	struct chunk *c = doc->arena, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(doc, 0, sizeof(*doc));
}

const struct xml_node *
xml_child(const struct xml_node *n, const char *name)
{
	const struct xml_node *c;

	if (!n)
		return NULL;
	for (c = n->first; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const struct xml_node *
xml_next_same(const struct xml_node *n)
{
	const struct xml_node *c;

	if (!n)
		return NULL;
	for (c = n->next; c; c = c->next)
		if (!strcmp(c->name, n->name))
			return c;
	return NULL;
}

const struct xml_node *
xml_find(const struct xml_node *n, const char *path)
{
	char name[128];

	while (n && *path) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);

		if (len >= sizeof(name))
			return NULL;
		memcpy(name, path, len);
		name[len] = '\0';
		n = xml_child(n, name);
		path += len + (slash ? 1 : 0);
	}
	return n;
}

const char *
xml_text(const struct xml_node *n, const char *path)
{
	n = xml_find(n, path);
	return n ? n->text : NULL;
}
