/*
 * Secrets in environment variables, as the scan's CODE phase found them in
 * the raw values (attrs "EnvSecrets": name, rule, what, redacted; the raw
 * values never left memory), and SHR-SEC-090: such variables encrypted only
 * with the AWS managed key (no KMSKeyArn), which anyone allowed
 * lambda:GetFunctionConfiguration reads in clear.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/json.h"

static void
env_of(const struct am_res *fn, struct findings *out)
{
	const cJSON *hits = json_path(fn->attrs, "EnvSecrets"), *h;
	char names[512] = "", loc[300];
	int n = 0;

	cJSON_ArrayForEach(h, hits)
	{
		const char *rule = json_str(h, "rule"), *name = json_str(h, "name");
		size_t len = strlen(names);

		if (!rule || !rule_find(rule) || !name)
			continue;
		snprintf(loc, sizeof(loc), "env:%s", name);
		findings_add(out, rule, fn->arn, loc, "%s in environment variable %s: %s",
		             json_str(h, "what") ? json_str(h, "what") : "secret", name,
		             json_str(h, "redacted") ? json_str(h, "redacted") : "");
		if (!strstr(names, name) && len + strlen(name) + 3 < sizeof(names))
			snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "", name);
		n++;
	}
	if (n && !json_str(fn->attrs, "KMSKeyArn"))
		findings_add(
		        out, "SHR-SEC-090", fn->arn, "",
		        "%d secret variable%s (%s) encrypted with the AWS managed key only: no "
		        "KMSKeyArn",
		        n, n == 1 ? "" : "s", names);
}

int
check_env_secrets(const struct amodel *m, const struct analyze_opts *o, struct findings *out)
{
	size_t i;

	(void)o;
	for (i = 0; i < m->n_res; i++)
		if (m->res[i].kind == MODEL_FUNCTION)
			env_of(&m->res[i], out);
	return 0;
}
