/*
 * The remediation commands (src/act does the work; this file parses,
 * connects, asks and prints):
 *
 *   shears plan ACTION TARGET [--output FILE]   the plan, a dry run
 *   shears fix ACTION TARGET [--yes]            plan, show, confirm, apply
 *   shears apply PLAN.json [--yes]              a plan (or a batch) written earlier
 *   shears undo ACTION-ID [--yes]               the backup, through the same protocol
 *   shears restore BACKUP.json [--yes]          a pruned function back (cmd_restore.c)
 *   shears journal [--json]                     the action table
 *
 * Several targets (plan and fix: ACTION|RULE TARGET TARGET..., or several
 * FINDING-IDs or RESOURCEs; undo: several ids) make a batch (act/batch.h):
 * one question for all of them, the account's alias or id typed.
 *
 * Everything but plan and journal is refused under --read-only. Every
 * command that reaches the account first settles journal entries a crash
 * left unfinished (act_reconcile).
 */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/act.h"
#include "act/batch.h"
#include "act/run.h"
#include "analyze/rule.h"
#include "aws/sts.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/console_act.h"
#include "store/actions.h"
#include "store/findings.h"
#include "store/query.h"
#include "util/json.h"
#include "util/termsafe.h"
#include "util/xmalloc.h"

#define POS_MAX 256 /* targets on one command line */

/* What a command that changes the account holds for its whole run. */
struct act_session {
	struct store *store;
	struct aws_creds_chain *chain;
	struct aws_client *client;
	struct aws_caller_identity id;
	int yes;
};

static const char *
local_user(void)
{
	const struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name ? pw->pw_name : "";
}

static int
refuse_read_only(const struct cli *cli, const char *cmd)
{
	struct shears_config cfg;
	struct err err = { 0 };
	int ro;

	if (config_load(&cfg, NULL, &err)) {
		print_err(&err);
		return EXIT_FAIL; /* a broken config must not quietly drop its read_only */
	}
	ro = cfg.read_only;
	config_release(&cfg);
	if (!cli->read_only && !ro)
		return 0;
	fprintf(stderr, "shears: %s: refused under %s (nothing was changed)\n", cmd,
	        cli->read_only ? "--read-only" : "read_only in the config");
	return EXIT_FAIL;
}

static void
print_reconciled(struct act_session *ss, struct err *err)
{
	size_t n = 0;
	int unfinished = act_unfinished(ss->store, err);

	if (unfinished <= 0)
		return;
	if (act_reconcile(ss->store, ss->client, &n, err))
		print_err(err);
	if (n)
		fprintf(stderr,
		        "shears: reconciled %zu unfinished journal entr%s by reading the "
		        "target (see 'shears journal')\n",
		        n, n == 1 ? "y" : "ies");
	err_clear(err);
}

static int
session_open(const struct cli *cli, struct act_session *ss, struct err *err)
{
	int rc = cli_store(cli, 0, &ss->store, err);

	if (!rc)
		rc = cli_connect(cli, &ss->chain, &ss->client, err);
	if (!rc)
		rc = aws_sts_get_caller_identity(ss->client, &ss->id, err);
	if (!rc)
		print_reconciled(ss, err);
	return rc;
}

static void
session_close(struct act_session *ss)
{
	aws_client_free(ss->client);
	aws_creds_chain_free(ss->chain);
	store_close(ss->store);
}

/* The protection list and the production check against the plan's account and target. */
static int
check_protected(struct act_session *ss, const cJSON *plan, struct err *err)
{
	struct shears_config cfg;
	struct err alias_err = { 0 };
	char **aliases = NULL;
	long n_aliases = -1;
	int rc = config_load(&cfg, NULL, err);

	if (rc)
		return rc;
	act_account_aliases(ss->client, &aliases, &n_aliases, &alias_err);
	rc = cli_act_check_protected(&cfg, ss->store, plan, (const char *const *)aliases, n_aliases,
	                             1, err);
	act_aliases_free(aliases, n_aliases);
	config_release(&cfg);
	return rc;
}

