/*
 * shears analyze: the risk engine over the cache (a scan runs it too). It
 * is what to run after `shears advisories import` or a config change, to
 * see the findings again without reading the account.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "store/findings.h"

int
cli_analyze(struct store *s, struct analyze_summary *sum, struct err *err)
{
	struct shears_config c;
	int rc = config_load(&c, NULL, err);

	if (!rc)
		rc = analyze_cache(s, &c.analyze, sum, err);
	config_release(&c);
	return rc;
}

void
cli_print_findings(const struct analyze_summary *sum)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };
	int i, first = 1;

	printf("findings: %zu open", sum->open);
	for (i = 4; i >= 0; i--) {
		if (!sum->by_severity[i])
			continue;
		printf("%s%zu %s", first ? " (" : ", ", sum->by_severity[i], names[i]);
		first = 0;
	}
	printf("%s; %zu functions scored (shears report, or the console's :findings)\n",
	       first ? "" : ")", sum->functions);
}

cJSON *
cli_findings_json(const struct analyze_summary *sum)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };
	cJSON *o = cJSON_CreateObject();
	int i;

	cJSON_AddNumberToObject(o, "open", (double)sum->open);
	for (i = 0; i < 5; i++)
		cJSON_AddNumberToObject(o, names[i], (double)sum->by_severity[i]);
	cJSON_AddNumberToObject(o, "functions_scored", (double)sum->functions);
	return o;
}

int
cmd_analyze(struct cli *cli, int argc, char **argv)
{
	struct analyze_summary sum;
	struct err err = { 0 };
	struct store *s = NULL;
	int json = 0, i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else
			return usage_error("analyze: unknown argument '%s'", argv[i]);
	}
	rc = cli_store(cli, 0, &s, &err);
	if (!rc)
		rc = cli_analyze(s, &sum, &err);
	store_close(s);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	if (json) {
		cJSON *o = cli_findings_json(&sum);
		char *text = cJSON_PrintUnformatted(o);

		printf("%s\n", text ? text : "{}");
		free(text);
		cJSON_Delete(o);
	} else {
		cli_print_findings(&sum);
	}
	return 0;
}
