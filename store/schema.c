/*
 * Migrations: each entry takes the schema from version i to i + 1 and runs
 * in its own transaction with the new PRAGMA user_version. Never edit a
 * migration that has shipped; add one.
 */
#include "store/schema.h"

#include <stddef.h>

static const char *const migrations[] = {
	/* 0 -> 1: the inventory */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE scan("
	"  id INTEGER PRIMARY KEY,"
	"  started INTEGER NOT NULL, finished INTEGER,"
	"  account TEXT NOT NULL DEFAULT '', regions TEXT NOT NULL DEFAULT '',"
	"  calls INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0,"
	"  summary TEXT);"
	"CREATE TABLE scan_gap("
	"  scan INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL, region TEXT NOT NULL, operation TEXT NOT NULL,"
	"  error TEXT NOT NULL);"
	"CREATE TABLE resource("
	"  id INTEGER PRIMARY KEY,"
	"  arn TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, name TEXT NOT NULL,"
	"  region TEXT NOT NULL DEFAULT '', account TEXT NOT NULL DEFAULT '',"
	"  attrs TEXT NOT NULL DEFAULT '{}',"
	"  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	"  scan INTEGER NOT NULL);"
	"CREATE INDEX resource_kind ON resource(kind, name);"
	"CREATE TABLE edge("
	"  src TEXT NOT NULL, dst TEXT NOT NULL, kind TEXT NOT NULL,"
	"  evidence TEXT NOT NULL DEFAULT '', scan INTEGER NOT NULL,"
	"  PRIMARY KEY(src, dst, kind)) WITHOUT ROWID;"
	"CREATE INDEX edge_dst ON edge(dst);"
	"CREATE TABLE metric("
	"  resource TEXT NOT NULL, name TEXT NOT NULL, day INTEGER NOT NULL,"
	"  value REAL NOT NULL,"
	"  PRIMARY KEY(resource, name, day)) WITHOUT ROWID;",
	/* 1 -> 2: the overview counts per kind and region without reading every row */
	"CREATE INDEX resource_kind_region ON resource(kind, region);",
	/* 2 -> 3: findings with their review state, and the functions' scores */
	"CREATE TABLE finding("
	"  id TEXT PRIMARY KEY,"
	"  rule TEXT NOT NULL, resource TEXT NOT NULL, location TEXT NOT NULL DEFAULT '',"
	"  severity TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL DEFAULT 'open',"
	"  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, fixed_at INTEGER);"
	"CREATE INDEX finding_resource ON finding(resource);"
	"CREATE TABLE acceptance("
	"  rule TEXT NOT NULL, resource TEXT NOT NULL, reason TEXT NOT NULL,"
	"  until INTEGER, by TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL,"
	"  PRIMARY KEY(rule, resource)) WITHOUT ROWID;"
	"CREATE TABLE score("
	"  resource TEXT PRIMARY KEY, score INTEGER NOT NULL, base INTEGER NOT NULL,"
	"  public_entry INTEGER NOT NULL, reaches_data INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE review("
	"  resource TEXT PRIMARY KEY, code_sha TEXT NOT NULL, at INTEGER NOT NULL,"
	"  by TEXT NOT NULL DEFAULT '') WITHOUT ROWID;",
	/* 3 -> 4: what a scan read in each unique code package (by CodeSha256) */
	"CREATE TABLE package("
	"  code_sha TEXT PRIMARY KEY, scanned_at INTEGER NOT NULL,"
	"  files INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
	"  incomplete INTEGER NOT NULL DEFAULT 0,"
	"  problems TEXT NOT NULL DEFAULT '[]', secrets TEXT NOT NULL DEFAULT '[]')"
	"  WITHOUT ROWID;",
	/*
	 * 4 -> 5: imported OSV advisories and the dependencies found in code.
	 * advisory_pkg holds, per (advisory, package), the compact affected
	 * entries (analyze/osv.h) that matching parses and the advisory fields
	 * a match shows, clustered by (ecosystem, name) so that matching reads
	 * one package's rows with one b-tree descent and no join; names are
	 * normalised (PEP 503 for PyPI). dependency is keyed by the code package's sha, so
	 * functions sharing a package or layer share its rows.
	 */
	"CREATE TABLE advisory("
	"  id TEXT PRIMARY KEY, ecosystem TEXT NOT NULL DEFAULT '',"
	"  modified TEXT NOT NULL DEFAULT '', modified_ms INTEGER NOT NULL DEFAULT 0,"
	"  published TEXT, withdrawn TEXT,"
	"  summary TEXT NOT NULL DEFAULT '', severity TEXT NOT NULL DEFAULT 'medium',"
	"  aliases TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE advisory_pkg("
	"  ecosystem TEXT NOT NULL, name TEXT NOT NULL, advisory TEXT NOT NULL,"
	"  severity TEXT NOT NULL, summary TEXT NOT NULL, aliases TEXT NOT NULL,"
	"  ranges TEXT NOT NULL,"
	"  PRIMARY KEY(ecosystem, name, advisory)) WITHOUT ROWID;"
	"CREATE INDEX advisory_pkg_advisory ON advisory_pkg(advisory);"
	"CREATE TABLE dependency("
	"  code_sha TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL,"
	"  version TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY(code_sha, ecosystem, name, version)) WITHOUT ROWID;",
	/*
	 * 5 -> 6: the remediation journal (src/act). One row per action with
	 * its plan (JSON, no secrets), its current state and who confirmed it;
	 * action_step keeps every transition with its time, so a crash leaves
	 * the last step reached for the next start to reconcile.
	 */
	"CREATE TABLE action("
	"  id INTEGER PRIMARY KEY,"
	"  action TEXT NOT NULL, target TEXT NOT NULL,"
	"  account TEXT NOT NULL DEFAULT '', region TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL, plan TEXT NOT NULL,"
	"  local_user TEXT NOT NULL DEFAULT '', caller TEXT NOT NULL DEFAULT '',"
	"  backup TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '',"
	"  error TEXT NOT NULL DEFAULT '', undo_of INTEGER,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE INDEX action_state ON action(state);"
	"CREATE TABLE action_step("
	"  action INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX action_step_action ON action_step(action);",
};

int
store_schema_count(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

const char *
store_schema_migration(int from)
{
	if (from < 0 || from >= store_schema_count())
		return NULL;
	return migrations[from];
}
