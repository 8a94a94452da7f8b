/*
 * The console's remediation session (cli/console_act.h): the same checks
 * and the same protocol as `shears fix` (cli/cmd_act.c), without a prompt
 * on stdin and without printing: the console draws, this file reports in
 * strings and struct err.
 */
#include "cli/console_act.h"

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
#include "store/query.h"
#include "util/json.h"
#include "util/termsafe.h"
#include "util/xmalloc.h"

struct act_console {
	const struct cli *cli;
	int config_read; /* cfg (or cfg_err) holds the config file */
	struct shears_config cfg;
	struct err cfg_err;
	struct aws_creds_chain *chain; /* NULL until the first run */
	struct aws_client *client;
	struct aws_caller_identity id;
	size_t reconciled; /* unfinished journal entries settled at the connection, not yet told */
};

struct act_console *
act_console_new(const struct cli *cli)
{
	struct act_console *c = xcalloc(1, sizeof(*c));

	c->cli = cli;
	return c;
}

void
act_console_free(struct act_console *c)
{
	if (!c)
		return;
	aws_client_free(c->client);
	aws_creds_chain_free(c->chain);
	if (c->config_read && !c->cfg_err.code)
		config_release(&c->cfg);
	free(c);
}

/* The config, read once: its thresholds, protection and read_only. */
static const struct shears_config *
config(struct act_console *c, struct err *err)
{
	if (!c->config_read) {
		c->config_read = 1;
		config_load(&c->cfg, NULL, &c->cfg_err);
	}
	if (c->cfg_err.code) {
		*err = c->cfg_err;
		return NULL;
	}
	return &c->cfg;
}

int
act_console_read_only(struct act_console *c, char *why, size_t n)
{
	struct err err = { 0 };
	const struct shears_config *cfg;

	if (c->cli->read_only) {
		snprintf(why, n, "--read-only");
		return 1;
	}
	cfg = config(c, &err);
	if (!cfg) {
		snprintf(why, n, "the config cannot be read: %s", err.msg);
		return 1;
	}
	if (cfg->read_only) {
		snprintf(why, n, "read_only in the config");
		return 1;
	}
	return 0;
}

size_t
act_console_choices(int kind, struct act_choice *out, size_t max)
{
	size_t n_all, i, n = 0;
	const struct act_action *all = act_action_all(&n_all);

	for (i = 0; i < n_all && n < max; i++) {
		const char *const *opt = all[i].options;

		if ((int)all[i].applies_to != kind)
			continue;
		out[n] = (struct act_choice){ all[i].name, all[i].summary,
			                      !!(all[i].flags & ACT_DESTRUCTIVE), NULL };
		n++;
		/* an option is a choice of its own: prune, and prune with its orphans */
		for (; opt && *opt && n < max; opt++, n++)
			out[n] = (struct act_choice){ all[i].name, *opt,
				                      !!(all[i].flags & ACT_DESTRUCTIVE), *opt };
	}
	return n;
}

/* The target's tags as the cache holds them (for "tag:" protection patterns); caller deletes. */
static cJSON *
target_tags(struct store *s, const char *arn)
{
	struct store_resource r = { 0 };
	cJSON *attrs, *tags;

	if (store_resource_get(s, arn, &r, NULL))
		return NULL;
	attrs = cJSON_Parse(r.r.attrs);
	tags = cJSON_DetachItemFromObjectCaseSensitive(attrs, "Tags");
	cJSON_Delete(attrs);
	store_resource_release(&r);
	return tags;
}

int
cli_act_check_protected(const struct shears_config *cfg, struct store *s, const cJSON *plan,
                        const char *const *aliases, long n_aliases, int with_account,
                        struct err *err)
{
	struct act_protect p = { 0 };
	char why[512];
	int prot;

	p.patterns = (const char *const *)cfg->protect;
	p.n_patterns = cfg->n_protect;
	if (with_account) {
		p.allow = (const char *const *)cfg->allow_accounts;
		p.n_allow = cfg->n_allow_accounts;
	}
	p.tags = target_tags(s, json_str(plan, "target.arn"));
	prot = act_protected(&p, with_account ? json_str(plan, "account") : NULL, aliases,
	                     with_account ? n_aliases : 0, json_str(plan, "target.arn"),
	                     json_str(plan, "target.name"), why, sizeof(why));
	cJSON_Delete((cJSON *)p.tags);
	if (prot)
		return err_set(err, ERR_USAGE, "refused: %s ([act] in shears-config(5))", why);
	return 0;
}

