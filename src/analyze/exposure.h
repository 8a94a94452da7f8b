/*
 * What the score asks of the exposure family: is a function reachable from
 * outside the account, and does its role reach data. The same readers the
 * exposure checks use, so the score and the findings never disagree.
 */
#ifndef SHEARS_ANALYZE_EXPOSURE_H
#define SHEARS_ANALYZE_EXPOSURE_H

#include <stddef.h>

#include "analyze/amodel.h"

/*
 * 1 when anyone outside the account can make fn run: a function URL with
 * AuthType NONE that the resource policy opens, an API route with no
 * authorizer and no API key that integrates with it, a resource policy
 * statement letting "*" invoke it without a limiting condition, or an
 * event source (queue, topic, bucket) that anyone may write to. why (may
 * be NULL) gets the first such entry point, e.g. "HTTP API acme-storefront
 * route GET /catalog (AuthorizationType NONE)".
 */
int exposure_is_public(const struct amodel *m, const struct am_res *fn, char *why, size_t n);

/*
 * 1 when fn, or the role it assumes, reads or writes a data store (table,
 * bucket, queue, secret, parameter, database, stream). why (may be NULL)
 * gets the first chain, e.g. "role acme-storefront-role reads table acme-catalog".
 */
int exposure_reaches_data(const struct amodel *m, const struct am_res *fn, char *why, size_t n);

#endif
