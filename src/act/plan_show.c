/*
 * Comparing a plan's states with what is read back, and the plan as a
 * reviewer reads it. Every string from the cloud or a plan file is made
 * terminal-safe here, before it is shown.
 */
#include "act/act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/termsafe.h"

static const char *
str_or(const cJSON *o, const char *path, const char *dflt)
{
	const char *v = json_str(o, path);

	return v ? v : dflt;
}

/* A value as one short line: numbers, strings, null; "(absent)" when missing. */
static void
value_text(const cJSON *v, char *out, size_t n)
{
	char *text;

	if (!v) {
		snprintf(out, n, "(absent)");
		return;
	}
	if (cJSON_IsNull(v)) {
		snprintf(out, n, "none");
		return;
	}
	text = cJSON_PrintUnformatted(v);
	termsafe_copy(out, n, text ? text : "?");
	/* a value cut short says so, rather than ending on a stray comma */
	if (text && strlen(text) >= n && n > 4)
		memcpy(out + n - 4, "...", 4);
	free(text);
}

static void
add_diff(struct buf *b, const char *key, const cJSON *want, const cJSON *now)
{
	char w[128], h[128], k[96];

	value_text(want, w, sizeof(w));
	value_text(now, h, sizeof(h));
	buf_printf(b, "%s%s: plan %s, now %s", b->len ? "; " : "", termsafe_copy(k, sizeof(k), key),
	           w, h);
}

int
act_state_matches(const cJSON *want, const char *revision, const cJSON *now, char *diff, size_t n)
{
	const cJSON *item;
	const char *rev_now = json_str(now, "RevisionId");
	struct buf b;
	int same = 1;

	buf_init(&b, 4096);
	if (revision && revision[0] && (!rev_now || strcmp(revision, rev_now))) {
		cJSON *w = cJSON_CreateString(revision);

		add_diff(&b, "RevisionId", w, cJSON_GetObjectItemCaseSensitive(now, "RevisionId"));
		cJSON_Delete(w);
		same = 0;
	}
	cJSON_ArrayForEach(item, want)
	{
		const cJSON *have = cJSON_GetObjectItemCaseSensitive(now, item->string);
		/* a key absent from the read answer is "none" (Lambda omits no concurrency) */
		int equal = have ? cJSON_Compare(item, have, 1) : cJSON_IsNull(item);

		if (equal)
			continue;
		add_diff(&b, item->string, item, have);
		same = 0;
	}
	snprintf(diff, n, "%s", b.len ? buf_cstr(&b) : "");
	buf_release(&b);
	return same;
}

static void
describe_calls(struct buf *b, const cJSON *calls, const char *indent)
{
	const cJSON *c;
	char op[64], path[512], body[512], query[256];

	cJSON_ArrayForEach(c, calls)
	{
		const cJSON *bj = cJSON_GetObjectItemCaseSensitive(c, "body");
		const cJSON *params = cJSON_GetObjectItemCaseSensitive(c, "params");
		char svc[32];

		termsafe_copy(svc, sizeof(svc), str_or(c, "service", "?"));
		termsafe_copy(op, sizeof(op), str_or(c, "operation", "?"));
		if (params) { /* a query call (IAM): its parameters are the whole request */
			value_text(params, body, sizeof(body));
			buf_printf(b, "%s%s %s %s%s\n", indent, svc, op, body,
			           json_path(c, "from_backup") ? " (filled from the backup)" : "");
			continue;
		}
		termsafe_copy(path, sizeof(path), str_or(c, "path", ""));
		termsafe_copy(query, sizeof(query), str_or(c, "query", ""));
		if (bj)
			value_text(bj, body, sizeof(body));
		else /* S3's body is XML or a policy's text */
			termsafe_copy(body, sizeof(body), str_or(c, "xml", ""));
		if (!json_str(c, "path")) { /* the JSON protocol (Logs): its body is the request */
			buf_printf(b, "%s%s %s %s%s\n", indent, svc, op, body,
			           json_path(c, "from_backup") ? " (filled from the backup)" : "");
			continue;
		}
		termsafe_copy(path, sizeof(path), str_or(c, "path", "?"));
		termsafe_copy(query, sizeof(query), str_or(c, "query", ""));
		buf_printf(b, "%s%s %s %s %s%s%s %s%s\n", indent, svc, op, str_or(c, "method", ""),
		           path, query[0] ? "?" : "", query, body,
		           json_path(c, "from_backup") ? "(filled from the backup)" : "");
	}
}

