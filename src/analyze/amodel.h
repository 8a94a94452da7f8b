/*
 * The model as the checks read it: every resource of the cache with its
 * attrs parsed, the edges in and out of each, and each function's daily
 * metrics. Built from the store (amodel_load) or, in tests, row by row
 * (amodel_add_*, then amodel_index). Read-only once indexed: checks never
 * change it, so they can run in any order.
 */
#ifndef SHEARS_ANALYZE_AMODEL_H
#define SHEARS_ANALYZE_AMODEL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"
#include "util/err.h"

struct am_edge {
	char *src, *dst; /* ARNs */
	enum model_edge_kind kind;
	char *evidence;
};

/* One metric of one resource: a value per day, days ascending. */
struct am_series {
	char *name; /* "Invocations", "Errors", "Throttles", "DurationMax", "DurationP99" */
	int64_t *day;
	double *value;
	size_t n, cap;
};

struct am_res {
	char *arn, *name, *region;
	enum model_kind kind;
	cJSON *attrs;       /* never NULL (an empty object when the text was not JSON) */
	size_t *out, n_out; /* indexes into amodel.edges where this is src */
	size_t *in, n_in;   /* ... where this is dst */
	struct am_series *metrics;
	size_t n_metrics;
};

struct amodel {
	struct am_res *res;
	size_t n_res, cap_res;
	struct am_edge *edges;
	size_t n_edges, cap_edges;
	char account[16];
	time_t scanned; /* when the last scan finished (0: unknown); "now" for day counts */
	/* private: the ARN index */
	size_t *slots, n_slots;
};

void amodel_init(struct amodel *m);
void amodel_free(struct amodel *m);

/* Adds a resource; attrs_json is its attrs text (copied, parsed). Returns it. */
struct am_res *amodel_add_resource(struct amodel *m, enum model_kind kind, const char *arn,
                                   const char *name, const char *region, const char *attrs_json);
void amodel_add_edge(struct amodel *m, const char *src, const char *dst, enum model_edge_kind kind,
                     const char *evidence);
/* A metric point of a resource already added (ignored otherwise); days in any order. */
void amodel_add_metric(struct amodel *m, const char *arn, const char *name, int64_t day,
                       double value);
/* Builds the ARN index and each resource's edge lists; call after the last add. */
void amodel_index(struct amodel *m);

/* By ARN (after amodel_index); NULL when not in the model. */
const struct am_res *amodel_find(const struct amodel *m, const char *arn);
/* A resource's series by name, or NULL. */
const struct am_series *am_metric(const struct am_res *r, const char *name);

struct store;
/* Loads the whole cache (resources, edges, function metrics, last scan). */
int amodel_load(struct store *s, struct amodel *m, struct err *err);
/*
 * amodel_load as if the function gone (an ARN, or NULL) and its versions
 * were deleted: neither they nor their edges are loaded. What a prune
 * would leave orphaned is asked of this model.
 */
int amodel_load_without(struct store *s, struct amodel *m, const char *gone, struct err *err);

#endif
