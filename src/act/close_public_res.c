/*
 * What close-public removes from a queue's, topic's or bucket's policy,
 * and who that cuts off. "Open" is the analyzer's notion (rpol_is_open:
 * everyone, no limiting condition, no Deny cancelling it), asked for every
 * action a statement grants, so a statement open for any action goes, not
 * only for the actions the findings name. Only the "everyone" principals
 * go: a statement naming an account beside "*" keeps that account.
 */
#include "act/close_public_res.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/resource_policy.h"
#include "store/query.h"
#include "util/json.h"
#include "util/policy.h"
#include "util/xmalloc.h"

/* ---- open statements */

struct strs {
	const char **v;
	size_t n, cap;
};

static void
strs_add(const char *s, void *ctx)
{
	struct strs *l = ctx;

	if (l->n + 1 >= l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

struct open_mark {
	int index, open;
};

static int
mark_open(const struct rpol_grant *g, void *ctx)
{
	struct open_mark *m = ctx;

	if (g->index == m->index && rpol_is_open(g))
		m->open = 1;
	return 0;
}

/* 1 when statement number index (from 1) of doc lets anyone in for an action it grants. */
static int
statement_is_open(const cJSON *doc, const cJSON *stmt, int index)
{
	static const char *const any[] = { "*", NULL };
	struct strs actions = { 0 };
	struct open_mark m = { .index = index };

	if (!policy_statement_is_allow(stmt))
		return 0;
	/* its own actions are the question: "sqs:*" asks for everything it grants */
	policy_statement_strings(stmt, "Action", strs_add, &actions);
	rpol_each_grant(doc, actions.n ? actions.v : any, "", mark_open, &m);
	free(actions.v);
	return m.open;
}

/* Drops the "*" values of one principal member; 1 when none is left. */
static int
drop_star(cJSON *member)
{
	cJSON *v = member->child;

	if (cJSON_IsString(member))
		return !strcmp(member->valuestring, "*");
	while (v) {
		cJSON *next = v->next;

		if (cJSON_IsString(v) && !strcmp(v->valuestring, "*"))
			cJSON_Delete(cJSON_DetachItemViaPointer(member, v));
		v = next;
	}
	return !cJSON_GetArraySize(member);
}

/* A copy of stmt without its "everyone" principals, or NULL when nobody else is named. */
static cJSON *
without_anyone(const cJSON *stmt)
{
	cJSON *c = cJSON_Duplicate(stmt, 1);
	cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "Principal"), *m;

	if (!p || cJSON_IsString(p)) { /* NotPrincipal, or Principal "*" */
		cJSON_Delete(c);
		return NULL;
	}
	m = p->child;
	while (m) {
		cJSON *next = m->next;

		if (drop_star(m))
			cJSON_Delete(cJSON_DetachItemViaPointer(p, m));
		m = next;
	}
	if (!cJSON_GetArraySize(p)) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

struct split {
	const cJSON *doc;
	cJSON *kept, *removed;
	int index, n;
};

static int
split_one(const cJSON *stmt, void *ctx)
{
	struct split *s = ctx;
	cJSON *narrowed;

	if (!statement_is_open(s->doc, stmt, ++s->index)) {
		cJSON_AddItemToArray(s->kept, cJSON_Duplicate(stmt, 1));
		return 0;
	}
	s->n++;
	cJSON_AddItemToArray(s->removed, cJSON_Duplicate(stmt, 1));
	narrowed = without_anyone(stmt);
	if (narrowed)
		cJSON_AddItemToArray(s->kept, narrowed);
	return 0;
}

int
cpr_split_open(const cJSON *doc, cJSON **kept, cJSON **removed)
{
	struct split s = { .doc = doc,
		           .kept = cJSON_CreateArray(),
		           .removed = cJSON_CreateArray() };

	policy_each_statement(doc, split_one, &s);
	*kept = cJSON_Duplicate(doc, 1);
	if (s.n)
		cJSON_ReplaceItemInObjectCaseSensitive(*kept, "Statement", s.kept);
	else
		cJSON_Delete(s.kept);
	*removed = s.removed;
	return s.n;
}

/* ---- the state's form */

struct ranked {
	const cJSON *stmt;
	int index;
};

static int
by_sid(const void *a, const void *b)
{
	const struct ranked *ra = a, *rb = b;
	const char *sa = json_str(ra->stmt, "Sid"), *sb = json_str(rb->stmt, "Sid");
	int c = (sa != NULL) - (sb != NULL);

	if (!c && sa)
		c = strcmp(sa, sb);
	return c ? c : ra->index - rb->index;
}

struct collect {
	struct ranked *v;
	size_t n, cap;
};

static int
collect_one(const cJSON *stmt, void *ctx)
{
	struct collect *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n].stmt = stmt;
	c->v[c->n].index = (int)c->n;
	c->n++;
	return 0;
}

cJSON *
cpr_sorted_statements(const cJSON *doc)
{
	struct collect c = { 0 };
	cJSON *out = cJSON_CreateArray();
	size_t i;

	if (doc)
		policy_each_statement(doc, collect_one, &c);
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), by_sid);
	for (i = 0; i < c.n; i++)
		cJSON_AddItemToArray(out, cJSON_Duplicate(c.v[i].stmt, 1));
	free(c.v);
	return out;
}