static void
describe_states(struct buf *b, const cJSON *plan)
{
	const cJSON *before = json_path(plan, "before"), *after = json_path(plan, "after");
	const cJSON *item;
	char k[96], w[128], h[128];

	cJSON_ArrayForEach(item, before)
	{
		const cJSON *want = cJSON_GetObjectItemCaseSensitive(after, item->string);

		/* a key this plan leaves alone (an option not taken), or leaves as it is */
		if (!want || cJSON_Compare(item, want, 1))
			continue;
		value_text(item, w, sizeof(w));
		value_text(want, h, sizeof(h));
		buf_printf(b, "  change    %s: %s -> %s\n",
		           termsafe_copy(k, sizeof(k), item->string), w, h);
	}
}

/*
 * A multi-line note (lp's reasons, its diff), each line terminal-safe and
 * indented, cut after PLAN_NOTE_LINES lines: the plan file has the whole.
 */
#define PLAN_NOTE_LINES 60

static void
describe_text(struct buf *b, const char *title, const char *text)
{
	char raw[256], line[256];
	size_t lines = 0;

	if (!text[0])
		return;
	buf_printf(b, "  %s:\n", title);
	while (*text && lines < PLAN_NOTE_LINES) {
		size_t len = strcspn(text, "\n");

		size_t i, k = 0;

		/* tabs (cJSON's indentation) as two spaces: a terminal-safe tab reads "^I" */
		for (i = 0; i < len && k + 2 < sizeof(raw); i++) {
			if (text[i] == '\t') {
				raw[k++] = ' ';
				raw[k++] = ' ';
			} else {
				raw[k++] = text[i];
			}
		}
		raw[k] = '\0';
		buf_printf(b, "    %s\n", termsafe_copy(line, sizeof(line), raw));
		lines++;
		text += len + (text[len] == '\n');
	}
	if (*text)
		buf_printf(b, "    ... (cut: the plan's \"%s\" has the rest)\n", title);
}

/* What the backup keeps (and, for a destructive action, what it cannot). */
static void
describe_backup(struct buf *b, const cJSON *lines)
{
	const cJSON *l;
	char line[256];

	if (!cJSON_GetArraySize(lines))
		return;
	buf_printf(b, "  backup:\n");
	cJSON_ArrayForEach(l, lines)
	{
		if (cJSON_IsString(l))
			buf_printf(b, "    %s\n",
			           termsafe_copy(line, sizeof(line), l->valuestring));
	}
}

void
act_plan_describe(const cJSON *plan, char *out, size_t n)
{
	char action[64], name[256], arn[1024], acct[64], region[64], rev[128], why[768];
	struct buf b;

	buf_init(&b, 65536);
	termsafe_copy(action, sizeof(action), str_or(plan, "action", "?"));
	termsafe_copy(name, sizeof(name), str_or(plan, "target.name", "?"));
	termsafe_copy(arn, sizeof(arn), str_or(plan, "target.arn", "?"));
	termsafe_copy(acct, sizeof(acct), str_or(plan, "account", "?"));
	termsafe_copy(region, sizeof(region), str_or(plan, "region", "?"));
	termsafe_copy(rev, sizeof(rev), str_or(plan, "revisions.RevisionId", "none"));
	termsafe_copy(why, sizeof(why), str_or(plan, "explain", ""));
	buf_printf(&b,
	           "plan: %s %s%s\n  target    %s\n  account   %s  region %s\n"
	           "  revision  %s\n",
	           action, name, json_path(plan, "undo_of") ? " (an undo)" : "", arn, acct, region,
	           rev);
	describe_states(&b, plan);
	if (why[0])
		buf_printf(&b, "  why       %s\n", why);
	describe_text(&b, "reasons", str_or(plan, "reasons", ""));
	describe_text(&b, "diff", str_or(plan, "diff", ""));
	describe_backup(&b, json_path(plan, "backup"));
	buf_printf(&b, "  calls:\n");
	describe_calls(&b, json_path(plan, "calls"), "    ");
	buf_printf(&b, "  undo:\n");
	describe_calls(&b, json_path(plan, "undo.calls"), "    ");
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_release(&b);
}

const char *
act_confirm_word(const cJSON *plan)
{
	/* destructive plans want the name typed, so a reflex "y" cannot delete */
	if (json_bool(plan, "destructive", 0))
		return str_or(plan, "target.name", "");
	return "y";
}
