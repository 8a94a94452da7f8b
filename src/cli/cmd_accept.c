/*
 * shears accept RULE RESOURCE --reason TEXT [--until YYYY-MM-DD]
 * shears accept --remove RULE RESOURCE
 * An acceptance lives in the cache apart from the findings, so it survives
 * rescans; past its date the finding reads as open again.
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze/rule.h"
#include "cli/cli.h"
#include "store/findings.h"

/* "2027-01-31" -> the end of that day, UTC. */
static int
parse_date(const char *s, int64_t *out)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%d", &tm);

	if (!end || *end)
		return -1;
	*out = (int64_t)timegm(&tm) + 86399;
	return 0;
}

static const char *
local_user(void)
{
	const struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name ? pw->pw_name : "";
}

int
cmd_accept(struct cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *until_text = NULL, *pos[2] = { NULL, NULL };
	int64_t until = 0, now = (int64_t)time(NULL);
	int i, n_pos = 0, remove = 0, rc;
	struct err err = { 0 };
	struct store *s = NULL;
	char arn[2048];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reason") && i + 1 < argc)
			reason = argv[++i];
		else if (!strcmp(argv[i], "--until") && i + 1 < argc)
			until_text = argv[++i];
		else if (!strcmp(argv[i], "--remove"))
			remove = 1;
		else if (argv[i][0] == '-' || n_pos == 2)
			return usage_error("accept: unexpected argument '%s'", argv[i]);
		else
			pos[n_pos++] = argv[i];
	}
	if (n_pos != 2)
		return usage_error("accept: give a rule id and a resource (ARN or name)%s", "");
	if (!rule_find(pos[0]))
		return usage_error("accept: no rule '%s' (see 'shears rules')", pos[0]);
	if (!remove && (!reason || !*reason))
		return usage_error("accept: say why with --reason%s", "");
	if (until_text && parse_date(until_text, &until))
		return usage_error("accept: --until wants a date YYYY-MM-DD, not '%s'", until_text);
	if (until && until < now)
		return usage_error("accept: --until %s is in the past", until_text);
	rc = cli_store(cli, 0, &s, &err);
	if (!rc)
		rc = cli_resolve(s, pos[1], arn, sizeof(arn), &err);
	if (!rc && remove)
		rc = store_unaccept(s, rule_find(pos[0])->id, arn, &err);
	else if (!rc)
		rc = store_accept(s, rule_find(pos[0])->id, arn, reason, until, local_user(), now,
		                  &err);
	store_close(s);
	if (rc) {
		print_err(&err);
		return EXIT_FAIL;
	}
	printf("%s %s on %s%s%s\n", remove ? "removed the acceptance of" : "accepted",
	       rule_find(pos[0])->id, arn, until_text && !remove ? " until " : "",
	       until_text && !remove ? until_text : "");
	return 0;
}