/* A plan is refused for a protected resource already (the account is checked at apply). */
static int
check_patterns(struct store *s, const cJSON *plan, struct err *err)
{
	struct shears_config cfg;
	int rc = config_load(&cfg, NULL, err);

	if (!rc)
		rc = cli_act_check_protected(&cfg, s, plan, NULL, 0, 0, err);
	config_release(&cfg);
	return rc;
}

static int
confirm_prompt(void *ctx, const cJSON *plan, const char *word)
{
	const struct act_session *ss = ctx;
	char text[16384], line[512];
	size_t len;

	act_plan_describe(plan, text, sizeof(text));
	fputs(text, stdout);
	if (ss->yes)
		return 1;
	if (!isatty(STDIN_FILENO)) {
		fputs("shears: not confirmed: no terminal to ask on (pass --yes in scripts)\n",
		      stderr);
		return 0;
	}
	if (!strcmp(word, "y"))
		printf("apply this plan? [y/N] ");
	else
		printf("this cannot be undone without the backup: type '%s' to apply: ",
		       termsafe_copy(line, sizeof(line), word));
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	if (!strcmp(word, "y"))
		return !strcmp(line, "y") || !strcmp(line, "yes");
	return !strcmp(line, word);
}

static void
print_result(const struct act_result *res)
{
	char safe[4096];

	if (!res->id)
		return;
	printf("action %lld: %s", (long long)res->id, res->state);
	if (res->detail[0])
		printf(" (%s)", termsafe_copy(safe, sizeof(safe), res->detail));
	printf("\n");
	if (res->backup[0])
		printf("backup: %s\n", termsafe_copy(safe, sizeof(safe), res->backup));
}

/* Runs plan with a session open: region and protection checks, then the protocol. */
static int
run_plan(const struct cli *cli, struct act_session *ss, const cJSON *plan)
{
	struct act_env env = { .store = ss->store,
		               .client = ss->client,
		               .account = ss->id.account,
		               .caller = ss->id.arn,
		               .local_user = local_user(),
		               .confirm = confirm_prompt,
		               .confirm_ctx = ss };
	struct act_result res;
	struct err err = { 0 };
	int rc = act_plan_validate(plan, &err);

	if (!rc && cli->n_regions && strcmp(cli->regions[0], json_str(plan, "region")))
		rc = err_set(&err, ERR_USAGE, "the plan is for region %s, not %s",
		             json_str(plan, "region"), cli->regions[0]);
	if (!rc)
		rc = check_protected(ss, plan, &err);
	if (!rc) {
		rc = act_run(&env, plan, &res, &err);
		print_result(&res);
	}
	if (rc == ERR_CANCELLED)
		return EXIT_FAIL;
	if (rc)
		print_err(&err);
	return rc ? EXIT_FAIL : 0;
}

/* A batch as the reviewer reads it: every plan, then the batch's summary. */
static void
print_batch(const cJSON *batch)
{
	char *text = xmalloc(1 << 20);
	const cJSON *p;

	cJSON_ArrayForEach(p, json_path(batch, "plans"))
	{
		act_plan_describe(p, text, 1 << 20);
		fputs(text, stdout);
	}
	act_batch_describe(batch, text, 1 << 20);
	fputs(text, stdout);
	free(text);
}

/* What the checks of a batch's plans share: the config and the aliases, read once. */
struct batch_run {
	const struct cli *cli;
	struct act_session *ss;
	struct shears_config cfg;
	char **aliases;
	long n_aliases;
};

/* Each plan of a batch: the region asked for and the protection, as run_plan checks one. */
static int
batch_check(void *ctx, const cJSON *plan, struct err *err)
{
	struct batch_run *br = ctx;

	if (br->cli->n_regions && strcmp(br->cli->regions[0], json_str(plan, "region")))
		return err_set(err, ERR_USAGE, "the plan is for region %s, not %s",
		               json_str(plan, "region"), br->cli->regions[0]);
	return cli_act_check_protected(&br->cfg, br->ss->store, plan,
	                               (const char *const *)br->aliases, br->n_aliases, 1, err);
}

