/* Findings in the cache: replace, fixed, reopened, accepted and expired. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/findings.h"
#include "testutil.h"

struct fixture {
	char *dir;
	struct store *s;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->dir = test_tmpdir();
	snprintf(path, sizeof(path), "%s/cache.db", f->dir);
	assert_int_equal(store_open(path, 0, &f->s, NULL), 0);
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

static const struct store_finding_in two[] = {
	{ "aaaa000000000001", "SHR-EXP-001", "fn:a", "", "high", "URL NONE" },
	{ "aaaa000000000002", "SHR-HYG-001", "fn:b", "", "medium", "dead 90 days" },
};

static const char *
status_of(struct store *s, const char *id, int64_t now)
{
	static char out[16];
	struct store_findings list;
	size_t i;

	out[0] = '\0';
	assert_int_equal(store_findings_list(s, NULL, STORE_FINDINGS_FIXED, now, &list, NULL), 0);
	for (i = 0; i < list.n; i++)
		if (!strcmp(list.v[i].id, id))
			snprintf(out, sizeof(out), "%s", list.v[i].status);
	store_findings_release(&list);
	return out;
}

static void
test_not_raised_again_is_fixed_and_comes_back_open(void **state)
{
	struct fixture *f = *state;
	struct store_score_in sc = { "fn:a", 40, 20, 1, 0 }, got;

	assert_int_equal(store_findings_replace(f->s, two, 2, &sc, 1, 1000, NULL), 0);
	assert_string_equal(status_of(f->s, "aaaa000000000002", 1000), "open");
	assert_int_equal(store_findings_replace(f->s, two, 1, NULL, 0, 2000, NULL), 0);
	assert_string_equal(status_of(f->s, "aaaa000000000001", 2000), "open");
	assert_string_equal(status_of(f->s, "aaaa000000000002", 2000), "fixed");
	assert_int_equal(store_findings_replace(f->s, two, 2, NULL, 0, 3000, NULL), 0);
	assert_string_equal(status_of(f->s, "aaaa000000000002", 3000), "open");
	assert_int_equal(store_score_get(f->s, "fn:a", &got, NULL), 0); /* kept: no scores given */
	assert_int_equal(store_scores_replace(f->s, NULL, 0, NULL), 0);
	assert_int_equal(store_score_get(f->s, "fn:a", &got, NULL), ERR_NOTFOUND);
	assert_int_equal(store_findings_replace(f->s, two, 2, &sc, 1, 4000, NULL), 0);
	assert_int_equal(store_score_get(f->s, "fn:a", &got, NULL), 0);
	assert_int_equal(got.score, 40);
	assert_int_equal(got.public_entry, 1);
}

static void
test_acceptance_survives_and_expires(void **state)
{
	struct fixture *f = *state;
	struct store_findings list;

	assert_int_equal(store_findings_replace(f->s, two, 2, NULL, 0, 1000, NULL), 0);
	assert_int_equal(
	        store_accept(f->s, "SHR-EXP-001", "fn:a", "behind WAF", 5000, "alice", 1000, NULL),
	        0);
	assert_string_equal(status_of(f->s, "aaaa000000000001", 1500), "accepted");
	/* a rescan raises it again: still accepted */
	assert_int_equal(store_findings_replace(f->s, two, 2, NULL, 0, 2000, NULL), 0);
	assert_string_equal(status_of(f->s, "aaaa000000000001", 2000), "accepted");
	assert_int_equal(store_findings_list(f->s, "fn:a", 0, 2000, &list, NULL), 0);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.v[0].reason, "behind WAF");
	assert_int_equal(list.v[0].until, 5000);
	store_findings_release(&list);
	/* past its expiry it is open again */
	assert_string_equal(status_of(f->s, "aaaa000000000001", 6000), "open");
	assert_int_equal(store_unaccept(f->s, "SHR-EXP-001", "fn:a", NULL), 0);
	assert_int_equal(store_unaccept(f->s, "SHR-EXP-001", "fn:a", NULL), ERR_NOTFOUND);
	assert_string_equal(status_of(f->s, "aaaa000000000001", 1500), "open");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_raised_again_is_fixed_and_comes_back_open,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_acceptance_survives_and_expires, setup,
		                                teardown),
	};

	return cmocka_run_group_tests_name("store_findings", tests, NULL, NULL);
}
