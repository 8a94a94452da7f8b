/*
 * shears: argument parsing and subcommand dispatch only. Each command
 * returns an exit status; errors are printed here, once, terminal-safe.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/secrets.h"
#include "aws/creds.h"
#include "aws/sts.h"
#include "aws/transport.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/console_act.h"
#include "collect/scan.h"
#include "store/advisory.h"
#include "store/query.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/err.h"
#include "util/log.h"
#include "util/termsafe.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *help;
};

static int cmd_whoami(struct cli *cli, int argc, char **argv);
static int cmd_scan(struct cli *cli, int argc, char **argv);
static int cmd_ls(struct cli *cli, int argc, char **argv);
static int cmd_iam_policy(struct cli *cli, int argc, char **argv);
static int cmd_advisories(struct cli *cli, int argc, char **argv);

static const struct command commands[] = {
	{ "whoami", cmd_whoami, "show the account and identity the credentials belong to" },
	{ "scan", cmd_scan,
	  "read the account into the cache [--region R ...|--all-regions] [--quick] [--json]" },
	{ "ls", cmd_ls,
	  "list a kind from the cache: functions, roles, apis, buckets, tables,\n"
	  "                  queues, topics, rules, log-groups, edges [--region R] [--json]" },
	{ "iam-policy", cmd_iam_policy, "print the read-only IAM policy a scan needs" },
	{ "rules", cmd_rules, "list the rules shears checks [--family F] [--json] [--man]" },
	{ "analyze", cmd_analyze, "run the risk checks over the cache again [--json]" },
	{ "check", cmd_check,
	  "CI gate on a package, folder or policy (no AWS): PATH [--fail-on SEV]\n"
	  "                  [--format text|json|csv|md|sarif] [--output F] [--advisories OSV]" },
	{ "report", cmd_report,
	  "write the cache's findings: --format json|csv|md|sarif [--output FILE] [--all]" },
	{ "reviewed", cmd_reviewed,
	  "mark a function's current code reviewed (a later change is a finding)" },
	{ "accept", cmd_accept,
	  "accept a finding: RULE RESOURCE --reason TEXT [--until YYYY-MM-DD]\n"
	  "                  (--remove RULE RESOURCE takes an acceptance back)" },
	{ "plan", cmd_plan,
	  "the plan of an action, a dry run: ACTION TARGET | RULE RESOURCE | FINDING-ID |\n"
	  "                  RESOURCE [--output plan.json] [--with OPTION]... (actions:\n"
	  "                  quarantine, shorten-timeout [--with alarm], close-public (a\n"
	  "                  function, queue, topic or bucket), tighten-role, split-role,\n"
	  "                  prune [--with orphans], prune-role, prune-log-group,\n"
	  "                  prune-layer-version);\n"
	  "                  several targets make one batch: ACTION TARGET TARGET..." },
	{ "fix", cmd_fix, "plan, show, confirm and apply an action: as plan [--yes]" },
	{ "apply", cmd_apply,
	  "apply a plan or batch written by 'plan --output': PLAN.json [--yes]" },
	{ "undo", cmd_undo, "undo journaled actions from their backups: ACTION-ID... [--yes]" },
	{ "journal", cmd_journal, "list the actions taken, every step timed [--json]" },
	{ "restore", cmd_restore,
	  "recreate a pruned function from its backup, no cache needed: BACKUP.json [--yes]" },
	{ "advisories", cmd_advisories,
	  "show the OSV advisories in the cache per ecosystem;\n"
	  "                  'advisories import FILE.zip|DIR' adds an OSV export" },
};

static const char options_text[] =
        "global options:\n"
        "  --profile P         use profile P from the shared AWS files\n"
        "  --region R          region to use (repeatable)\n"
        "  --endpoint-url U    send every request to U (LocalStack, a simulated account)\n"
        "  --max-in-flight N   at most N requests on the wire at once (default 16)\n"
        "  --cache FILE        the inventory cache (default $XDG_CACHE_HOME/shears/cache.db)\n"
        "  --read-only         remove every action that would change the account\n"
        "  --log FILE          write a debug log (secrets redacted) to FILE\n"
        "  -h, --help          show this help\n"
        "  -V, --version       show the version\n";

static void
usage(FILE *out)
{
	size_t i;

	fputs("usage: shears [global options] [command [options]]\n\n"
	      "A terminal console for serverless security review. With no command,\n"
	      "shears opens the console on the cache.\n\ncommands:\n",
	      out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-16s%s\n", commands[i].name, commands[i].help);
	fputs("\nscan exits 0 when everything was read, 3 when some part could not be (the rest\n"
	      "is written and the gaps listed), 130 when interrupted (the cache keeps the\n"
	      "previous scan).\n\n",
	      out);
	fputs(options_text, out);
	fputs("\nSee shears(1) for credentials, endpoints and exit codes.\n", out);
}

enum {
	OPT_PROFILE = 256,
	OPT_REGION,
	OPT_ENDPOINT,
	OPT_INFLIGHT,
	OPT_LOG,
	OPT_CACHE,
	OPT_READ_ONLY
};

static int
parse_global(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "endpoint-url", required_argument, NULL, OPT_ENDPOINT },
		{ "max-in-flight", required_argument, NULL, OPT_INFLIGHT },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "read-only", no_argument, NULL, OPT_READ_ONLY },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("shears %s\n", SHEARS_VERSION);
			exit(0);
		case OPT_PROFILE:
			cli->profile = optarg;
			break;
		case OPT_REGION:
			if (cli->n_regions == MAX_REGIONS)
				return usage_error("too many --region options%s", "");
			cli->regions[cli->n_regions++] = optarg;
			break;
		case OPT_ENDPOINT:
			cli->endpoint_url = optarg;
			break;
		case OPT_INFLIGHT:
			if (parse_int(optarg, 1, 256, &cli->max_in_flight))
				return usage_error("--max-in-flight wants 1 to 256, not '%s'",
				                   optarg);
			break;
		case OPT_LOG:
			cli->log_path = optarg;
			break;
		case OPT_CACHE:
			cli->cache_path = optarg;
			break;
		case OPT_READ_ONLY:
			cli->read_only = 1;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

static int
cmd_whoami(struct cli *cli, int argc, char **argv)
{
	struct aws_caller_identity id = { 0 };
	struct aws_creds_chain *chain = NULL;
	struct aws_client *client = NULL;
	struct err err = { 0 };
	char safe[4096];
	int rc;

	if (argc > 1)
		return usage_error("whoami takes no arguments, not '%s'", argv[1]);
	rc = cli_connect(cli, &chain, &client, &err);
	if (!rc)
		rc = aws_sts_get_caller_identity(client, &id, &err);
	if (!rc) {
		printf("account  %s\n", termsafe_copy(safe, sizeof(safe), id.account));
		printf("arn      %s\n", termsafe_copy(safe, sizeof(safe), id.arn));
		printf("user id  %s\n", termsafe_copy(safe, sizeof(safe), id.user_id));
	} else {
		print_err(&err);
	}
	aws_client_free(client);
	aws_creds_chain_free(chain);
	return rc ? EXIT_FAIL : 0;
}

static volatile sig_atomic_t scan_cancel;
static struct aws_client *scan_client;

/* SIGINT: stop the scan; aws_client_cancel() only stores a flag and wakes the poll. */
static void
on_sigint(int sig)
{
	(void)sig;
	scan_cancel = 1;
	if (scan_client)
		aws_client_cancel(scan_client);
}