/* The batch's one question: the plans, the count, then the account's alias or id typed. */
static int
batch_prompt(void *ctx, const struct act_batch_ask *ask)
{
	const struct batch_run *br = ctx;
	char line[512], word[256], acct[64];
	size_t len;

	print_batch(ask->batch);
	if (br->ss->yes)
		return 1;
	if (!isatty(STDIN_FILENO)) {
		fputs("shears: not confirmed: no terminal to ask on (pass --yes in scripts)\n",
		      stderr);
		return 0;
	}
	termsafe_copy(word, sizeof(word), act_batch_ask_word(ask));
	termsafe_copy(acct, sizeof(acct), ask->account);
	if (ask->alias)
		printf("apply these %zu plans? type the account's alias '%s' (or its id %s): ",
		       ask->count, word, acct);
	else
		printf("apply these %zu plans? type the account id '%s': ", ask->count, acct);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	return act_batch_ask_ok(ask, line);
}

static void
print_batch_result(const struct act_batch_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct act_batch_item *it = &r->v[i];

		printf("plan %zu of %zu: %s\n", i + 1, r->n, it->summary);
		if (it->res.id)
			print_result(&it->res);
		else
			printf("not run: %s\n", it->err.msg);
		if (it->rc && it->rc != ERR_CANCELLED)
			print_err(&it->err);
	}
	printf("batch %s: %zu plan%s: %zu verified, %zu failed, %zu skipped\n", r->id, r->n,
	       r->n == 1 ? "" : "s", r->n_verified, r->n_failed, r->n_skipped);
}

/* Runs a batch with a session open: one question, then each plan through the protocol. */
static int
run_batch(const struct cli *cli, struct act_session *ss, const cJSON *batch)
{
	struct batch_run br = { .cli = cli, .ss = ss, .n_aliases = -1 };
	struct act_env env = { .store = ss->store,
		               .client = ss->client,
		               .account = ss->id.account,
		               .caller = ss->id.arn,
		               .local_user = local_user() };
	struct act_batch_env benv = { .env = &env,
		                      .confirm = batch_prompt,
		                      .confirm_ctx = &br,
		                      .check = batch_check,
		                      .check_ctx = &br };
	struct act_batch_result res = { 0 };
	struct err err = { 0 }, alias_err = { 0 };
	int rc = config_load(&br.cfg, NULL, &err);

	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	act_account_aliases(ss->client, &br.aliases, &br.n_aliases, &alias_err);
	benv.aliases = (const char *const *)br.aliases;
	benv.n_aliases = br.n_aliases;
	rc = act_batch_run(&benv, batch, &res, &err);
	if (res.n && rc != ERR_CANCELLED)
		print_batch_result(&res);
	if (rc == ERR_CANCELLED)
		fputs("shears: not confirmed: nothing was changed\n", stderr);
	else if (rc)
		print_err(&err);
	act_batch_result_release(&res);
	act_aliases_free(br.aliases, br.n_aliases);
	config_release(&br.cfg);
	return rc ? EXIT_FAIL : 0;
}

/* The plan context: the config's thresholds and the last scan's day. */
static int
build_plan(const struct cli *cli, struct store *s, const char *action, const char *target,
           const cJSON *with, cJSON **plan, struct err *err)
{
	const struct act_action *a = act_action_find(action);
	struct shears_config cfg;
	struct store_overview ov;
	struct act_plan_ctx ctx = { .store = s, .options = with };
	char arn[2048];
	int rc;

	if (!a)
		return err_set(
		        err, ERR_USAGE,
		        "no action '%s' (quarantine, shorten-timeout, close-public, tighten-role, "
		        "split-role, prune, prune-role, prune-log-group, prune-layer-version)",
		        action);
	/* the options are checked by the row for the target's kind (act_plan_build) */
	rc = config_load(&cfg, NULL, err);
	if (rc)
		return rc;
	ctx.opts = &cfg.analyze;
	rc = store_overview_load(s, &ov, err);
	if (!rc) {
		ctx.today = ov.has_scan ? (time_t)ov.finished : time(NULL);
		store_overview_release(&ov);
		rc = cli_resolve_kinds(s, target, act_action_kinds(action), arn, sizeof(arn), err);
	}
	if (!rc)
		rc = act_plan_build(&ctx, a, arn, plan, err);
	/* a prune with its orphans is a batch: the prune, then what it leaves */
	if (!rc && !strcmp(a->name, "prune") && act_option(&ctx, "orphans")) {
		cJSON *one = *plan;

		*plan = NULL;
		rc = act_prune_with_orphans(&ctx, one, plan, err);
	}
	config_release(&cfg);
	return rc;
}

