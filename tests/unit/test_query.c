#include "cmocka_prelude.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/store.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char path[4096];
	struct store *s;
};

static void
put(struct store *s, enum model_kind kind, const char *region, const char *arn, const char *name,
    const char *attrs)
{
	struct model_resource r = { .arn = arn,
		                    .kind = kind,
		                    .name = name,
		                    .region = region,
		                    .account = "1",
		                    .attrs = attrs };

	assert_int_equal(store_put_resource(s, &r, NULL), 0);
}

static void
edge(struct store *s, const char *src, const char *dst, enum model_edge_kind kind)
{
	struct model_edge e = { .src = src, .dst = dst, .kind = kind, .evidence = "because" };

	assert_int_equal(store_put_edge(s, &e, NULL), 0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_scan scan = { .account = "1", .regions = "us-east-1,eu-west-1" };
	struct store *s;

	f->dir = test_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/cache.db", f->dir);
	assert_int_equal(store_open(f->path, 0, &s, NULL), 0);
	assert_int_equal(store_scan_begin(s, &scan, NULL), 0);
	put(s, MODEL_FUNCTION, "us-east-1", "fn:b", "Beta", "{\"Timeout\":30,\"Runtime\":\"go\"}");
	put(s, MODEL_FUNCTION, "us-east-1", "fn:a", "alpha", "{\"Timeout\":900}");
	put(s, MODEL_FUNCTION, "eu-west-1", "fn:c", "gamma", "{\"Timeout\":5,\"Alt\":\"x\"}");
	put(s, MODEL_ROLE, "", "role:r", "runner", "{}");
	put(s, MODEL_REST_API, "us-east-1", "api:1", "rest", "{}");
	put(s, MODEL_HTTP_API, "eu-west-1", "api:2", "http", "{}");
	edge(s, "fn:a", "role:r", MODEL_EDGE_ASSUMES);
	edge(s, "api:1", "fn:a", MODEL_EDGE_TRIGGERS);
	edge(s, "fn:a", "arn:aws:s3:::outside-bucket", MODEL_EDGE_WRITES);
	assert_int_equal(store_put_metric(s, "fn:a", "Invocations", 100, 5, NULL), 0);
	assert_int_equal(store_put_metric(s, "fn:a", "Invocations", 101, 7, NULL), 0);
	assert_int_equal(store_put_metric(s, "fn:a", "Errors", 101, 1, NULL), 0);
	assert_int_equal(store_put_metric(s, "fn:b", "Invocations", 101, 9, NULL), 0);
	assert_int_equal(store_put_gap(s, "lambda", "eu-west-1", "GetPolicy", "denied", NULL), 0);
	scan.calls = 42;
	assert_int_equal(store_scan_commit(s, &scan, NULL), 0);
	f->s = s;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static long
count_of(const struct store_overview *o, enum model_kind k, const char *region)
{
	size_t i;

	for (i = 0; i < o->n_counts; i++)
		if (o->counts[i].kind == k && !strcmp(o->counts[i].region, region))
			return o->counts[i].n;
	return 0;
}

static void
test_overview_has_last_scan_counts_and_gaps(void **state)
{
	struct fixture *f = *state;
	struct store_overview o;

	assert_int_equal(store_overview_load(f->s, &o, NULL), 0);
	assert_true(o.has_scan);
	assert_int_equal(o.calls, 42);
	assert_string_equal(o.account, "1");
	assert_int_equal(o.n_gaps, 1);
	assert_string_equal(o.gaps[0].operation, "GetPolicy");
	assert_int_equal(count_of(&o, MODEL_FUNCTION, "us-east-1"), 2);
	assert_int_equal(count_of(&o, MODEL_FUNCTION, "eu-west-1"), 1);
	assert_int_equal(count_of(&o, MODEL_ROLE, ""), 1);
	assert_int_equal(o.n_resources, 6);
	assert_int_equal(o.n_edges, 3);
	store_overview_release(&o);
}

static void
test_overview_of_empty_cache_has_no_scan(void **state)
{
	struct fixture *f = *state;
	char path[4200];
	struct store *s;
	struct store_overview o;

	snprintf(path, sizeof(path), "%s/empty.db", f->dir);
	assert_int_equal(store_open(path, 0, &s, NULL), 0);
	assert_int_equal(store_overview_load(s, &o, NULL), 0);
	assert_false(o.has_scan);
	assert_int_equal(o.n_counts, 0);
	store_overview_release(&o);
	store_close(s);
}

static void
test_list_selects_kinds_and_sorts_by_name(void **state)
{
	struct fixture *f = *state;
	struct store_list_query q = { .kinds = 1u << MODEL_FUNCTION };
	struct store_rows r;

	assert_int_equal(store_list(f->s, &q, &r, NULL), 0);
	assert_int_equal(r.n, 3);
	/* sqlite's BINARY order: upper case first */
	assert_string_equal(r.v[0].name, "Beta");
	assert_string_equal(r.v[1].name, "alpha");
	assert_null(r.v[0].attrs);
	store_rows_release(&r);
	q.kinds = (1u << MODEL_REST_API) | (1u << MODEL_HTTP_API);
	assert_int_equal(store_list(f->s, &q, &r, NULL), 0);
	assert_int_equal(r.n, 2);
	store_rows_release(&r);
}

static void
test_list_filters_by_name_any_case_and_region(void **state)
{
	struct fixture *f = *state;
	struct store_list_query q = { .kinds = 1u << MODEL_FUNCTION, .filter = "ALP" };
	struct store_rows r;

	assert_int_equal(store_list(f->s, &q, &r, NULL), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].arn, "fn:a");
	store_rows_release(&r);
	q.filter = NULL;
	q.region = "eu-west-1";
	assert_int_equal(store_list(f->s, &q, &r, NULL), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].name, "gamma");
	store_rows_release(&r);
}