/* One updating stderr line while a scan runs on a terminal. */
static void
scan_progress(const struct collect_progress *p, void *ctx)
{
	char line[256], safe[256];
	size_t other = p->resources - p->counts[MODEL_FUNCTION] - p->counts[MODEL_ROLE];

	(void)ctx;
	snprintf(line, sizeof(line),
	         "scan: %s | %zu functions, %zu roles, %zu other | calls %lu/%lu | %.1fs", p->what,
	         p->counts[MODEL_FUNCTION], p->counts[MODEL_ROLE], other, p->calls_done,
	         p->calls_submitted, p->elapsed_s);
	fprintf(stderr, "\r\033[K%.100s", termsafe_copy(safe, sizeof(safe), line));
	fflush(stderr);
}

static void
print_counts(const cJSON *sum)
{
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(sum, "counts"), *c, *svc, *op;
	const cJSON *calls = cJSON_GetObjectItemCaseSensitive(sum, "calls");
	char safe[1024];

	cJSON_ArrayForEach(c, counts)
	{
		printf("  %-14s %6.0f\n", c->string, c->valuedouble);
	}
	printf("calls: %.0f (%.0f retries, %.0f throttled)\n",
	       cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sum, "calls_total")),
	       cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sum, "retries")),
	       cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sum, "throttled")));
	cJSON_ArrayForEach(svc, calls)
	{
		cJSON_ArrayForEach(op, svc)
		{
			char name[128];

			snprintf(name, sizeof(name), "%s %s", svc->string, op->string);
			printf("  %-44s %6.0f\n", termsafe_copy(safe, sizeof(safe), name),
			       op->valuedouble);
		}
	}
}

