/* A plan's calls as data: building them, and filling what a backup restores. */
#include "cmocka_prelude.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/act.h"
#include "act/call.h"
#include "util/json.h"

static void
test_path_is_encoded_and_params_collected(void **state)
{
	cJSON *calls = cJSON_CreateArray();
	cJSON *c = act_call_add(calls, "lambda", "DeleteFunction");
	cJSON *q = act_call_add(calls, "sns", "Unsubscribe");
	struct err err = { 0 };

	(void)state;
	assert_int_equal(act_call_path(c, "DELETE", "/2015-03-31/functions/%s", "a b:c", &err), 0);
	assert_string_equal(json_str(c, "path"), "/2015-03-31/functions/a%20b%3Ac");
	assert_string_equal(json_str(c, "method"), "DELETE");
	act_call_param(q, "SubscriptionArn", "arn:aws:sns:us-east-1:1:t:abc");
	assert_string_equal(json_str(q, "params.SubscriptionArn"), "arn:aws:sns:us-east-1:1:t:abc");
	assert_int_equal(cJSON_GetArraySize(calls), 2);
	cJSON_Delete(calls);
}

static void
test_fill_takes_secrets_and_files_from_the_backup(void **state)
{
	char dir[] = "/tmp/shears-fill-XXXXXX", zip[256], text[512];
	cJSON *call, *backup, *filled = NULL;
	struct err err = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(zip, sizeof(zip), "%s/code.zip", dir);
	f = fopen(zip, "wb");
	fwrite("PK\x03\x04", 1, 4, f);
	fclose(f);
	snprintf(text, sizeof(text),
	         "{\"code_file\":\"%s\",\"GetFunction\":{\"Configuration\":{\"Environment\":"
	         "{\"Variables\":{\"TOKEN\":\"s3cr3t\"}}}}}",
	         zip);
	backup = cJSON_Parse(text);
	call = cJSON_Parse("{\"service\":\"lambda\",\"operation\":\"CreateFunction\","
	                   "\"body\":{\"FunctionName\":\"f\"},\"from_backup\":{"
	                   "\"body.Environment\":\"GetFunction.Configuration.Environment\","
	                   "\"body.Code.ZipFile\":\"file:code_file\","
	                   "\"body.Layers\":\"GetFunction.Configuration.Layers\"}}");
	assert_int_equal(act_call_fill(call, backup, &filled, &err), 0);
	assert_string_equal(json_str(filled, "body.Environment.Variables.TOKEN"), "s3cr3t");
	assert_string_equal(json_str(filled, "body.Code.ZipFile"), "UEsDBA==");
	assert_string_equal(json_str(filled, "body.FunctionName"), "f");
	assert_null(json_path(filled, "body.Layers")); /* absent in the backup: left out */
	assert_null(json_path(filled, "from_backup"));
	/* the plan's own call is untouched: the secret never reaches the journal */
	assert_null(json_path(call, "body.Environment"));
	cJSON_Delete(filled);

	unlink(zip);
	assert_int_not_equal(act_call_fill(call, backup, &filled, &err), 0);
	assert_int_equal(err.code, ERR_IO);
	assert_null(filled);
	rmdir(dir);
	cJSON_Delete(call);
	cJSON_Delete(backup);
}

/* --with: an option the action does not take is refused, by name. */
static void
test_options_are_checked_against_the_action(void **state)
{
	const struct act_action *q = act_action_find("quarantine");
	cJSON *with = cJSON_CreateObject();
	struct act_plan_ctx ctx = { .options = with };
	struct err err = { 0 };

	(void)state;
	assert_int_equal(act_options_check(q, with, &err), 0);
	assert_int_equal(act_option(&ctx, "alarm"), 0);
	cJSON_AddTrueToObject(with, "no-such-option");
	assert_int_equal(act_options_check(q, with, &err), ERR_USAGE);
	assert_non_null(strstr(err.msg, "no-such-option"));
	assert_int_equal(act_option(&ctx, "no-such-option"), 1);
	cJSON_Delete(with);
}

/* A difference too long for its line is cut visibly, never on a stray comma. */
static void
test_a_long_difference_is_cut_with_an_ellipsis(void **state)
{
	cJSON *want = cJSON_Parse("{\"Ids\":[\"aaaaaaaaaa\",\"bbbbbbbbbb\",\"cccccccccc\","
	                          "\"dddddddddd\",\"eeeeeeeeee\",\"ffffffffff\",\"gggggggggg\","
	                          "\"hhhhhhhhhh\",\"iiiiiiiiii\",\"jjjjjjjjjj\",\"kkkkkkkkkk\","
	                          "\"llllllllll\"]}");
	cJSON *now = cJSON_Parse("{\"Ids\":[]}");
	char diff[512];
	const char *plan_end;

	(void)state;
	assert_int_equal(act_state_matches(want, NULL, now, diff, sizeof(diff)), 0);
	plan_end = strstr(diff, ", now []");
	assert_non_null(plan_end);
	assert_memory_equal(plan_end - 3, "...", 3);
	assert_null(strstr(diff, ",,"));
	cJSON_Delete(want);
	cJSON_Delete(now);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_is_encoded_and_params_collected),
		cmocka_unit_test(test_fill_takes_secrets_and_files_from_the_backup),
		cmocka_unit_test(test_options_are_checked_against_the_action),
		cmocka_unit_test(test_a_long_difference_is_cut_with_an_ellipsis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
