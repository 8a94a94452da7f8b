/*
 * Privilege escalation (SHR-PERM-006): a table of named methods, after
 * Rhino Security Labs' "AWS IAM Privilege Escalation" list (2018) and the
 * methods published since (passrole into ECS, CodeBuild, SageMaker, App
 * Runner, Glue jobs; permissions-boundary removal; SSM on instances).
 *
 * A method is a list of steps; a step is satisfied by any one of its
 * alternative actions ("a|b"), granted by any policy of the role, so a
 * combination split across an inline and a managed policy is found, and the
 * evidence names the statement behind each action. The scope of a step
 * says which grants make it real:
 *  - ANY: any resource (iam:PassRole on a role ARN pattern counts);
 *  - WIDE: only a wide resource (sts:AssumeRole on one named role is
 *    ordinary role chaining, on "*" it is every trusting role);
 *  - OTHERS: a resource other than the caller's own functions (updating the
 *    function's own code gains nothing it does not have).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/perm_int.h"
#include "util/policy.h"

enum scope { SCOPE_ANY = 0, SCOPE_WIDE, SCOPE_OTHERS };

struct step {
	const char *actions; /* alternatives, '|' between them */
	enum scope scope;
};

struct method {
	const char *name;
	const char *how; /* one paragraph: what the attacker does */
	struct step steps[4];
	const char *pass_to; /* the service iam:PassRole hands the role to, or NULL */
};

#define PASS                              \
	{                                 \
		"iam:PassRole", SCOPE_ANY \
	}