int
act_console_plan(struct act_console *c, struct store *s, const struct act_choice *choice,
                 const char *arn, cJSON **plan, char *text, size_t n, struct err *err)
{
	const struct act_action *a = act_action_find(choice->name);
	const struct shears_config *cfg = config(c, err);
	struct act_plan_ctx ctx = { .store = s };
	struct store_overview ov;
	cJSON *with = NULL;
	int rc;

	*plan = NULL;
	if (!cfg)
		return err->code;
	if (!a)
		return err_set(err, ERR_USAGE, "no action '%s'", choice->name);
	ctx.opts = &cfg->analyze;
	rc = store_overview_load(s, &ov, err);
	if (rc)
		return rc;
	ctx.today = ov.has_scan ? (time_t)ov.finished : time(NULL);
	store_overview_release(&ov);
	if (choice->option) {
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(choice->option, ":"),
		         choice->option);
		with = cJSON_CreateObject();
		cJSON_AddTrueToObject(with, name);
		ctx.options = with;
	}
	rc = act_plan_build(&ctx, a, arn, plan, err);
	if (!rc)
		rc = cli_act_check_protected(cfg, s, *plan, NULL, 0, 0, err);
	/* prune with its orphans: a batch of the prune and what it leaves */
	if (!rc && act_option(&ctx, "orphans")) {
		cJSON *one = *plan;

		*plan = NULL;
		rc = act_prune_with_orphans(&ctx, one, plan, err);
	}
	cJSON_Delete(with);
	if (rc) {
		cJSON_Delete(*plan);
		*plan = NULL;
		return rc;
	}
	if (act_is_batch(*plan))
		act_batch_describe(*plan, text, n);
	else
		act_plan_describe(*plan, text, n);
	return 0;
}

int
act_console_undo_plan(struct store *s, int64_t id, cJSON **plan, char *text, size_t n,
                      struct err *err)
{
	int rc = act_undo_plan(s, id, plan, err);

	if (!rc)
		act_plan_describe(*plan, text, n);
	return rc;
}

const char *
act_console_confirm_word(const cJSON *plan)
{
	return act_confirm_word(plan);
}

/* Credentials, caller identity and the settling of what a crash left, once a session. */
static int
session_connect(struct act_console *c, struct store *s, struct err *err)
{
	size_t n = 0;
	int rc;

	if (c->client)
		return 0;
	rc = cli_connect(c->cli, &c->chain, &c->client, err);
	if (!rc)
		rc = aws_sts_get_caller_identity(c->client, &c->id, err);
	if (rc) {
		aws_client_free(c->client);
		aws_creds_chain_free(c->chain);
		c->client = NULL;
		c->chain = NULL;
		return rc;
	}
	/* as every command that reaches the account does; a failure leaves them for later */
	if (act_unfinished(s, err) > 0)
		act_reconcile(s, c->client, &n, err);
	c->reconciled = n;
	err_clear(err);
	return 0;
}

/* The reviewer confirmed in the console's dialog before the run began. */
static int
confirmed(void *ctx, const cJSON *plan, const char *word)
{
	(void)ctx;
	(void)plan;
	(void)word;
	return 1;
}

static const char *
local_user(void)
{
	const struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name ? pw->pw_name : "";
}

/* Region and account checks that need the connection. */
static int
check_account(struct act_console *c, struct store *s, const cJSON *plan, struct err *err)
{
	const struct shears_config *cfg = config(c, err);
	struct err alias_err = { 0 };
	char **aliases = NULL;
	long n_aliases = -1;
	int rc;

	if (!cfg)
		return err->code;
	rc = act_plan_validate(plan, err);
	if (!rc && c->cli->n_regions && strcmp(c->cli->regions[0], json_str(plan, "region")))
		rc = err_set(err, ERR_USAGE, "the plan is for region %s, not %s",
		             json_str(plan, "region"), c->cli->regions[0]);
	if (rc)
		return rc;
	act_account_aliases(c->client, &aliases, &n_aliases, &alias_err);
	rc = cli_act_check_protected(cfg, s, plan, (const char *const *)aliases, n_aliases, 1, err);
	act_aliases_free(aliases, n_aliases);
	return rc;
}

int
act_console_run(struct act_console *c, struct store *s, const cJSON *plan, char *summary, size_t n,
                struct err *err)
{
	struct act_env env = { .store = s, .confirm = confirmed };
	struct act_result res = { 0 };
	char why[256], line[1536];
	int rc;

	if (act_console_read_only(c, why, sizeof(why)))
		rc = err_set(err, ERR_USAGE, "refused under %s (nothing was changed)", why);
	else
		rc = session_connect(c, s, err);
	if (!rc)
		rc = check_account(c, s, plan, err);
	if (!rc) {
		env.client = c->client;
		env.account = c->id.account;
		env.caller = c->id.arn;
		env.local_user = local_user();
		rc = act_run(&env, plan, &res, err);
	}
	if (res.id)
		snprintf(line, sizeof(line), "action %lld: %s%s%.1000s", (long long)res.id,
		         res.state, res.detail[0] ? " - " : "", res.detail);
	else
		err_format(err, line, sizeof(line));
	if (c->reconciled) { /* said once: what a crash left was settled by reading the target */
		size_t len = strlen(line);

		snprintf(line + len, sizeof(line) - len,
		         " (and %zu unfinished journal entries reconciled)", c->reconciled);
		c->reconciled = 0;
	}
	termsafe_copy(summary, n, line);
	return rc;
}