static void
print_scan(const char *summary)
{
	cJSON *sum = cJSON_Parse(summary);
	const cJSON *gaps, *g;
	const char *account;
	char safe[2048];

	if (!sum)
		return;
	account = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sum, "account"));
	printf("scanned account %s in %.1f s: %s\n",
	       termsafe_copy(safe, sizeof(safe), account ? account : ""),
	       cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(sum, "elapsed_s")),
	       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sum, "complete")) ? "complete"
	                                                                       : "INCOMPLETE");
	print_counts(sum);
	gaps = cJSON_GetObjectItemCaseSensitive(sum, "incomplete");
	if (cJSON_GetArraySize(gaps))
		printf("incomplete (not read, the cache keeps what it had):\n");
	cJSON_ArrayForEach(g, gaps)
	{
		char line[2048];

		snprintf(line, sizeof(line), "%s %s %s: %s",
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "service")),
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "region")),
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "operation")),
		         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "error")));
		printf("  %s\n", termsafe_copy(safe, sizeof(safe), line));
	}
	cJSON_Delete(sum);
}

enum { OPT_SCAN_REGION = 300, OPT_ALL_REGIONS, OPT_QUICK, OPT_JSON };

static int
parse_scan(struct cli *cli, int argc, char **argv, struct collect_opts *o, int *json)
{
	static const struct option longopts[] = {
		{ "region", required_argument, NULL, OPT_SCAN_REGION },
		{ "all-regions", no_argument, NULL, OPT_ALL_REGIONS },
		{ "quick", no_argument, NULL, OPT_QUICK },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	for (i = 0; i < cli->n_regions; i++)
		o->regions[o->n_regions++] = cli->regions[i];
	optind = 0; /* GNU getopt: 0 re-initialises its state for a new argv */
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SCAN_REGION:
			if (o->n_regions == COLLECT_MAX_REGIONS)
				return usage_error("too many --region options%s", "");
			o->regions[o->n_regions++] = optarg;
			break;
		case OPT_ALL_REGIONS:
			o->all_regions = 1;
			break;
		case OPT_QUICK:
			o->quick = 1;
			break;
		case OPT_JSON:
			*json = 1;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown scan option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("scan takes no arguments, not '%s'", argv[optind]);
	if (o->all_regions && o->n_regions)
		return usage_error("--all-regions and --region do not go together%s", "");
	return 0;
}

/* The scan's JSON summary, with the analysis's "findings" when there is one. */
static void
print_scan_json(const char *summary, const struct analyze_summary *sum)
{
	cJSON *o = cJSON_Parse(summary);
	char *text;

	if (!o) {
		printf("%s\n", summary);
		return;
	}
	if (sum)
		cJSON_AddItemToObject(o, "findings", cli_findings_json(sum));
	text = cJSON_PrintUnformatted(o);
	printf("%s\n", text ? text : summary);
	free(text);
	cJSON_Delete(o);
}

static int
cmd_scan(struct cli *cli, int argc, char **argv)
{
	struct collect_opts o = { 0 };
	struct collect_result res = { 0 };
	struct aws_creds_chain *chain = NULL;
	struct aws_client *client = NULL;
	struct store *store = NULL;
	struct sigaction sa = { 0 }, old;
	struct err err = { 0 };
	struct analyze_summary sum = { 0 };
	struct shears_config cfg = { 0 };
	struct secrets_opts so;
	struct err aerr = { 0 };
	char region[64];
	int json = 0, rc, arc = 0;

	rc = parse_scan(cli, argc, argv, &o, &json);
	if (rc)
		return rc;
	/* the config's secret thresholds and exclusions apply to code read by the scan */
	rc = config_load(&cfg, NULL, &err);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	config_secrets(&cfg, &so);
	rc = cli_region(cli, region, sizeof(region), &err);
	if (!rc)
		rc = cli_store(cli, 0, &store, &err);
	if (!rc)
		rc = cli_connect(cli, &chain, &client, &err);
	if (rc) {
		print_err(&err);
		store_close(store);
		return EXIT_FAIL;
	}
	o.default_region = region;
	o.cancel = &scan_cancel;
	o.secrets = &so;
	scan_client = client;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	rc = collect_run(&o, client, store, !json && isatty(2) ? scan_progress : NULL, &res, &err);
	sigaction(SIGINT, &old, NULL);
	scan_client = NULL;
	if (!json && isatty(2))
		fputs("\r\033[K", stderr);
	if (!rc) /* the scan is written: the findings follow it */
		arc = cli_analyze(store, &sum, &aerr);
	if (json && res.summary)
		print_scan_json(res.summary, rc || arc ? NULL : &sum);
	else if (!rc)
		print_scan(res.summary);
	if (!rc && !json && !arc)
		cli_print_findings(&sum);
	if (rc)
		print_err(&err);
	else if (arc)
		print_err(&aerr);
	rc = rc == ERR_CANCELLED ? EXIT_CANCELLED
	     : rc || arc         ? EXIT_FAIL
	     : res.complete      ? 0
	                         : EXIT_INCOMPLETE;
	collect_result_release(&res);
	config_release(&cfg);
	aws_client_free(client);
	aws_creds_chain_free(chain);
	store_close(store);
	return rc;
}

/* "functions" -> a mask of kinds; "apis" means REST and HTTP APIs. */
static unsigned
ls_kinds(const char *name)
{
	int k;

	if (!strcmp(name, "apis"))
		return 1u << MODEL_REST_API | 1u << MODEL_HTTP_API;
	k = model_kind_parse(name);
	return k < 0 ? 0 : 1u << k;
}

static void
ls_print_row(const struct store_row *r, int json)
{
	char safe[4096];

	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON *attrs = r->attrs ? cJSON_Parse(r->attrs) : NULL;
		char *text;

		cJSON_AddStringToObject(o, "arn", r->arn);
		cJSON_AddStringToObject(o, "name", r->name);
		cJSON_AddStringToObject(o, "region", r->region);
		cJSON_AddStringToObject(o, "kind", model_kind_name(r->kind));
		cJSON_AddItemToObject(o, "attrs", attrs ? attrs : cJSON_CreateObject());
		text = cJSON_PrintUnformatted(o);
		if (text)
			printf("%s\n", text);
		free(text);
		cJSON_Delete(o);
		return;
	}
	printf("%s", termsafe_copy(safe, sizeof(safe), r->name));
	printf("\t%s", termsafe_copy(safe, sizeof(safe), *r->region ? r->region : "-"));
	printf("\t%s\n", termsafe_copy(safe, sizeof(safe), r->arn));
}

