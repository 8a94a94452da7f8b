/*
 * Advisories and dependencies in the cache (store/advisory.h).
 *
 * Invariants:
 *  1. An import is one write transaction (BEGIN IMMEDIATE ... COMMIT): a
 *     failed import leaves the previous advisories as they were.
 *  2. advisory holds every imported record (withdrawn ones too, so a later
 *     older copy does not bring them back); advisory_pkg holds rows only
 *     for records not withdrawn, one per (advisory, ecosystem, normalised
 *     name), so matching never reads a withdrawn record.
 *  3. A record replaces its stored copy only when its modified time is
 *     newer (import_record()); its advisory_pkg rows go with it.
 *  4. Matching reads advisory_pkg alone (it carries what a match shows), one
 *     b-tree descent per distinct package in one read transaction, and
 *     parses each row's ranges once for all the installed versions of that
 *     package (advisories_match()).
 */
#include "store/advisory.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "analyze/osv.h"
#include "store/store_int.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define WALK_DEPTH_MAX 32

struct import {
	struct store *s;
	struct advisory_import_stats *stats;
	sqlite3_stmt *get, *put, *del_pkgs, *put_pkg;
	char *data; /* one entry, ADVISORY_ENTRY_MAX + 1 bytes */
	uint64_t total;
};

static int
step_done(struct store *s, sqlite3_stmt *st, struct err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sql_err(s, "write", err);
	return 0;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* ---- one record ---- */

struct pkg_ref {
	const char *ecosystem, *name;
	size_t idx;
};

static int
pkg_ref_cmp(const void *pa, const void *pb)
{
	const struct pkg_ref *a = pa, *b = pb;
	int c = strcmp(a->ecosystem, b->ecosystem);

	if (!c)
		c = strcmp(a->name, b->name);
	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

static int
same_package(const struct pkg_ref *a, const struct pkg_ref *b)
{
	return !strcmp(a->ecosystem, b->ecosystem) && !strcmp(a->name, b->name);
}

/* One advisory_pkg row per distinct (ecosystem, normalised name) of the record. */
static int
put_packages(struct import *im, const struct osv_record *r, const char *aliases, struct err *err)
{
	const struct osv_affected_list *list = &r->affected;
	struct pkg_ref *refs = xcalloc(list->n ? list->n : 1, sizeof(*refs));
	size_t *idx = xcalloc(list->n ? list->n : 1, sizeof(*idx));
	size_t i, n = 0, start;
	int rc = 0;

	for (i = 0; i < list->n; i++) {
		if (!*list->v[i].ecosystem || !*list->v[i].match_name)
			continue;
		refs[n].ecosystem = osv_ecosystem_name(list->v[i].ecosystem);
		refs[n].name = list->v[i].match_name;
		refs[n++].idx = i;
	}
	if (n)
		qsort(refs, n, sizeof(*refs), pkg_ref_cmp);
	for (start = 0; !rc && start < n; start = i) {
		char *ranges;
		size_t k = 0;

		for (i = start; i < n && same_package(&refs[start], &refs[i]); i++)
			idx[k++] = refs[i].idx;
		ranges = osv_compact_entries(list, idx, k);
		bind_text(im->put_pkg, 1, refs[start].ecosystem);
		bind_text(im->put_pkg, 2, refs[start].name);
		bind_text(im->put_pkg, 3, r->id);
		bind_text(im->put_pkg, 4, severity_name(r->severity));
		bind_text(im->put_pkg, 5, r->summary);
		bind_text(im->put_pkg, 6, aliases);
		bind_text(im->put_pkg, 7, ranges);
		rc = step_done(im->s, im->put_pkg, err);
		free(ranges);
	}
	free(idx);
	free(refs);
	return rc;
}

static char *
join_aliases(const struct osv_record *r)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < r->n_aliases; i++)
		if (buf_puts(&b, i ? "," : "") || buf_puts(&b, r->aliases[i]))
			return xstrdup(""); /* over 64 MiB of aliases: the record is absurd */
	return buf_take(&b, NULL);
}

/* 1 when the stored copy of id is at least as new as modified_ms, 0 when absent or older. */
static int
stored_is_current(struct import *im, const char *id, int64_t modified_ms, int *present,
                  struct err *err)
{
	int rc, current = 0;

