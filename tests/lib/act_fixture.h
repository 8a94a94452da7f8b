/*
 * The act unit tests' cache: a store in a new temporary folder, a scan of
 * one account in us-east-1 put row by row, and the plan context reading it
 * with the default thresholds.
 */
#ifndef SHEARS_TEST_ACT_FIXTURE_H
#define SHEARS_TEST_ACT_FIXTURE_H

#include <time.h>

#include "act/act.h"
#include "store/store.h"

struct act_fixture {
	char *dir;
	struct store *s;
	struct analyze_opts opts;
	struct act_plan_ctx ctx;
	struct store_scan scan;
};

/* The cache opened and a scan of account begun at today; NULL when it cannot be. */
struct act_fixture *act_fixture_begin(const char *account, time_t today);

/* Commits the scan and readies the plan context (today, default thresholds). 0 or -1. */
int act_fixture_commit(struct act_fixture *f);

/* A cmocka teardown: closes the cache, removes its folder, frees *state. */
int act_fixture_teardown(void **state);

#endif
