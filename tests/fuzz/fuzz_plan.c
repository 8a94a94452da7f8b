/*
 * libFuzzer target: a plan or batch file as `shears apply` reads it (it
 * may come from someone else): validation, then what the reviewer is shown
 * (the plan described, a batch's lines, the word to type) and a call's
 * pieces filled from a "backup" (the document itself, no files).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "act/act.h"
#include "act/batch.h"
#include "act/call.h"
#include "util/json.h"

static volatile unsigned sink;
static char text[65536];

static void
plan_shown(const cJSON *plan)
{
	const cJSON *c;

	act_plan_describe(plan, text, sizeof(text));
	sink += (unsigned char)text[0];
	act_plan_summary(plan, text, sizeof(text));
	sink += (unsigned char)text[0];
	sink += (unsigned char)act_confirm_word(plan)[0];
	cJSON_ArrayForEach(c, json_path(plan, "calls"))
	{
		cJSON *filled = NULL;
		struct err err = { 0 };

		/* only pieces of the document itself: "file:" ones name no file here */
		if (!act_call_fill(c, plan, &filled, &err))
			sink += filled != NULL;
		cJSON_Delete(filled);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	cJSON *doc = json_parse((const char *)data, size, &err);
	const cJSON *p;

	if (!doc)
		return 0;
	if (act_is_batch(doc)) {
		if (!act_batch_validate(doc, &err)) {
			act_batch_describe(doc, text, sizeof(text));
			sink += (unsigned char)text[0];
			cJSON_ArrayForEach(p, json_path(doc, "plans")) plan_shown(p);
		}
	} else if (!act_plan_validate(doc, &err)) {
		plan_shown(doc);
	}
	sink += (unsigned char)err.msg[0];
	cJSON_Delete(doc);
	return 0;
}