	bind_text(im->get, 1, id);
	rc = sqlite3_step(im->get);
	*present = rc == SQLITE_ROW;
	if (*present)
		current = sqlite3_column_int64(im->get, 0) >= modified_ms;
	sqlite3_reset(im->get);
	sqlite3_clear_bindings(im->get);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sql_err(im->s, "read advisory", err);
		return -1;
	}
	return current;
}

static int
import_record(struct import *im, const struct osv_record *r, struct err *err)
{
	const char *eco = r->affected.n ? osv_ecosystem_name(r->affected.v[0].ecosystem) : "";
	int present, current = stored_is_current(im, r->id, r->modified_ms, &present, err);
	char *aliases;
	int rc;

	if (current < 0)
		return err ? err->code : ERR_IO;
	if (current) {
		im->stats->unchanged++;
		return 0;
	}
	aliases = join_aliases(r);
	bind_text(im->put, 1, r->id);
	bind_text(im->put, 2, eco);
	bind_text(im->put, 3, r->modified);
	sqlite3_bind_int64(im->put, 4, r->modified_ms);
	bind_text(im->put, 5, r->published);
	bind_text(im->put, 6, r->withdrawn);
	bind_text(im->put, 7, r->summary);
	bind_text(im->put, 8, severity_name(r->severity));
	bind_text(im->put, 9, aliases);
	rc = step_done(im->s, im->put, err);
	if (!rc && present) {
		bind_text(im->del_pkgs, 1, r->id);
		rc = step_done(im->s, im->del_pkgs, err);
	}
	if (!rc && !r->withdrawn)
		rc = put_packages(im, r, aliases, err);
	free(aliases);
	if (rc)
		return rc;
	*(present ? &im->stats->replaced : &im->stats->added) += 1;
	im->stats->withdrawn += r->withdrawn != NULL;
	return 0;
}

/* An entry of the export: a record, or something to skip and count. */
static int
import_entry(struct import *im, const char *name, const char *data, size_t len, struct err *err)
{
	struct osv_record r;
	struct err perr = { 0 };
	int rc;

	if (++im->stats->records > ADVISORY_ENTRIES_MAX)
		return err_set(err, ERR_LIMIT, "more than %ld advisories in one import",
		               ADVISORY_ENTRIES_MAX);
	im->total += len;
	if (im->total > ADVISORY_TOTAL_MAX)
		return err_set(err, ERR_LIMIT, "more than %llu bytes of advisories in one import",
		               (unsigned long long)ADVISORY_TOTAL_MAX);
	if (osv_parse(data, len, &r, &perr)) {
		if (!im->stats->skipped++)
			snprintf(im->stats->first_skipped, sizeof(im->stats->first_skipped),
			         "%.128s: %.180s", name, perr.msg);
		return 0;
	}
	rc = import_record(im, &r, err);
	osv_record_release(&r);
	return rc;
}

/* ---- sources: a zip, a directory, a file ---- */