static int
write_plan(const cJSON *plan, const char *path, struct err *err)
{
	char *text = cJSON_Print(plan);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text);
	int rc = 0;

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
		rc = err_set(err, ERR_IO, "cannot write '%s'", path);
	if (fd >= 0)
		close(fd);
	free(text);
	return rc;
}

/*
 * plan and fix name what to do as ACTION TARGET, RULE RESOURCE (the rule's
 * remedy), or one FINDING-ID or RESOURCE (its most severe open finding that
 * an action remedies). Fills action (static) and target (an ARN or a name).
 */
static const char *
remedy_action(enum remedy r)
{
	return act_console_remedy_action((int)r);
}

/*
 * What a finding's fix acts on: its resource, or the resource its location
 * names when the finding sits on a function and the remedy is elsewhere
 * (SHR-EXP-006 "bucket NAME": the public bucket the function reads). One
 * row per location form: its prefix and the ARN it names (partition, name).
 */
static const struct located {
	const char *prefix, *arn_fmt;
} located[] = {
	{ "bucket ", "arn:%.*s:s3:::%s" },
};

static void
finding_target(const struct store_finding *f, char *target, size_t tn)
{
	/* the partition is the finding's resource's: arn:PARTITION:... */
	const char *part = strncmp(f->resource, "arn:", 4) ? "aws:" : f->resource + 4;
	int part_len = (int)strcspn(part, ":");
	size_t i;

	for (i = 0; i < sizeof(located) / sizeof(located[0]); i++) {
		size_t len = strlen(located[i].prefix);

		if (f->location && !strncmp(f->location, located[i].prefix, len) &&
		    f->location[len]) {
			snprintf(target, tn, located[i].arn_fmt, part_len, part, f->location + len);
			return;
		}
	}
	snprintf(target, tn, "%s", f->resource);
}

/*
 * 1 when what (an ARN or a name) names the resource the finding's fix
 * changes: a function alone is not fixed by closing the bucket it reads.
 */
static int
finding_named(const char *target, const char *what)
{
	const char *name = strrchr(target, ':');

	return !strcmp(target, what) || (name && !strcmp(name + 1, what));
}

/*
 * RULE RESOURCE: when the rule's open finding on that resource names where
 * its fix applies (finding_target), target becomes that; else unchanged.
 */
static void
rule_target(struct store *s, const char *rule, const char *what, char *target, size_t tn)
{
	struct store_findings f = { 0 };
	size_t i;

	if (store_findings_list(s, NULL, 0, (int64_t)time(NULL), &f, NULL))
		return;
	for (i = 0; i < f.n; i++) { /* most severe first */
		const char *name = strrchr(f.v[i].resource, ':');

		if (strcmp(f.v[i].rule, rule) || strcmp(f.v[i].status, "open") ||
		    (strcmp(f.v[i].resource, what) && (!name || strcmp(name + 1, what))))
			continue;
		finding_target(&f.v[i], target, tn);
		break;
	}
	store_findings_release(&f);
}

/*
 * The skip-th candidate (0 first) for what pos names; only a resource alone
 * has more than one (its open findings an action remedies, most severe
 * first), tried in turn until a plan builds. ERR_NOTFOUND past the last.
 */
