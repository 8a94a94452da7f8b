/*
 * Inside the least-privilege builder (least_privilege.h): what the role's
 * functions touch and need (lp_needs.c), what the access advisor lets go
 * (lp_usage.c), and the document written from the kept set (lp_policy.c).
 */
#ifndef SHEARS_ANALYZE_LP_INT_H
#define SHEARS_ANALYZE_LP_INT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

#include "analyze/iam_catalog.h"
#include "analyze/least_privilege.h"
#include "analyze/perm_int.h"
#include "util/buf.h"

/* A resource a function touches, by service and IAM resource type. */
struct lp_touch {
	char *service; /* "s3" */
	char *type;    /* "bucket", "object", "table", "log-stream" ... */
	char *arn;     /* may end in a wildcard: "arn:aws:s3:::b/" then a star */
};

/* An action Lambda needs for a function, on one resource ("*" when none applies). */
struct lp_need {
	size_t action; /* catalog index */
	char *arn;
	char *why; /* "event source queue of image-resize" */
};

struct lp_ctx {
	const struct amodel *m;
	const struct am_res *role;
	const struct am_res **fns; /* sorted by ARN */
	size_t n_fns;
	struct lp_touch *touch;
	size_t n_touch, cap_touch;
	struct lp_need *need;
	size_t n_need, cap_need;
	struct perm_eval ev;
	struct iam_set literal; /* named without a wildcard by some Allow */
	struct iam_set keep;    /* what the new policy grants */
	struct iam_set needed;  /* kept because Lambda needs it */
	time_t now, cutoff;
	int days;
	struct buf notes; /* explanation lines gathered on the way */
	struct lp_result *out;
	size_t cap_dropped;
};

/* lp_needs.c: fills fns (from in), touch and need. */
void lp_gather(struct lp_ctx *c, const struct lp_input *in);
void lp_gather_release(struct lp_ctx *c);
/* 1 when the action acts on the touched type (its resource types name it). */
int lp_action_takes(const struct iam_action *a, const char *type);
/* 1 when the action takes no resource-level permission. */
int lp_action_any_resource(const struct iam_action *a);

/* lp_usage.c: fills keep from ev.any, the advisor and the needs; records drops. */
void lp_judge(struct lp_ctx *c);
void lp_drop_add(struct lp_ctx *c, const char *what, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* lp_policy.c: the document from keep; returns 0 or ERR_LIMIT. */
int lp_write_policy(struct lp_ctx *c, struct err *err);

#endif
