/*
 * Data reach: the actions that return or change stored data, by store.
 * SHR-PERM-007 raises the reads granted on every resource; the exposure
 * family asks perm_role_reach() whether a function's role reaches data at
 * all, for the score.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/perm_int.h"

enum rw { DATA_READ, DATA_WRITE };

struct data_action {
	const char *action;
	unsigned store; /* enum perm_data */
	enum rw rw;
};

static const struct data_action data_actions[] = {
	{ "s3:GetObject", PERM_DATA_S3, DATA_READ },
	{ "s3:GetObjectVersion", PERM_DATA_S3, DATA_READ },
	{ "s3:PutObject", PERM_DATA_S3, DATA_WRITE },
	{ "s3:DeleteObject", PERM_DATA_S3, DATA_WRITE },
	{ "s3:DeleteObjectVersion", PERM_DATA_S3, DATA_WRITE },
	{ "dynamodb:GetItem", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:BatchGetItem", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:Query", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:Scan", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:PartiQLSelect", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:GetRecords", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:ExportTableToPointInTime", PERM_DATA_DYNAMODB, DATA_READ },
	{ "dynamodb:PutItem", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:UpdateItem", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:DeleteItem", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:BatchWriteItem", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:PartiQLInsert", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:PartiQLUpdate", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:PartiQLDelete", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "dynamodb:DeleteTable", PERM_DATA_DYNAMODB, DATA_WRITE },
	{ "secretsmanager:GetSecretValue", PERM_DATA_SECRETSMANAGER, DATA_READ },
	{ "secretsmanager:BatchGetSecretValue", PERM_DATA_SECRETSMANAGER, DATA_READ },
	{ "secretsmanager:PutSecretValue", PERM_DATA_SECRETSMANAGER, DATA_WRITE },
	{ "secretsmanager:UpdateSecret", PERM_DATA_SECRETSMANAGER, DATA_WRITE },
	{ "secretsmanager:DeleteSecret", PERM_DATA_SECRETSMANAGER, DATA_WRITE },
	{ "ssm:GetParameter", PERM_DATA_SSM, DATA_READ },
	{ "ssm:GetParameters", PERM_DATA_SSM, DATA_READ },
	{ "ssm:GetParametersByPath", PERM_DATA_SSM, DATA_READ },
	{ "ssm:GetParameterHistory", PERM_DATA_SSM, DATA_READ },
	{ "ssm:PutParameter", PERM_DATA_SSM, DATA_WRITE },
	{ "ssm:DeleteParameter", PERM_DATA_SSM, DATA_WRITE },
	{ "kms:Decrypt", PERM_DATA_KMS, DATA_READ },
	{ "kms:ReEncryptFrom", PERM_DATA_KMS, DATA_READ },
	{ "kms:Encrypt", PERM_DATA_KMS, DATA_WRITE },
	{ "kms:ScheduleKeyDeletion", PERM_DATA_KMS, DATA_WRITE },
	{ "rds-data:ExecuteStatement", PERM_DATA_RDS, DATA_READ },
	{ "rds-data:BatchExecuteStatement", PERM_DATA_RDS, DATA_READ },
	{ "rds-data:ExecuteStatement", PERM_DATA_RDS, DATA_WRITE },
	{ "rds-data:BatchExecuteStatement", PERM_DATA_RDS, DATA_WRITE },
	{ "rds:DeleteDBInstance", PERM_DATA_RDS, DATA_WRITE },
	{ "rds:DeleteDBCluster", PERM_DATA_RDS, DATA_WRITE },
	{ "rds:CreateDBSnapshot", PERM_DATA_RDS, DATA_READ },
	{ "rds:CopyDBSnapshot", PERM_DATA_RDS, DATA_READ },
};

#define N_DATA (sizeof(data_actions) / sizeof(data_actions[0]))

static const char *const store_names[] = {
	"s3", "dynamodb", "secretsmanager", "ssm", "kms", "rds"
};

char *
perm_data_names(unsigned mask, char *out, size_t n)
{
	size_t i, used = 0;

	if (n)
		out[0] = '\0';
	for (i = 0; i < sizeof(store_names) / sizeof(store_names[0]); i++) {
		int w;

		if (!(mask & (1u << i)) || used >= n)
			continue;
		w = snprintf(out + used, n - used, "%s%s", used ? "," : "", store_names[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	return out;
}

size_t
perm_data_each_action(void (*fn)(const char *action, void *ctx), void *ctx)
{
	size_t i;

	for (i = 0; i < N_DATA; i++)
		fn(data_actions[i].action, ctx);
	return N_DATA;
}

void
perm_check_exfiltration(const struct perm_eval *ev, struct findings *out)
{
	struct buf b, notes;
	size_t i, n = 0;
	int conditional = 0;
	char where[512], first[512] = "";

	buf_init(&b, 0);
	for (i = 0; i < N_DATA; i++) {
		size_t k = iam_catalog_index(data_actions[i].action);
		const struct perm_grant *g;

		if (data_actions[i].rw != DATA_READ || k == (size_t)-1 ||
		    !iam_set_has(&ev->wide, k))
			continue;
		g = perm_eval_grant_of(ev, k, 1);
		perm_where(ev, g, where, sizeof(where));
		if (!n)
			memcpy(first, where, sizeof(first));
		buf_printf(&b, "%s%s (%s%s)", n++ ? ", " : "", data_actions[i].action, where,
		           g->conditional ? ", conditional" : "");
		conditional |= g->conditional;
	}
	if (n) {
		buf_init(&notes, 0);
		perm_notes(ev, conditional, &notes);
		findings_add(out, "SHR-PERM-007", ev->resource, first,
		             "%zu data-reading action(s) on every resource: %s%s", n, buf_cstr(&b),
		             buf_cstr(&notes));
		buf_release(&notes);
	}
	buf_release(&b);
}

int
perm_role_reach(const struct perm_role_input *in, struct perm_reach *reach, struct err *err)
{
	struct perm_eval ev;
	size_t i;
	int rc = perm_eval_role(&ev, in->role_arn, in->attrs, in->boundary_doc, err);

	memset(reach, 0, sizeof(*reach));
	if (rc)
		return rc;
	for (i = 0; i < N_DATA; i++) {
		size_t k = iam_catalog_index(data_actions[i].action);

		if (k == (size_t)-1 || !iam_set_has(&ev.any, k))
			continue;
		if (data_actions[i].rw == DATA_READ)
			reach->reads |= data_actions[i].store;
		else
			reach->writes |= data_actions[i].store;
		if (iam_set_has(&ev.wide, k))
			reach->wide |= data_actions[i].store;
	}
	perm_eval_release(&ev);
	return 0;
}