static int
resolve_what(struct store *s, const char *const *pos, int n, int skip, const char **action,
             char *target, size_t tn, struct err *err)
{
	struct store_findings f = { 0 };
	const struct rule *rule;
	size_t i;
	int rc;

	if (n == 2 && skip)
		return err_set(err, ERR_NOTFOUND, "no other candidate");
	if (n == 2 && act_action_find(pos[0])) {
		*action = pos[0];
		snprintf(target, tn, "%s", pos[1]);
		return 0;
	}
	if (n == 2) {
		rule = rule_find(pos[0]);
		if (!rule)
			return err_set(err, ERR_USAGE, "'%s' is neither an action nor a rule",
			               pos[0]);
		*action = remedy_action(rule->remedy);
		if (!*action)
			return err_set(err, ERR_USAGE, "%s is fixed by hand (%s): %s", rule->id,
			               remedy_name(rule->remedy), rule->fix);
		snprintf(target, tn, "%s", pos[1]);
		rule_target(s, rule->id, pos[1], target, tn);
		return 0;
	}
	rc = store_findings_list(s, NULL, 0, (int64_t)time(NULL), &f, err);
	for (i = 0; !rc && i < f.n; i++) { /* most severe first */
		int is_id = !strcmp(f.v[i].id, pos[0]);
		char fix_target[2048];

		finding_target(&f.v[i], fix_target, sizeof(fix_target));
		if (!is_id && !finding_named(fix_target, pos[0]))
			continue;
		rule = rule_find(f.v[i].rule);
		*action = rule ? remedy_action(rule->remedy) : NULL;
		if (*action && (is_id || !strcmp(f.v[i].status, "open")) && (is_id || !skip--)) {
			snprintf(target, tn, "%s", fix_target);
			break;
		}
		if (is_id) {
			rc = err_set(err, ERR_USAGE, "finding %s (%s) is fixed by hand: %s", pos[0],
			             f.v[i].rule, rule ? rule->fix : "");
			break;
		}
	}
	if (!rc && i == f.n)
		rc = err_set(err, ERR_NOTFOUND,
		             "no open finding '%s' an action fixes (shears report lists the ids)",
		             pos[0]);
	store_findings_release(&f);
	return rc;
}

static int
parse_args(int argc, char **argv, const char **pos, int want, int *yes, const char **output,
           int *json, cJSON *with)
{
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		if (with && !strcmp(argv[i], "--with") && i + 1 < argc)
			cJSON_AddTrueToObject(with, argv[++i]);
		else if (yes && !strcmp(argv[i], "--yes"))
			*yes = 1;
		else if (output && !strcmp(argv[i], "--output") && i + 1 < argc)
			*output = argv[++i];
		else if (json && !strcmp(argv[i], "--json"))
			*json = 1;
		else if (argv[i][0] == '-' || n == want || (want < 0 && n == -want))
			return usage_error("unexpected argument '%s'", argv[i]);
		else
			pos[n++] = argv[i];
	}
	if (want < 0 ? (n < 1 || n > -want) : n != want)
		return usage_error("%s: missing arguments (see shears --help)", argv[0]);
	if (want < 0)
		pos[n] = NULL;
	return 0;
}

static int
count_pos(const char *const *pos)
{
	return pos[1] ? 2 : 1;
}

static int
count_args(const char *const *pos)
{
	int n = 0;

	while (pos[n])
		n++;
	return n;
}

/* The plan for what pos names: the first candidate whose plan builds. */
static int
plan_what(const struct cli *cli, struct store *s, const char *const *pos, const cJSON *with,
          cJSON **plan, struct err *err)
{
	struct err first = { 0 };
	const char *action = NULL;
	char target[2048];
	int k, rc;

	for (k = 0;; k++) {
		rc = resolve_what(s, pos, count_pos(pos), k, &action, target, sizeof(target), err);
		if (rc)
			break;
		rc = build_plan(cli, s, action, target, with, plan, err);
		if (!rc || rc != ERR_USAGE)
			return rc;
		if (!k)
			first = *err; /* the best candidate's reason, if none applies */
		err_clear(err);
	}
	if (k && rc == ERR_NOTFOUND) {
		*err = first;
		return first.code;
	}
	return rc;
}

/* err's message with what it was about in front: "'orders-api': no such resource". */
static void
err_about(struct err *err, const char *what)
{
	char msg[sizeof(err->msg)], safe[128];
	size_t len;
	int used;

	snprintf(msg, sizeof(msg), "%s", err->msg);
	used = snprintf(err->msg, sizeof(err->msg),
	                "'%s': ", termsafe_copy(safe, sizeof(safe), what));
	if (used < 0 || (size_t)used >= sizeof(err->msg))
		return;
	/* the message cut to what is left: it says what failed first */
	len = strnlen(msg, sizeof(err->msg) - (size_t)used - 1);
	memcpy(err->msg + used, msg, len);
	err->msg[(size_t)used + len] = '\0';
}