static int
ls_edges(struct store *store, int json, struct err *err)
{
	struct store_edges edges = { 0 };
	char safe[4096];
	size_t i;
	int rc = store_edges_of(store, NULL, STORE_EDGES_OUT, &edges, err);

	for (i = 0; !rc && i < edges.n; i++) {
		const struct model_edge *e = &edges.v[i].e;

		if (json) {
			cJSON *o = cJSON_CreateObject();
			char *text;

			cJSON_AddStringToObject(o, "src", e->src);
			cJSON_AddStringToObject(o, "dst", e->dst);
			cJSON_AddStringToObject(o, "kind", model_edge_name(e->kind));
			cJSON_AddStringToObject(o, "evidence", e->evidence ? e->evidence : "");
			text = cJSON_PrintUnformatted(o);
			if (text)
				printf("%s\n", text);
			free(text);
			cJSON_Delete(o);
			continue;
		}
		printf("%s", termsafe_copy(safe, sizeof(safe), e->src));
		printf("\t%s", model_edge_name(e->kind));
		printf("\t%s", termsafe_copy(safe, sizeof(safe), e->dst));
		printf("\t%s\n", termsafe_copy(safe, sizeof(safe), e->evidence ? e->evidence : ""));
	}
	store_edges_release(&edges);
	return rc;
}

static int
cmd_ls(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "region", required_argument, NULL, OPT_SCAN_REGION },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct store_list_query q = { 0 };
	struct store_rows rows = { 0 };
	struct store *store = NULL;
	struct err err = { 0 };
	const char *kind;
	int json = 0, c, rc;
	size_t i;

	optind = 0; /* GNU getopt: 0 re-initialises its state for a new argv */
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == OPT_SCAN_REGION)
			q.region = optarg;
		else if (c == OPT_JSON)
			json = 1;
		else if (c == ':')
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		else
			return usage_error("unknown ls option '%s'", argv[optind - 1]);
	}
	if (optind + 1 != argc)
		return usage_error(
		        "ls wants one kind (functions, roles, apis, buckets, tables, queues,"
		        " topics, rules, log-groups, edges)%s",
		        "");
	kind = argv[optind];
	q.kinds = ls_kinds(kind);
	if (!q.kinds && strcmp(kind, "edges"))
		return usage_error("unknown kind '%s'", kind);
	if (!q.region && cli->n_regions)
		q.region = cli->regions[0];
	q.flags = json ? STORE_LIST_ATTRS : 0;
	rc = cli_store(cli, STORE_READONLY, &store, &err);
	if (!rc && !q.kinds)
		rc = ls_edges(store, json, &err);
	else if (!rc)
		rc = store_list(store, &q, &rows, &err);
	for (i = 0; !rc && i < rows.n; i++)
		ls_print_row(&rows.v[i], json);
	store_rows_release(&rows);
	store_close(store);
	if (rc)
		print_err(&err);
	return rc ? EXIT_FAIL : 0;
}