/* ---- who loses access, who keeps it */

/* A field (a string or a list) as one line of text. */
static void
field_text(struct buf *b, const cJSON *stmt, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(stmt, field);
	char *text = v ? cJSON_PrintUnformatted(v) : NULL;

	buf_printf(b, "%s", text ? text : "-");
	free(text);
}

static void
describe_removed(struct buf *b, const cJSON *removed, enum model_kind kind)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, removed)
	{
		buf_printf(b, "loses access: statement Sid %s, Principal ",
		           json_str(s, "Sid") ? json_str(s, "Sid") : "(none)");
		field_text(b, s, json_path(s, "NotPrincipal") ? "NotPrincipal" : "Principal");
		buf_printf(b, ", Action ");
		field_text(b, s, json_path(s, "NotAction") ? "NotAction" : "Action");
		if (json_path(s, "Condition")) {
			buf_printf(b, ", Condition (not limiting) ");
			field_text(b, s, "Condition");
		}
		buf_printf(b, ": %s\n",
		           kind == MODEL_BUCKET
		                   ? "anonymous callers and every other account it let in"
		                   : "every other account it let in, and any service sending "
		                     "through it with no statement of its own");
	}
}

/* How a trigger reaches the function, and why it keeps working. */
static const char *
trigger_keeps(enum model_kind kind)
{
	switch (kind) {
	case MODEL_QUEUE:
		return "Lambda polls the queue with the function's own role (an identity "
		       "policy of this account): keeps working";
	case MODEL_TOPIC:
		return "SNS invokes the function under the function's own resource policy: "
		       "keeps working";
	case MODEL_BUCKET:
		return "S3 invokes the function under the function's own resource policy: "
		       "keeps working";
	default:
		return "keeps working";
	}
}

static void
describe_edge(struct buf *b, const struct store_edge_row *e, enum model_kind kind)
{
	const char *peer_kind = e->peer_kind >= 0 ? model_kind_name(e->peer_kind) : "resource";

	if (e->outgoing && e->e.kind == MODEL_EDGE_TRIGGERS) {
		buf_printf(b, "keeps access: %s %s (%s): %s\n", peer_kind, e->peer_name,
		           e->e.evidence, trigger_keeps(kind));
	} else if (!e->outgoing && (e->peer_kind == MODEL_FUNCTION || e->peer_kind == MODEL_ROLE)) {
		buf_printf(b,
		           "keeps access: %s %s %s it (%s): a principal of this account allowed "
		           "by its own identity policy needs no public statement\n",
		           peer_kind, e->peer_name, model_edge_name(e->e.kind), e->e.evidence);
	} else if (!e->outgoing) {
		buf_printf(b,
		           "check: %s %s %s it (%s): a service delivering for it is allowed by the "
		           "resource policy alone, so it loses access unless a kept statement "
		           "names it\n",
		           peer_kind, e->peer_name, model_edge_name(e->e.kind), e->e.evidence);
	}
}

void
cpr_describe_access(struct buf *b, struct store *s, const char *arn, enum model_kind kind,
                    const cJSON *removed)
{
	struct store_edges edges = { 0 };
	size_t i;

	describe_removed(b, removed, kind);
	if (!s || store_edges_of(s, arn, STORE_EDGES_IN | STORE_EDGES_OUT, &edges, NULL))
		return;
	for (i = 0; i < edges.n; i++)
		describe_edge(b, &edges.v[i], kind);
	if (!edges.n)
		buf_printf(b, "nothing in the cache triggers from it, reads or writes it\n");
	store_edges_release(&edges);
}