/*
 * What pos (n words, NULL-terminated) names: one plan (WHAT, or ACTION|RULE
 * TARGET), or a batch: ACTION|RULE TARGET TARGET..., or WHAT WHAT... (each
 * a finding id or a resource, each its own action). A target whose plan
 * does not build refuses the whole batch: nothing is asked or changed.
 */
static int
plan_or_batch(const struct cli *cli, struct store *s, const char *const *pos, int n,
              const cJSON *with, cJSON **doc, struct err *err)
{
	int lead = act_action_find(pos[0]) || rule_find(pos[0]), i, rc = 0;
	cJSON *batch = NULL, *plan = NULL;

	*doc = NULL;
	if (n == 1 || (n == 2 && lead))
		return plan_what(cli, s, pos, with, doc, err);
	for (i = lead; i < n && !rc; i++) {
		const char *one[3] = { lead ? pos[0] : pos[i], lead ? pos[i] : NULL, NULL };

		rc = plan_what(cli, s, one, with, &plan, err);
		if (!rc && !batch)
			batch = act_batch_new(json_str(plan, "account"));
		if (!rc)
			rc = act_batch_add_any(batch, plan, err);
		if (rc)
			err_about(err, pos[i]);
	}
	if (rc)
		cJSON_Delete(batch);
	else
		*doc = batch;
	return rc;
}

/* A plan, or each plan of a batch, against the protected resources. */
static int
check_patterns_all(struct store *s, const cJSON *doc, struct err *err)
{
	const cJSON *p;
	int rc = 0;

	if (!act_is_batch(doc))
		return check_patterns(s, doc, err);
	cJSON_ArrayForEach(p, json_path(doc, "plans"))
	{
		rc = check_patterns(s, p, err);
		if (rc) {
			err_about(err, json_str(p, "target.name"));
			break;
		}
	}
	return rc;
}

int
cmd_plan(struct cli *cli, int argc, char **argv)
{
	const char *pos[POS_MAX + 1], *output = NULL;
	struct err err = { 0 };
	struct store *s = NULL;
	cJSON *plan = NULL, *with = cJSON_CreateObject();
	char text[16384];
	int rc = parse_args(argc, argv, pos, -POS_MAX, NULL, &output, NULL, with);

	if (rc) {
		cJSON_Delete(with);
		return rc;
	}
	rc = cli_store(cli, STORE_READONLY, &s, &err);
	if (!rc)
		rc = plan_or_batch(cli, s, pos, count_args(pos), with, &plan, &err);
	if (!rc)
		rc = check_patterns_all(s, plan, &err);
	if (!rc && output)
		rc = write_plan(plan, output, &err);
	if (!rc && act_is_batch(plan)) {
		print_batch(plan);
		if (output)
			printf("written to %s (run it with 'shears apply %s')\n", output, output);
	} else if (!rc) {
		act_plan_describe(plan, text, sizeof(text));
		fputs(text, stdout);
		if (output)
			printf("written to %s (run it with 'shears apply %s')\n", output, output);
	}
	cJSON_Delete(plan);
	cJSON_Delete(with);
	store_close(s);
	if (rc)
		print_err(&err);
	return rc ? EXIT_FAIL : 0;
}

/* fix, apply and undo end alike: the error, or the plan run; then the session closed. */
static int
run_and_close(const struct cli *cli, struct act_session *ss, cJSON *plan, int rc,
              const struct err *err)
{
	if (rc)
		print_err(err);
	else if (act_is_batch(plan))
		rc = run_batch(cli, ss, plan);
	else
		rc = run_plan(cli, ss, plan);
	cJSON_Delete(plan);
	session_close(ss);
	return rc ? EXIT_FAIL : 0;
}

int
cli_act_run_built(struct cli *cli, const char *cmd, int yes, cli_plan_builder *build,
                  const void *ctx)
{
	struct act_session ss = { .yes = yes };
	struct err err = { 0 };
	cJSON *plan = NULL;
	int rc = refuse_read_only(cli, cmd);

	if (rc)
		return rc;
	rc = session_open(cli, &ss, &err);
	if (!rc)
		rc = build(ss.client, ctx, &plan, &err);
	return run_and_close(cli, &ss, plan, rc, &err);
}