/* A rule's remedy and the action that carries it out, one row each. */
static const struct {
	enum remedy remedy;
	const char *action;
} remedy_actions[] = {
	{ REMEDY_QUARANTINE, "quarantine" }, /* prune's reversible first step */
	{ REMEDY_PRUNE, "prune" },
	{ REMEDY_SHORTEN_TIMEOUT, "shorten-timeout" },
	{ REMEDY_CLOSE_PUBLIC, "close-public" },
	{ REMEDY_TIGHTEN_ROLE, "tighten-role" },
	{ REMEDY_PRUNE_ROLE, "prune-role" },
	{ REMEDY_PRUNE_LOG_GROUP, "prune-log-group" },
	{ REMEDY_PRUNE_LAYER_VERSION, "prune-layer-version" },
};

const char *
act_console_remedy_action(int remedy)
{
	size_t i;

	for (i = 0; i < sizeof(remedy_actions) / sizeof(remedy_actions[0]); i++)
		if ((int)remedy_actions[i].remedy == remedy)
			return act_action_find(remedy_actions[i].action) ? remedy_actions[i].action
			                                                 : NULL;
	return NULL;
}

int
act_console_batch_words(struct act_console *c, struct store *s, const cJSON *batch, char *word,
                        size_t wn, char *alt, size_t an, struct err *err)
{
	struct act_batch_ask ask;
	struct err alias_err = { 0 };
	char **aliases = NULL;
	long n_aliases = -1;
	int rc = session_connect(c, s, err);

	if (rc)
		return rc;
	act_account_aliases(c->client, &aliases, &n_aliases, &alias_err);
	act_batch_ask_init(&ask, batch, (const char *const *)aliases, n_aliases);
	snprintf(word, wn, "%s", act_batch_ask_word(&ask));
	snprintf(alt, an, "%s", ask.alias ? ask.account : "");
	act_aliases_free(aliases, n_aliases);
	return 0;
}

/* The dialog asked: every plan of the batch goes. */
static int
batch_confirmed(void *ctx, const struct act_batch_ask *ask)
{
	(void)ctx;
	(void)ask;
	return 1;
}

struct batch_check_ctx {
	struct act_console *c;
	struct store *s;
};

static int
batch_check(void *ctx, const cJSON *plan, struct err *err)
{
	struct batch_check_ctx *bc = ctx;

	return check_account(bc->c, bc->s, plan, err);
}

/* One line per plan: its summary, then its journal entry's state or why it did not run. */
static void
batch_lines(const struct act_batch_result *r, char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < r->n && len < n; i++) {
		const struct act_batch_item *it = &r->v[i];
		char line[2048], safe[2048];

		/* a verified plan's read back is in the journal: a failure's reason is shown */
		if (it->res.id && !it->rc)
			snprintf(line, sizeof(line), "%zu. %s, action %lld: %s", i + 1,
			         it->res.state, (long long)it->res.id, it->summary);
		else if (it->res.id)
			snprintf(line, sizeof(line), "%zu. %s, action %lld: %s - %.300s", i + 1,
			         it->res.state, (long long)it->res.id, it->summary,
			         it->res.detail[0] ? it->res.detail : it->err.msg);
		else
			snprintf(line, sizeof(line), "%zu. not run: %s - %s", i + 1, it->summary,
			         it->err.msg);
		termsafe_copy(safe, sizeof(safe), line);
		len += (size_t)snprintf(out + len, n - len, "%s\n", safe);
	}
}

int
act_console_run_batch(struct act_console *c, struct store *s, const cJSON *batch, char *summary,
                      size_t n, char *lines, size_t ln, struct err *err)
{
	struct act_env env = { .store = s };
	struct batch_check_ctx bc = { c, s };
	struct act_batch_env benv = {
		.env = &env, .confirm = batch_confirmed, .check = batch_check, .check_ctx = &bc
	};
	struct act_batch_result res = { 0 };
	char why[256];
	int rc;

	lines[0] = '\0';
	if (act_console_read_only(c, why, sizeof(why)))
		rc = err_set(err, ERR_USAGE, "refused under %s (nothing was changed)", why);
	else
		rc = session_connect(c, s, err);
	if (!rc) {
		env.client = c->client;
		env.account = c->id.account;
		env.caller = c->id.arn;
		env.local_user = local_user();
		rc = act_batch_run(&benv, batch, &res, err);
	}
	if (res.n) {
		snprintf(summary, n, "batch of %zu: %zu verified, %zu failed, %zu skipped", res.n,
		         res.n_verified, res.n_failed, res.n_skipped);
		batch_lines(&res, lines, ln);
	} else {
		err_format(err, why, sizeof(why));
		termsafe_copy(summary, n, why);
	}
	act_batch_result_release(&res);
	return rc;
}