static const struct method methods[] = {
	{ "iam-create-policy-version",
	  "create a new version of a policy attached to the role, with Action \"*\", and make it "
	  "the default (--set-as-default needs no other permission)",
	  { { "iam:CreatePolicyVersion", SCOPE_ANY } },
	  NULL },
	{ "iam-set-default-policy-version",
	  "switch a policy to an older, broader version that is still stored",
	  { { "iam:SetDefaultPolicyVersion", SCOPE_ANY } },
	  NULL },
	{ "iam-attach-policy",
	  "attach AdministratorAccess to the role itself, or to a user or group the attacker holds",
	  { { "iam:AttachRolePolicy|iam:AttachUserPolicy|iam:AttachGroupPolicy", SCOPE_ANY } },
	  NULL },
	{ "iam-put-inline-policy",
	  "write an inline policy granting \"*\" into the role, a user or a group",
	  { { "iam:PutRolePolicy|iam:PutUserPolicy|iam:PutGroupPolicy", SCOPE_ANY } },
	  NULL },
	{ "iam-add-user-to-group",
	  "add a user the attacker holds to a more privileged group",
	  { { "iam:AddUserToGroup", SCOPE_ANY } },
	  NULL },
	{ "iam-update-assume-role-policy",
	  "rewrite a role's trust policy so that a principal the attacker controls can assume it",
	  { { "iam:UpdateAssumeRolePolicy", SCOPE_ANY } },
	  NULL },
	{ "iam-user-credentials",
	  "mint access keys or a console password for a more privileged user",
	  { { "iam:CreateAccessKey|iam:CreateLoginProfile|iam:UpdateLoginProfile", SCOPE_ANY } },
	  NULL },
	{ "iam-remove-permissions-boundary",
	  "remove or replace the permissions boundary that limits a role",
	  { { "iam:DeleteRolePermissionsBoundary|iam:PutRolePermissionsBoundary", SCOPE_ANY } },
	  NULL },
	{ "sts-assume-any-role",
	  "assume any role of any account whose trust policy lets this account in",
	  { { "sts:AssumeRole", SCOPE_WIDE } },
	  NULL },
	{ "lambda-update-other-function",
	  "replace the code of another function, or add a layer or environment to it, and run as "
	  "that function's role",
	  { { "lambda:UpdateFunctionCode|lambda:UpdateFunctionConfiguration", SCOPE_OTHERS } },
	  NULL },
	{ "passrole-lambda",
	  "create a function running as a more privileged role and get it invoked (directly, by an "
	  "event source mapping, or through a resource policy or function URL)",
	  { PASS,
	    { "lambda:CreateFunction", SCOPE_ANY },
	    { "lambda:InvokeFunction|lambda:CreateEventSourceMapping|lambda:AddPermission|"
	      "lambda:CreateFunctionUrlConfig",
	      SCOPE_ANY } },
	  "lambda.amazonaws.com" },
	{ "passrole-ec2",
	  "start an instance with a more privileged instance profile and read its credentials "
	  "from the metadata service",
	  { PASS, { "ec2:RunInstances", SCOPE_ANY } },
	  "ec2.amazonaws.com" },
	{ "passrole-cloudformation",
	  "deploy a stack under a more privileged service role; the stack creates what the "
	  "attacker wants",
	  { PASS,
	    { "cloudformation:CreateStack|cloudformation:UpdateStack|cloudformation:CreateChangeSet",
	      SCOPE_ANY } },
	  "cloudformation.amazonaws.com" },
	{ "passrole-glue-dev-endpoint",
	  "create a Glue development endpoint with a more privileged role and SSH into it",
	  { PASS, { "glue:CreateDevEndpoint", SCOPE_ANY } },
	  "glue.amazonaws.com" },
	{ "glue-update-dev-endpoint",
	  "add an SSH key to an existing Glue development endpoint and use its role",
	  { { "glue:UpdateDevEndpoint", SCOPE_ANY } },
	  NULL },
	{ "passrole-glue-job",
	  "create or change a Glue job with a more privileged role and run it",
	  { PASS,
	    { "glue:CreateJob|glue:UpdateJob", SCOPE_ANY },
	    { "glue:StartJobRun|glue:CreateTrigger", SCOPE_ANY } },
	  "glue.amazonaws.com" },
	{ "passrole-datapipeline",
	  "define a Data Pipeline that runs commands as a more privileged role",
	  { PASS,
	    { "datapipeline:CreatePipeline", SCOPE_ANY },
	    { "datapipeline:PutPipelineDefinition", SCOPE_ANY } },
	  "datapipeline.amazonaws.com" },
	{ "passrole-codestar",
	  "create a CodeStar project whose service role builds what the attacker asks",
	  { PASS, { "codestar:CreateProject", SCOPE_ANY } },
	  "codestar.amazonaws.com" },
	{ "passrole-codebuild",
	  "create or change a CodeBuild project with a more privileged role and start a build",
	  { PASS,
	    { "codebuild:CreateProject|codebuild:UpdateProject", SCOPE_ANY },
	    { "codebuild:StartBuild|codebuild:StartBuildBatch", SCOPE_ANY } },
	  "codebuild.amazonaws.com" },
	{ "passrole-ecs",
	  "register a task definition with a more privileged task role and run it",
	  { PASS,
	    { "ecs:RegisterTaskDefinition", SCOPE_ANY },
	    { "ecs:RunTask|ecs:StartTask|ecs:CreateService|ecs:UpdateService", SCOPE_ANY } },
	  "ecs-tasks.amazonaws.com" },
	{ "passrole-sagemaker",
	  "create a notebook, training or processing job with a more privileged role and run code "
	  "in it",
	  { PASS,
	    { "sagemaker:CreateNotebookInstance|sagemaker:CreateTrainingJob|"
	      "sagemaker:CreateProcessingJob",
	      SCOPE_ANY } },
	  "sagemaker.amazonaws.com" },
	{ "sagemaker-notebook-url",
	  "open an existing notebook instance through a presigned URL and use its role",
	  { { "sagemaker:CreatePresignedNotebookInstanceUrl", SCOPE_ANY } },
	  NULL },
	{ "passrole-autoscaling",
	  "launch instances with a more privileged instance profile through a launch template or "
	  "configuration",
	  { PASS,
	    { "autoscaling:CreateLaunchConfiguration|ec2:CreateLaunchTemplate", SCOPE_ANY },
	    { "autoscaling:CreateAutoScalingGroup|autoscaling:UpdateAutoScalingGroup",
	      SCOPE_ANY } },
	  "ec2.amazonaws.com" },
	{ "passrole-apprunner",
	  "create an App Runner service with a more privileged instance role",
	  { PASS, { "apprunner:CreateService", SCOPE_ANY } },
	  "tasks.apprunner.amazonaws.com" },
	{ "ssm-command-on-instances",
	  "run commands on any managed instance and use its instance profile's credentials",
	  { { "ssm:SendCommand|ssm:StartSession", SCOPE_WIDE } },
	  NULL },
};

/* 1 when pattern p names only (versions or aliases of) one of the caller's own functions. */
static int
own_function(const char *p, const char *const *own, size_t n_own)
{
	size_t i;

	for (i = 0; i < n_own; i++) {
		size_t len = own[i] ? strlen(own[i]) : 0;

		if (len && !strncmp(p, own[i], len) && (p[len] == '\0' || p[len] == ':'))
			return 1;
	}
	return 0;
}

struct others_ctx {
	const char *const *own;
	size_t n_own;
	int others;
};

static void
probe_others(const char *p, void *ctx)
{
	struct others_ctx *c = ctx;

	if (!own_function(p, c->own, c->n_own))
		c->others = 1;
}

/* 1 when one of the Condition values (a string or an array) matches service. */
static int
values_match(const cJSON *v, const char *service)
{
	const cJSON *x;

	if (cJSON_IsString(v))
		return policy_wildcard_match(v->valuestring, service, 1);
	cJSON_ArrayForEach(x, v)
	{
		if (cJSON_IsString(x) && policy_wildcard_match(x->valuestring, service, 1))
			return 1;
	}
	return 0;
}

/*
 * The one condition shears reads: iam:PassedToService under a positive
 * string operator limits which service the role may be passed to (AWS
 * managed policies use it: AmazonDynamoDBFullAccess passes roles only to
 * Application Auto Scaling and DAX). Returns 0 when it excludes service.
 */