int
cmd_fix(struct cli *cli, int argc, char **argv)
{
	struct act_session ss = { 0 };
	const char *pos[POS_MAX + 1];
	struct err err = { 0 };
	cJSON *plan = NULL, *with = cJSON_CreateObject();
	int rc = parse_args(argc, argv, pos, -POS_MAX, &ss.yes, NULL, NULL, with);

	if (!rc)
		rc = refuse_read_only(cli, "fix");
	if (rc) {
		cJSON_Delete(with);
		return rc;
	}
	rc = session_open(cli, &ss, &err);
	if (!rc)
		rc = plan_or_batch(cli, ss.store, pos, count_args(pos), with, &plan, &err);
	cJSON_Delete(with);
	return run_and_close(cli, &ss, plan, rc, &err);
}

int
cmd_apply(struct cli *cli, int argc, char **argv)
{
	struct act_session ss = { 0 };
	const char *pos[1];
	struct err err = { 0 };
	cJSON *plan = NULL;
	int rc = parse_args(argc, argv, pos, 1, &ss.yes, NULL, NULL, NULL);

	if (rc || (rc = refuse_read_only(cli, "apply")))
		return rc;
	/* the plan file is read as a backup is: whole, bounded, then validated */
	rc = act_backup_read(pos[0], &plan, &err);
	if (!rc)
		rc = act_is_batch(plan) ? act_batch_validate(plan, &err)
		                        : act_plan_validate(plan, &err);
	if (!rc)
		rc = session_open(cli, &ss, &err);
	return run_and_close(cli, &ss, plan, rc, &err);
}

static int
newest_first(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x < y) - (x > y);
}

/*
 * Several ids: one batch of their undo plans, the newest change undone
 * first (a prune's role comes back before the function that runs as it);
 * one that cannot be undone refuses them all.
 */
static int
undo_batch(struct store *s, const char *const *pos, int n, cJSON **out, struct err *err)
{
	cJSON *batch = NULL, *plan = NULL;
	int ids[POS_MAX], i, rc = 0;
	char what[16];

	for (i = 0; i < n; i++)
		parse_int(pos[i], 1, 2000000000, &ids[i]);
	qsort(ids, (size_t)n, sizeof(ids[0]), newest_first);
	for (i = 0; i < n && !rc; i++) {
		rc = act_undo_plan(s, ids[i], &plan, err);
		if (!rc && !batch)
			batch = act_batch_new(json_str(plan, "account"));
		if (!rc)
			rc = act_batch_add(batch, plan, err);
		snprintf(what, sizeof(what), "%d", ids[i]);
		if (rc)
			err_about(err, what);
	}
	if (rc)
		cJSON_Delete(batch);
	else
		*out = batch;
	return rc;
}

int
cmd_undo(struct cli *cli, int argc, char **argv)
{
	struct act_session ss = { 0 };
	const char *pos[POS_MAX + 1];
	struct err err = { 0 };
	cJSON *plan = NULL;
	int id = 0, i, n;
	int rc = parse_args(argc, argv, pos, -POS_MAX, &ss.yes, NULL, NULL, NULL);

	if (rc || (rc = refuse_read_only(cli, "undo")))
		return rc;
	n = count_args(pos);
	for (i = 0; i < n; i++)
		if (parse_int(pos[i], 1, 2000000000, &id))
			return usage_error("undo: give action ids from 'shears journal', not '%s'",
			                   pos[i]);
	rc = session_open(cli, &ss, &err);
	if (!rc && n == 1)
		rc = act_undo_plan(ss.store, id, &plan, &err);
	if (!rc && n > 1)
		rc = undo_batch(ss.store, pos, n, &plan, &err);
	return run_and_close(cli, &ss, plan, rc, &err);
}

