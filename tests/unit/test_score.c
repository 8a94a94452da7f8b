/* Scores: every point from a finding of the function, its role or its layers. */
#include "cmocka_prelude.h"

#include <stdlib.h>

#include "analyze/score.h"

static int
always(const struct amodel *m, const struct am_res *fn)
{
	(void)m;
	return fn->name[0] == 'p'; /* "public-..." functions */
}

static void
test_weights_attribution_and_raises(void **state)
{
	struct amodel m;
	struct fn_score *s = NULL;
	const struct score_finding f[] = {
		{ "fn:public-a", SEV_HIGH },                              /* 20 */
		{ "role:r", SEV_MEDIUM },                                 /* 8, via Role */
		{ "arn:aws:lambda:us-east-1:1:layer:l:3", SEV_LOW },      /* 3, via Layers */
		{ "arn:aws:lambda:us-east-1:1:layer:l:2", SEV_CRITICAL }, /* another version */
		{ "fn:quiet", SEV_INFO },
	};
	size_t n;

	(void)state;
	amodel_init(&m);
	amodel_add_resource(&m, MODEL_FUNCTION, "fn:public-a", "public-a", "us-east-1",
	                    "{\"Role\":\"role:r\",\"Layers\":[{\"Arn\":"
	                    "\"arn:aws:lambda:us-east-1:1:layer:l:3\"}]}");
	amodel_add_resource(&m, MODEL_FUNCTION, "fn:quiet", "quiet", "us-east-1", "{}");
	amodel_add_resource(&m, MODEL_ROLE, "role:r", "r", "", "{}");
	amodel_index(&m);
	n = score_functions(&m, f, sizeof(f) / sizeof(f[0]), always, NULL, &s);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].fn->arn, "fn:public-a");
	assert_int_equal(s[0].base, 15);
	assert_int_equal(s[0].public_entry, 1);
	assert_int_equal(s[0].score, 23); /* 15 x 1.5 = 22.5, rounded up */
	assert_int_equal(s[1].base, 0);
	assert_int_equal(s[1].score, 0);
	free(s);
	n = score_functions(&m, f, sizeof(f) / sizeof(f[0]), always, always, &s);
	assert_int_equal(s[0].score, 27); /* 15 x 1.75 = 26.25, rounded up */
	free(s);
	amodel_free(&m);
}

static void
test_capped_at_100(void **state)
{
	struct amodel m;
	struct fn_score *s = NULL;
	const struct score_finding f[] = { { "fn:x", SEV_CRITICAL },
		                           { "fn:x", SEV_CRITICAL },
		                           { "fn:x", SEV_CRITICAL },
		                           { "fn:x", SEV_CRITICAL },
		                           { "fn:x", SEV_CRITICAL } };

	(void)state;
	amodel_init(&m);
	amodel_add_resource(&m, MODEL_FUNCTION, "fn:x", "x", "us-east-1", "{}");
	amodel_index(&m);
	assert_int_equal(score_functions(&m, f, sizeof(f) / sizeof(f[0]), NULL, NULL, &s), 1);
	assert_int_equal(s[0].base, 125);
	assert_int_equal(s[0].score, 100);
	free(s);
	amodel_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights_attribution_and_raises),
		cmocka_unit_test(test_capped_at_100),
	};

	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
