/* The checks' model: built row by row, and loaded from a real cache. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/amodel.h"
#include "store/store.h"
#include "testutil.h"

static void
test_index_finds_resources_and_their_edges(void **state)
{
	struct amodel m;
	const struct am_res *fn, *role, *api;

	(void)state;
	amodel_init(&m);
	amodel_add_resource(&m, MODEL_FUNCTION, "fn:a", "alpha", "us-east-1", "{\"Timeout\":900}");
	amodel_add_resource(&m, MODEL_ROLE, "role:r", "runner", "", "not json");
	amodel_add_resource(&m, MODEL_REST_API, "api:1", "rest", "us-east-1", NULL);
	amodel_add_edge(&m, "fn:a", "role:r", MODEL_EDGE_ASSUMES, "Role");
	amodel_add_edge(&m, "api:1", "fn:a", MODEL_EDGE_TRIGGERS, "GET /x");
	amodel_add_edge(&m, "fn:a", "arn:aws:s3:::elsewhere", MODEL_EDGE_WRITES, "policy");
	amodel_index(&m);
	fn = amodel_find(&m, "fn:a");
	role = amodel_find(&m, "role:r");
	api = amodel_find(&m, "api:1");
	assert_non_null(fn);
	assert_non_null(role);
	assert_null(amodel_find(&m, "fn:zzz"));
	assert_int_equal(cJSON_GetObjectItem(fn->attrs, "Timeout")->valueint, 900);
	assert_true(cJSON_IsObject(role->attrs)); /* unparseable attrs become {} */
	assert_true(cJSON_IsObject(api->attrs));
	assert_int_equal(fn->n_out, 2);
	assert_int_equal(fn->n_in, 1);
	assert_string_equal(m.edges[fn->in[0]].src, "api:1");
	assert_int_equal(role->n_in, 1);
	amodel_free(&m);
}

static void
test_metrics_keep_days_in_order(void **state)
{
	struct amodel m;
	const struct am_series *s;

	(void)state;
	amodel_init(&m);
	amodel_add_resource(&m, MODEL_FUNCTION, "fn:a", "alpha", "us-east-1", "{}");
	amodel_index(&m);
	amodel_add_metric(&m, "fn:a", "Invocations", 12, 3);
	amodel_add_metric(&m, "fn:a", "Invocations", 10, 1);
	amodel_add_metric(&m, "fn:a", "Invocations", 11, 2);
	amodel_add_metric(&m, "fn:nope", "Invocations", 11, 2);
	s = am_metric(amodel_find(&m, "fn:a"), "Invocations");
	assert_non_null(s);
	assert_int_equal(s->n, 3);
	assert_int_equal(s->day[0], 10);
	assert_int_equal(s->day[2], 12);
	assert_true(s->value[1] == 2);
	assert_null(am_metric(amodel_find(&m, "fn:a"), "Errors"));
	amodel_free(&m);
}

static void
test_load_reads_the_whole_cache(void **state)
{
	struct store_scan scan = { .account = "123456789012", .regions = "us-east-1" };
	struct model_resource r = { .arn = "fn:a",
		                    .kind = MODEL_FUNCTION,
		                    .name = "alpha",
		                    .region = "us-east-1",
		                    .account = "123456789012",
		                    .attrs = "{\"Runtime\":\"python3.12\"}" };
	struct model_edge e = {
		.src = "fn:a", .dst = "role:r", .kind = MODEL_EDGE_ASSUMES, .evidence = "Role"
	};
	struct store *s;
	struct amodel m;
	char path[512];
	char *dir = test_tmpdir();

	(void)state;
	snprintf(path, sizeof(path), "%s/cache.db", dir);
	assert_int_equal(store_open(path, 0, &s, NULL), 0);
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	assert_int_equal(store_put_resource(s, &r, NULL), 0);
	r.arn = "role:r", r.kind = MODEL_ROLE, r.name = "runner", r.region = "", r.attrs = "{}";
	assert_int_equal(store_put_resource(s, &r, NULL), 0);
	assert_int_equal(store_put_edge(s, &e, NULL), 0);
	assert_int_equal(store_put_metric(s, "fn:a", "Errors", 20001, 4, NULL), 0);
	assert_int_equal(store_scan_commit(s, &scan, NULL), 0);
	assert_int_equal(amodel_load(s, &m, NULL), 0);
	assert_int_equal(m.n_res, 2);
	assert_string_equal(m.account, "123456789012");
	assert_true(m.scanned > 0);
	assert_int_equal(amodel_find(&m, "fn:a")->n_out, 1);
	assert_int_equal(am_metric(amodel_find(&m, "fn:a"), "Errors")->n, 1);
	amodel_free(&m);
	store_close(s);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_finds_resources_and_their_edges),
		cmocka_unit_test(test_metrics_keep_days_in_order),
		cmocka_unit_test(test_load_reads_the_whole_cache),
	};

	return cmocka_run_group_tests_name("amodel", tests, NULL, NULL);
}