static cJSON *
action_json(struct store *s, const struct store_action *a)
{
	struct store_action_step *steps = NULL;
	cJSON *o = cJSON_CreateObject(), *arr;
	size_t n = 0, i;

	cJSON_AddNumberToObject(o, "id", (double)a->id);
	cJSON_AddStringToObject(o, "action", a->action);
	cJSON_AddStringToObject(o, "target", a->target);
	cJSON_AddStringToObject(o, "account", a->account);
	cJSON_AddStringToObject(o, "region", a->region);
	cJSON_AddStringToObject(o, "state", a->state);
	cJSON_AddStringToObject(o, "local_user", a->local_user);
	cJSON_AddStringToObject(o, "caller", a->caller);
	cJSON_AddStringToObject(o, "backup", a->backup);
	cJSON_AddStringToObject(o, "error", a->error);
	if (a->undo_of)
		cJSON_AddNumberToObject(o, "undo_of", (double)a->undo_of);
	cJSON_AddItemToObject(o, "plan", cJSON_Parse(a->plan));
	if (a->result[0])
		cJSON_AddItemToObject(o, "result", cJSON_Parse(a->result));
	arr = cJSON_AddArrayToObject(o, "steps");
	store_action_steps(s, a->id, &steps, &n, NULL);
	for (i = 0; i < n; i++) {
		cJSON *st = cJSON_CreateObject();

		cJSON_AddNumberToObject(st, "at", (double)steps[i].at);
		cJSON_AddStringToObject(st, "state", steps[i].state);
		cJSON_AddStringToObject(st, "detail", steps[i].detail);
		cJSON_AddItemToArray(arr, st);
	}
	store_steps_free(steps, n);
	return o;
}

static void
print_action(const struct store_action *a)
{
	char when[32], target[256], state[32], user[64], err[512];
	const char *name = strrchr(a->target, ':');
	time_t t = (time_t)a->updated;
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", gmtime_r(&t, &tm));
	termsafe_copy(target, sizeof(target), name ? name + 1 : a->target);
	termsafe_copy(state, sizeof(state), a->state);
	termsafe_copy(user, sizeof(user), a->local_user[0] ? a->local_user : "-");
	printf("%-5lld %s  %-16s %-28s %-12s %s", (long long)a->id, when, a->action, target, state,
	       user);
	if (a->undo_of)
		printf("  undo of %lld", (long long)a->undo_of);
	if (a->error[0])
		printf("  %s", termsafe_copy(err, sizeof(err), a->error));
	printf("\n");
}

/* Settles unfinished entries when the account can be reached; the listing goes on if not. */
static void
journal_reconcile(const struct cli *cli, struct store *s)
{
	struct act_session ss = { .store = s };
	struct err err = { 0 };

	if (act_unfinished(s, &err) <= 0)
		return;
	if (cli_connect(cli, &ss.chain, &ss.client, &err)) {
		fputs("shears: unfinished journal entries stay unreconciled (cannot reach the "
		      "account):\n",
		      stderr);
		print_err(&err);
		return;
	}
	print_reconciled(&ss, &err);
	aws_client_free(ss.client);
	aws_creds_chain_free(ss.chain);
}

int
cmd_journal(struct cli *cli, int argc, char **argv)
{
	struct store_actions all = { 0 };
	struct err err = { 0 };
	struct store *s = NULL;
	int json = 0, rc = parse_args(argc, argv, NULL, 0, NULL, NULL, &json, NULL);
	size_t i;

	if (rc)
		return rc;
	rc = cli_store(cli, 0, &s, &err);
	if (!rc) {
		journal_reconcile(cli, s);
		rc = store_actions_list(s, NULL, &all, &err);
	}
	if (!rc && json) {
		cJSON *arr = cJSON_CreateArray();
		char *text;

		for (i = 0; i < all.n; i++)
			cJSON_AddItemToArray(arr, action_json(s, &all.v[i]));
		text = cJSON_Print(arr);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(arr);
	} else if (!rc) {
		printf("%-5s %-19s  %-16s %-28s %-12s %s\n", "ID", "UPDATED (UTC)", "ACTION",
		       "TARGET", "STATE", "BY");
		for (i = 0; i < all.n; i++)
			print_action(&all.v[i]);
	}
	store_actions_release(&all);
	store_close(s);
	if (rc)
		print_err(&err);
	return rc ? EXIT_FAIL : 0;
}
