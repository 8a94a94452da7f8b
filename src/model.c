#include "model.h"

#include <string.h>

static const char *const kind_names[] = {
#define K(id, name, plural) name,
	MODEL_KINDS(K)
#undef K
};

static const char *const kind_plurals[] = {
#define K(id, name, plural) plural,
	MODEL_KINDS(K)
#undef K
};

static const char *const edge_names[] = {
#define E(id, name) name,
	MODEL_EDGES(E)
#undef E
};

const char *
model_kind_name(enum model_kind k)
{
	return (unsigned)k < MODEL_KIND_COUNT ? kind_names[k] : NULL;
}

const char *
model_kind_plural(enum model_kind k)
{
	return (unsigned)k < MODEL_KIND_COUNT ? kind_plurals[k] : NULL;
}

int
model_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < MODEL_KIND_COUNT; i++)
		if (!strcmp(s, kind_names[i]) || !strcmp(s, kind_plurals[i]))
			return i;
	return -1;
}

const char *
model_edge_name(enum model_edge_kind k)
{
	return (unsigned)k < MODEL_EDGE_COUNT ? edge_names[k] : NULL;
}

int
model_edge_parse(const char *s)
{
	int i;

	for (i = 0; i < MODEL_EDGE_COUNT; i++)
		if (!strcmp(s, edge_names[i]))
			return i;
	return -1;
}