static void
test_list_extracts_columns_and_sorts_numbers_as_numbers(void **state)
{
	struct fixture *f = *state;
	struct store_list_query q = { .kinds = 1u << MODEL_FUNCTION,
		                      .cols = { "$.Timeout", "$.Runtime|$.Alt" },
		                      .n_cols = 2,
		                      .sort = STORE_SORT_COL,
		                      .sort_col = 0,
		                      .flags = STORE_LIST_DESC | STORE_LIST_ATTRS };
	struct store_rows r;

	assert_int_equal(store_list(f->s, &q, &r, NULL), 0);
	assert_int_equal(r.n, 3);
	/* 900 > 30 > 5: numeric, not text order ("5" > "30" > "900") */
	assert_string_equal(r.v[0].col[0], "900");
	assert_string_equal(r.v[1].col[0], "30");
	assert_string_equal(r.v[2].col[0], "5");
	assert_string_equal(r.v[1].col[1], "go"); /* first path */
	assert_string_equal(r.v[2].col[1], "x");  /* the alternative */
	assert_string_equal(r.v[0].col[1], "");   /* neither */
	assert_non_null(strstr(r.v[0].attrs, "900"));
	store_rows_release(&r);
}

static void
test_list_refuses_a_sort_column_it_does_not_have(void **state)
{
	struct fixture *f = *state;
	struct store_list_query q = { .sort = STORE_SORT_COL, .sort_col = 0 };
	struct store_rows r;
	struct err err = { 0 };

	assert_int_equal(store_list(f->s, &q, &r, &err), ERR_USAGE);
	assert_int_equal(r.n, 0);
}

static void
test_resource_get_returns_attrs_or_notfound(void **state)
{
	struct fixture *f = *state;
	struct store_resource r;
	struct err err = { 0 };

	assert_int_equal(store_resource_get(f->s, "fn:c", &r, NULL), 0);
	assert_int_equal(r.r.kind, MODEL_FUNCTION);
	assert_string_equal(r.r.name, "gamma");
	assert_non_null(strstr(r.r.attrs, "\"Alt\""));
	assert_true(r.first_seen > 0);
	store_resource_release(&r);
	assert_int_equal(store_resource_get(f->s, "fn:nope", &r, &err), ERR_NOTFOUND);
	assert_null(r.pool);
}

static void
test_edges_of_name_both_ends_and_outsiders(void **state)
{
	struct fixture *f = *state;
	struct store_edges e;
	size_t i, out = 0;

	assert_int_equal(store_edges_of(f->s, "fn:a", STORE_EDGES_IN | STORE_EDGES_OUT, &e, NULL),
	                 0);
	assert_int_equal(e.n, 3);
	for (i = 0; i < e.n; i++) {
		const struct store_edge_row *r = &e.v[i];

		out += r->outgoing;
		if (!strcmp(r->peer, "role:r")) {
			assert_int_equal(r->peer_kind, MODEL_ROLE);
			assert_string_equal(r->peer_name, "runner");
			assert_int_equal(r->e.kind, MODEL_EDGE_ASSUMES);
		} else if (!strcmp(r->peer, "api:1")) {
			assert_false(r->outgoing);
			assert_string_equal(r->peer_name, "rest");
		} else {
			assert_int_equal(r->peer_kind, -1);
			assert_string_equal(r->peer_name, "outside-bucket");
		}
	}
	assert_int_equal(out, 2);
	assert_true(e.v[0].outgoing); /* outgoing first */
	store_edges_release(&e);
	assert_int_equal(store_edges_of(f->s, "fn:a", STORE_EDGES_IN, &e, NULL), 0);
	assert_int_equal(e.n, 1);
	store_edges_release(&e);
	assert_int_equal(store_edges_of(f->s, NULL, 0, &e, NULL), 0);
	assert_int_equal(e.n, 3);
	store_edges_release(&e);
}

static void
test_metrics_of_one_resource_from_a_day(void **state)
{
	struct fixture *f = *state;
	struct store_metrics m;

	assert_int_equal(store_metrics_of(f->s, "fn:a", 0, &m, NULL), 0);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[0].name, "Errors");
	assert_string_equal(m.v[1].name, "Invocations");
	assert_int_equal(m.v[2].day, 101);
	assert_true(m.v[2].value == 7);
	store_metrics_release(&m);
	assert_int_equal(store_metrics_of(f->s, "fn:a", 101, &m, NULL), 0);
	assert_int_equal(m.n, 2);
	store_metrics_release(&m);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_overview_has_last_scan_counts_and_gaps),
		T(test_overview_of_empty_cache_has_no_scan),
		T(test_list_selects_kinds_and_sorts_by_name),
		T(test_list_filters_by_name_any_case_and_region),
		T(test_list_extracts_columns_and_sorts_numbers_as_numbers),
		T(test_list_refuses_a_sort_column_it_does_not_have),
		T(test_resource_get_returns_attrs_or_notfound),
		T(test_edges_of_name_both_ends_and_outsiders),
		T(test_metrics_of_one_resource_from_a_day),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