static int
cmd_iam_policy(struct cli *cli, int argc, char **argv)
{
	char *policy;

	(void)cli;
	if (argc > 1)
		return usage_error("iam-policy takes no arguments, not '%s'", argv[1]);
	policy = collect_iam_policy();
	printf("%s\n", policy);
	free(policy);
	return 0;
}

static int
advisories_show(struct cli *cli)
{
	struct advisory_summary sum = { 0 };
	struct store *store = NULL;
	struct err err = { 0 };
	char when[64], safe[2048];
	size_t i;
	int rc = cli_store(cli, STORE_READONLY, &store, &err);

	if (!rc)
		rc = advisories_summary(store, &sum, &err);
	store_close(store);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	if (!sum.imported_at) {
		printf("no advisories imported; run 'shears advisories import FILE.zip|DIR'\n");
	} else {
		time_t t = (time_t)sum.imported_at;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
		printf("imported %s from %s\n", when,
		       termsafe_copy(safe, sizeof(safe), sum.source));
	}
	for (i = 0; i < sum.n; i++)
		printf("  %-12s %8ld\n", termsafe_copy(safe, sizeof(safe), sum.v[i].ecosystem),
		       sum.v[i].n);
	if (sum.imported_at)
		printf("  %-12s %8ld (%ld withdrawn, not matched)\n", "total", sum.total,
		       sum.withdrawn);
	advisory_summary_release(&sum);
	return 0;
}

static int
advisories_import_cmd(struct cli *cli, const char *path)
{
	struct advisory_import_stats st = { 0 };
	struct store *store = NULL;
	struct err err = { 0 };
	char safe[1024];
	int rc = cli_store(cli, 0, &store, &err);

	if (!rc)
		rc = advisories_import(store, path, &st, &err);
	store_close(store);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	printf("imported %s: %ld records, %ld added, %ld replaced, %ld unchanged, %ld skipped\n",
	       termsafe_copy(safe, sizeof(safe), path), st.records, st.added, st.replaced,
	       st.unchanged, st.skipped);
	if (st.skipped)
		printf("first skipped: %s\n", termsafe_copy(safe, sizeof(safe), st.first_skipped));
	return 0;
}

static int
cmd_advisories(struct cli *cli, int argc, char **argv)
{
	if (argc == 1)
		return advisories_show(cli);
	if (!strcmp(argv[1], "import") && argc == 3)
		return advisories_import_cmd(cli, argv[2]);
	if (!strcmp(argv[1], "import"))
		return usage_error("advisories import wants one FILE.zip or DIR%s", "");
	return usage_error("unknown advisories command '%s' (try 'import')", argv[1]);
}

static int
cmd_console(struct cli *cli)
{
	struct err err = { 0 };
	struct act_console *act = act_console_new(cli);
	int rc = ui_run(cli->cache_path, cli->read_only ? UI_READ_ONLY : 0, act, &err);

	act_console_free(act);
	log_close();
	if (rc)
		print_err(&err);
	return rc ? EXIT_FAIL : 0;
}

/*
 * Credentials live in this process's memory: no core file may carry them.
 * SHEARS_ALLOW_CORE=1 keeps core dumps for a developer chasing a crash.
 */
static void
forbid_core_dumps(void)
{
	const struct rlimit none = { 0, 0 };
	const char *allow = getenv("SHEARS_ALLOW_CORE");

	if (allow && !strcmp(allow, "1"))
		return;
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	size_t i;
	int rc;

	forbid_core_dumps();
	rc = parse_global(&cli, argc, argv);
	if (rc)
		return rc;
	if (cli.log_path && log_open(cli.log_path, LOG_DEBUG))
		return usage_error("cannot open log file '%s'", cli.log_path);
	if (optind >= argc)
		return cmd_console(&cli);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			rc = commands[i].run(&cli, argc - optind, argv + optind);
			log_close();
			return rc;
		}
	}
	return usage_error("unknown command '%s'", argv[optind]);
}