static int
ends_with_json(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

static int
read_zip_entry(struct import *im, zip_t *za, zip_uint64_t i, const char *name, struct err *err)
{
	zip_file_t *zf = zip_fopen_index(za, i, 0);
	zip_int64_t got;
	size_t len = 0;

	if (!zf)
		return err_set(err, ERR_PARSE, "zip entry '%.200s': %s", name, zip_strerror(za));
	while (len <= ADVISORY_ENTRY_MAX &&
	       (got = zip_fread(zf, im->data + len, ADVISORY_ENTRY_MAX + 1 - len)) > 0)
		len += (size_t)got;
	if (len <= ADVISORY_ENTRY_MAX && got < 0) {
		int rc = err_set(err, ERR_PARSE, "zip entry '%.200s': %s", name,
		                 zip_file_strerror(zf));

		zip_fclose(zf);
		return rc;
	}
	zip_fclose(zf);
	if (len > ADVISORY_ENTRY_MAX)
		return err_set(err, ERR_LIMIT, "zip entry '%.200s' is over %zu bytes", name,
		               ADVISORY_ENTRY_MAX);
	return import_entry(im, name, im->data, len, err);
}

static int
import_zip(struct import *im, const char *path, struct err *err)
{
	int zerr = 0, rc = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	zip_int64_t n;
	zip_uint64_t i;

	if (!za) {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zerr);
		rc = err_set(err, ERR_PARSE, "'%s' is not an OSV export zip: %s", path,
		             zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	n = zip_get_num_entries(za, 0);
	if (n > ADVISORY_ENTRIES_MAX)
		rc = err_set(err, ERR_LIMIT, "'%s' has %lld entries (limit %ld)", path,
		             (long long)n, ADVISORY_ENTRIES_MAX);
	for (i = 0; !rc && n > 0 && i < (zip_uint64_t)n; i++) {
		zip_stat_t st;

		if (zip_stat_index(za, i, 0, &st) || !st.name || !ends_with_json(st.name))
			continue;
		if ((st.valid & ZIP_STAT_SIZE) && st.size > ADVISORY_ENTRY_MAX)
			rc = err_set(err, ERR_LIMIT, "zip entry '%.200s' is over %zu bytes",
			             st.name, ADVISORY_ENTRY_MAX);
		else
			rc = read_zip_entry(im, za, i, st.name, err);
	}
	zip_discard(za);
	return rc;
}

static int
import_file(struct import *im, const char *path, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = 0;
	ssize_t got = 0;

	if (fd < 0)
		return err_set(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	while (len <= ADVISORY_ENTRY_MAX &&
	       (got = read(fd, im->data + len, ADVISORY_ENTRY_MAX + 1 - len)) > 0)
		len += (size_t)got;
	close(fd);
	if (got < 0)
		return err_set(err, ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	if (len > ADVISORY_ENTRY_MAX)
		return err_set(err, ERR_LIMIT, "'%s' is over %zu bytes", path, ADVISORY_ENTRY_MAX);
	return import_entry(im, path, im->data, len, err);
}

static int
import_dir(struct import *im, const char *dir, int depth, struct err *err)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > WALK_DEPTH_MAX)
		return err_set(err, ERR_LIMIT, "'%s' is nested over %d levels", dir,
		               WALK_DEPTH_MAX);
	d = opendir(dir);
	if (!d)
		return err_set(err, ERR_IO, "cannot open '%s': %s", dir, strerror(errno));
	while (!rc && (e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue; /* ., .., and hidden entries such as .git */
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			rc = import_dir(im, path, depth + 1, err);
		else if (S_ISREG(st.st_mode) && ends_with_json(e->d_name))
			rc = import_file(im, path, err);
	}
	closedir(d);
	return rc;
}

static int
import_prepare(struct import *im, struct err *err)
{
	struct store *s = im->s;

	if (store_prepare(s, "SELECT modified_ms FROM advisory WHERE id = ?", &im->get, err) ||
	    store_prepare(s,
	                  "INSERT OR REPLACE INTO advisory(id, ecosystem, modified, modified_ms,"
	                  " published, withdrawn, summary, severity, aliases)"
	                  " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                  &im->put, err) ||
	    store_prepare(s, "DELETE FROM advisory_pkg WHERE advisory = ?", &im->del_pkgs, err) ||
	    store_prepare(s,
	                  "INSERT OR REPLACE INTO advisory_pkg(ecosystem, name, advisory, severity,"
	                  " summary, aliases, ranges) VALUES(?, ?, ?, ?, ?, ?, ?)",
	                  &im->put_pkg, err))
		return err ? err->code : ERR_IO;
	return 0;
}

static int
import_note(struct store *s, const char *path, struct err *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	rc = store_prepare(s, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", &st, err);
	if (rc)
		return rc;
	bind_text(st, 1, "advisories.imported_at");
	bind_text(st, 2, now);
	rc = step_done(s, st, err);
	if (!rc) {
		bind_text(st, 1, "advisories.source");
		bind_text(st, 2, path);
		rc = step_done(s, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
import_source(struct import *im, const char *path, struct err *err)
{
	struct stat st;

	if (stat(path, &st))
		return err_set(err, errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "cannot read '%s': %s",
		               path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return import_dir(im, path, 0, err);
	if (ends_with_json(path))
		return import_file(im, path, err);
	return import_zip(im, path, err);
}

int
advisories_import(struct store *s, const char *path, struct advisory_import_stats *stats,
                  struct err *err)
{
	struct advisory_import_stats local;
	struct import im = { .s = s, .stats = stats ? stats : &local };
	int rc;

	memset(im.stats, 0, sizeof(*im.stats));
	if (s->readonly)
		return err_set(err, ERR_USAGE, "cache '%s' is open read-only", s->path);
	if (s->in_scan)
		return err_set(err, ERR_USAGE, "a scan is being written to '%s'", s->path);
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (!rc)
		rc = import_prepare(&im, err);
	if (!rc) {
		im.data = xmalloc(ADVISORY_ENTRY_MAX + 1);
		rc = import_source(&im, path, err);
	}
	if (!rc)
		rc = import_note(s, path, err);
	sqlite3_finalize(im.get);
	sqlite3_finalize(im.put);
	sqlite3_finalize(im.del_pkgs);
	sqlite3_finalize(im.put_pkg);
	free(im.data);
	if (!rc)
		rc = store_exec(s, "COMMIT", err);
	if (rc)
		store_exec(s, "ROLLBACK", NULL);
	return rc;
}

/* ---- matching ---- */

struct dep_ref {
	size_t idx;
	const char *ecosystem; /* OSV spelling */
	char *name;            /* normalised */
};

static int
dep_ref_cmp(const void *pa, const void *pb)
{
	const struct dep_ref *a = pa, *b = pb;
	int c = strcmp(a->ecosystem, b->ecosystem);

	if (!c)
		c = strcmp(a->name, b->name);
	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

static int
match_cmp(const void *pa, const void *pb)
{
	const struct advisory_match *a = pa, *b = pb;

	if (a->dep != b->dep)
		return a->dep < b->dep ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return strcmp(a->id, b->id);
}

struct match_sink {
	struct advisory_matches *out;
	size_t cap, cap_unparsed;
	unsigned char *is_unparsed; /* per dep */
};

static void
add_match(struct match_sink *k, size_t dep, sqlite3_stmt *row, const char *fix)
{
	struct advisory_match *m;
	enum severity sev = SEV_MEDIUM;

	if (k->out->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->out->v = xrealloc(k->out->v, k->cap * sizeof(*k->out->v));
	}
	m = &k->out->v[k->out->n++];
	severity_parse((const char *)sqlite3_column_text(row, 4), &sev);
	m->dep = dep;
	m->id = xstrdup((const char *)sqlite3_column_text(row, 1));
	m->summary = xstrdup((const char *)sqlite3_column_text(row, 2));
	m->aliases = xstrdup((const char *)sqlite3_column_text(row, 3));
	m->severity = sev;
	m->first_fixed = fix ? xstrdup(fix) : NULL;
}

static void
add_unparsed(struct match_sink *k, size_t dep)
{
	if (k->is_unparsed[dep]++)
		return;
	if (k->out->n_unparsed == k->cap_unparsed) {
		k->cap_unparsed = k->cap_unparsed ? k->cap_unparsed * 2 : 16;
		k->out->unparsed =
		        xrealloc(k->out->unparsed, k->cap_unparsed * sizeof(*k->out->unparsed));
	}
	k->out->unparsed[k->out->n_unparsed++] = dep;
}

/* Every candidate advisory of one package against refs[0..n), its installed versions. */
static int
match_package(struct store *s, sqlite3_stmt *q, const struct store_dep *deps,
              const struct dep_ref *refs, size_t n, struct match_sink *k, struct err *err)
{
	int rc;

	bind_text(q, 1, refs[0].ecosystem);
	bind_text(q, 2, refs[0].name);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct osv_affected_list list;
		size_t i;

		if (osv_affected_parse((const char *)sqlite3_column_text(q, 0),
		                       (size_t)sqlite3_column_bytes(q, 0), &list, NULL)) {
			for (i = 0; i < n; i++) /* a damaged row: say so rather than stay silent */
				add_unparsed(k, refs[i].idx);
			continue;
		}
		for (i = 0; i < n; i++) {
			struct osv_verdict v;

			if (osv_affected_check(&list, NULL, NULL, deps[refs[i].idx].version, &v))
				add_unparsed(k, refs[i].idx);
			else if (v.affected)
				add_match(k, refs[i].idx, q, v.first_fixed);
		}
		osv_affected_release(&list);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE ? 0 : store_sql_err(s, "match advisories", err);
}

/* 1 when id is one of the comma-separated aliases. */
static int
in_aliases(const char *aliases, const char *id)
{
	size_t n = strlen(id);
	const char *p;

	for (p = aliases; (p = strstr(p, id)); p += n)
		if ((p == aliases || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/*
 * osv.dev's exports hold several copies of one issue (PYSEC-2022-190 and
 * GHSA-2gwj-7jmv-h26r name each other): per dep, a match that is an alias
 * of one listed before it (higher severity, then lower id) is left out.
 */
static void
drop_aliases(struct advisory_matches *m)
{
	size_t i, j, kept = 0, first = 0;

	for (i = 0; i < m->n; i++) {
		struct advisory_match *x = &m->v[i];
		int dup = 0;

		if (!i || x->dep != m->v[i - 1].dep)
			first = kept; /* the kept matches of x's dep start here */
		for (j = first; j < kept && !dup; j++)
			dup = in_aliases(m->v[j].aliases, x->id) ||
			      in_aliases(x->aliases, m->v[j].id);
		if (dup) {
			free((char *)x->id);
			free((char *)x->summary);
			free((char *)x->aliases);
			free((char *)x->first_fixed);
			continue;
		}
		m->v[kept++] = *x;
	}
	m->n = kept;
}

int
advisories_match(struct store *s, const struct store_dep *deps, size_t n,
                 struct advisory_matches *out, struct err *err)
{
	struct dep_ref *refs = xcalloc(n ? n : 1, sizeof(*refs));
	struct match_sink k = { .out = out, .is_unparsed = xcalloc(n ? n : 1, 1) };
	sqlite3_stmt *q = NULL;
	size_t i, start;
	int rc, own_txn;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		char name[512];

		refs[i].idx = i;
		refs[i].ecosystem = osv_ecosystem_name(deps[i].ecosystem);
		refs[i].name = xstrdup(
		        osv_package_name(deps[i].ecosystem, deps[i].name, name, sizeof(name)));
	}
	if (n)
		qsort(refs, n, sizeof(*refs), dep_ref_cmp);
	/* one read transaction: one shared lock, not one per package */
	own_txn = sqlite3_get_autocommit(s->db) && !store_exec(s, "BEGIN", NULL);
	rc = store_prepare(s,
	                   "SELECT ranges, advisory, summary, aliases, severity FROM advisory_pkg"
	                   " WHERE ecosystem = ? AND name = ?",
	                   &q, err);
	for (start = 0; !rc && start < n; start = i) {
		for (i = start + 1; i < n && !strcmp(refs[i].ecosystem, refs[start].ecosystem) &&
		                    !strcmp(refs[i].name, refs[start].name);
		     i++)
			;
		rc = match_package(s, q, deps, refs + start, i - start, &k, err);
	}
	sqlite3_finalize(q);
	if (own_txn)
		store_exec(s, "COMMIT", NULL);
	for (i = 0; i < n; i++)
		free(refs[i].name);
	free(refs);
	free(k.is_unparsed);
	if (rc) {
		advisory_matches_release(out);
		return rc;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), match_cmp);
	drop_aliases(out);
	return 0;
}

void
advisory_matches_release(struct advisory_matches *m)
{
	size_t i;

	for (i = 0; m->v && i < m->n; i++) {
		free((char *)m->v[i].id);
		free((char *)m->v[i].summary);
		free((char *)m->v[i].aliases);
		free((char *)m->v[i].first_fixed);
	}
	free(m->v);
	free(m->unparsed);
	memset(m, 0, sizeof(*m));
}

/* ---- what the cache holds ---- */

static int
summary_counts(struct store *s, struct advisory_summary *out, struct err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step, rc = store_prepare(
	                  s,
	                  "SELECT ecosystem, count(*), sum(withdrawn IS NOT NULL) FROM advisory"
	                  " GROUP BY ecosystem ORDER BY ecosystem",
	                  &st, err);

	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long all = sqlite3_column_int64(st, 1), gone = sqlite3_column_int64(st, 2);

		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		snprintf(out->v[out->n].ecosystem, sizeof(out->v[0].ecosystem), "%s",
		         (const char *)sqlite3_column_text(st, 0));
		out->v[out->n++].n = all - gone;
		out->total += all - gone;
		out->withdrawn += gone;
	}
	rc = step == SQLITE_DONE ? 0 : store_sql_err(s, "count advisories", err);
	sqlite3_finalize(st);
	return rc;
}

static int
summary_meta(struct store *s, struct advisory_summary *out, struct err *err)
{
	sqlite3_stmt *st;
	int step, rc = store_prepare(s, "SELECT key, value FROM meta WHERE key LIKE 'advisories.%'",
	                             &st, err);

	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const char *value = (const char *)sqlite3_column_text(st, 1);

		if (!strcmp(key, "advisories.imported_at"))
			out->imported_at = strtoll(value, NULL, 10);
		else if (!strcmp(key, "advisories.source"))
			snprintf(out->source, sizeof(out->source), "%s", value);
	}
	rc = step == SQLITE_DONE ? 0 : store_sql_err(s, "read meta", err);
	sqlite3_finalize(st);
	return rc;
}

int
advisories_summary(struct store *s, struct advisory_summary *out, struct err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = summary_counts(s, out, err);
	if (!rc)
		rc = summary_meta(s, out, err);
	if (rc)
		advisory_summary_release(out);
	return rc;
}

void
advisory_summary_release(struct advisory_summary *sum)
{
	free(sum->v);
	memset(sum, 0, sizeof(*sum));
}

/* ---- dependencies ---- */

static int
deps_write(struct store *s, const char *code_sha, const struct store_dep *deps, size_t n,
           struct err *err)
{
	sqlite3_stmt *del = NULL, *put = NULL;
	size_t i;
	int rc = store_prepare(s, "DELETE FROM dependency WHERE code_sha = ?", &del, err);

	if (!rc)
		rc = store_prepare(
		        s,
		        "INSERT OR IGNORE INTO dependency(code_sha, ecosystem, name, version,"
		        " source) VALUES(?, ?, ?, ?, ?)",
		        &put, err);
	if (!rc) {
		bind_text(del, 1, code_sha);
		rc = step_done(s, del, err);
	}
	for (i = 0; !rc && i < n; i++) {
		bind_text(put, 1, code_sha);
		bind_text(put, 2, osv_ecosystem_name(deps[i].ecosystem));
		bind_text(put, 3, deps[i].name);
		bind_text(put, 4, deps[i].version);
		bind_text(put, 5, deps[i].source ? deps[i].source : "");
		rc = step_done(s, put, err);
	}
	sqlite3_finalize(del);
	sqlite3_finalize(put);
	return rc;
}

int
store_dependencies_put(struct store *s, const char *code_sha, const struct store_dep *deps,
                       size_t n, struct err *err)
{
	int rc;

	if (s->readonly)
		return err_set(err, ERR_USAGE, "cache '%s' is open read-only", s->path);
	if (s->in_scan) /* the scan's transaction carries it */
		return deps_write(s, code_sha, deps, n, err);
	rc = store_exec(s, "BEGIN IMMEDIATE", err);
	if (!rc)
		rc = deps_write(s, code_sha, deps, n, err);
	if (!rc)
		rc = store_exec(s, "COMMIT", err);
	if (rc)
		store_exec(s, "ROLLBACK", NULL);
	return rc;
}

static const char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return xstrdup(t ? (const char *)t : "");
}

int
store_dependencies_get(struct store *s, const char *code_sha, struct store_deps *out,
                       struct err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(
	        s,
	        "SELECT code_sha, ecosystem, name, version, source FROM dependency"
	        " WHERE ?1 IS NULL OR code_sha = ?1 ORDER BY code_sha, ecosystem, name, version",
	        &st, err);
	if (rc)
		return rc;
	bind_text(st, 1, code_sha);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
			out->code_sha = xrealloc(out->code_sha, cap * sizeof(*out->code_sha));
		}
		out->code_sha[out->n] = col_dup(st, 0);
		out->v[out->n].ecosystem = col_dup(st, 1);
		out->v[out->n].name = col_dup(st, 2);
		out->v[out->n].version = col_dup(st, 3);
		out->v[out->n++].source = col_dup(st, 4);
	}
	rc = rc == SQLITE_DONE ? 0 : store_sql_err(s, "read dependencies", err);
	sqlite3_finalize(st);
	if (rc)
		store_deps_release(out);
	return rc;
}

void
store_deps_release(struct store_deps *d)
{
	size_t i;

	for (i = 0; d->v && i < d->n; i++) {
		free((char *)d->code_sha[i]);
		free((char *)d->v[i].ecosystem);
		free((char *)d->v[i].name);
		free((char *)d->v[i].version);
		free((char *)d->v[i].source);
	}
	free(d->v);
	free(d->code_sha);
	memset(d, 0, sizeof(*d));
}