static int
passable_to(const cJSON *stmt, const char *service)
{
	const cJSON *cond = cJSON_GetObjectItemCaseSensitive(stmt, "Condition"), *op, *key;

	if (!service)
		return 1;
	cJSON_ArrayForEach(op, cond)
	{
		const char *name = op->string ? op->string : "";
		const char *colon = strchr(name, ':');

		if (colon)
			name = colon + 1; /* ForAnyValue:, ForAllValues: */
		if (strncmp(name, "StringEquals", 12) && strncmp(name, "StringLike", 10))
			continue;
		cJSON_ArrayForEach(key, op)
		{
			if (key->string && !strcasecmp(key->string, "iam:PassedToService") &&
			    !values_match(key, service))
				return 0;
		}
	}
	return 1;
}

static int
grant_in_scope(const struct perm_grant *g, enum scope scope, const char *const *own, size_t n_own)
{
	struct others_ctx c = { own, n_own, 0 };

	if (scope == SCOPE_WIDE)
		return g->wide;
	if (scope != SCOPE_OTHERS || !n_own ||
	    !cJSON_GetObjectItemCaseSensitive(g->stmt, "Resource"))
		return 1;
	policy_statement_strings(g->stmt, "Resource", probe_others, &c);
	return c.others;
}

/* A grant of catalog action i within scope, preferring one without a Condition. */
static const struct perm_grant *
find_grant(const struct perm_eval *ev, size_t i, enum scope scope, const char *const *own,
           size_t n_own, const char *pass_to)
{
	const struct perm_grant *best = NULL;
	size_t k;

	for (k = 0; k < ev->n_g; k++) {
		const struct perm_grant *g = &ev->g[k];

		if (!iam_set_has(&g->actions, i) || !grant_in_scope(g, scope, own, n_own) ||
		    !passable_to(g->stmt, pass_to))
			continue;
		if (!best || (best->conditional && !g->conditional))
			best = g;
	}
	return best;
}

struct hit {
	const struct iam_action *action;
	const struct perm_grant *grant;
};

/* The first alternative of step that is granted; 0 when none. */
static int
satisfy(const struct perm_eval *ev, const struct step *st, const char *const *own, size_t n_own,
        const char *pass_to, struct hit *hit)
{
	const char *p = st->actions;

	while (*p) {
		size_t len = strcspn(p, "|"), i;
		char name[128];

		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			i = iam_catalog_index(name);
			/* the PassedToService condition is about iam:PassRole only */
			hit->grant = i == (size_t)-1 ? NULL
			                             : find_grant(ev, i, st->scope, own, n_own,
			                                          strcasecmp(name, "iam:PassRole")
			                                                  ? NULL
			                                                  : pass_to);
			if (hit->grant) {
				hit->action = iam_catalog_at(i);
				return 1;
			}
		}
		p += len + (p[len] == '|');
	}
	return 0;
}

static void
report(const struct perm_eval *ev, const struct method *m, const struct hit *hits, size_t n,
       struct findings *out)
{
	struct buf b;
	char where[512], first[512];
	size_t i;
	int conditional = 0;

	buf_init(&b, 0);
	buf_printf(&b, "method %s: ", m->name);
	for (i = 0; i < n; i++) {
		perm_where(ev, hits[i].grant, where, sizeof(where));
		if (!i)
			memcpy(first, where, sizeof(first));
		buf_printf(&b, "%s%s (%s%s%s)", i ? " + " : "", hits[i].action->name, where,
		           hits[i].grant->wide ? ", on every resource" : "",
		           hits[i].grant->conditional ? ", conditional" : "");
		conditional |= hits[i].grant->conditional;
	}
	buf_printf(&b, ". How: %s", m->how);
	perm_notes(ev, conditional, &b);
	findings_add(out, "SHR-PERM-006", ev->resource, first, "%s", buf_cstr(&b));
	buf_release(&b);
}

void
perm_check_escalation(const struct perm_eval *ev, const char *const *own_functions, size_t n_own,
                      struct findings *out)
{
	size_t k, s;

	for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		const struct method *m = &methods[k];
		struct hit hits[4];

		for (s = 0; s < 4 && m->steps[s].actions; s++)
			if (!satisfy(ev, &m->steps[s], own_functions, n_own, m->pass_to, &hits[s]))
				break;
		if (s == 4 || !m->steps[s].actions)
			report(ev, m, hits, s, out);
	}
}

size_t
perm_escalation_each_action(void (*fn)(const char *action, void *ctx), void *ctx)
{
	size_t k, s, n = 0;

	for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		for (s = 0; s < 4 && methods[k].steps[s].actions; s++) {
			const char *p = methods[k].steps[s].actions;

			while (*p) {
				size_t len = strcspn(p, "|");
				char name[128];

				if (len < sizeof(name)) {
					memcpy(name, p, len);
					name[len] = '\0';
					fn(name, ctx);
					n++;
				}
				p += len + (p[len] == '|');
			}
		}
	}
	return n;
}
