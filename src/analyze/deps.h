/*
 * Installed packages of a code package, read from its files (one call per
 * file, from the package reader's callback): lock files and what is actually
 * installed, since deployed packages rarely carry lock files.
 *
 * npm (names as they are):
 *   package-lock.json, npm-shrinkwrap.json, node_modules/.package-lock.json:
 *     v1 nested "dependencies"; v2/v3 "packages" keyed by node_modules/...
 *     paths (the root "" entry, "link": true entries and workspace folders
 *     are not installed packages: skipped; an alias's "name" wins);
 *   yarn.lock: classic v1 and berry ("__metadata", "resolution:");
 *     workspace and link entries skipped;
 *   pnpm-lock.yaml: packages:/snapshots: keys of lockfile 5.x ("/name/1.2.3",
 *     peers "_..."), 6.x ("/name@1.2.3") and 9.x ("name@1.2.3"), peers "(...)";
 *   node_modules/<name>/package.json and node_modules/@scope/<name>/package.json
 *     at any depth of nested node_modules: "name" and "version".
 * PyPI (names normalised per PEP 503: lower case, runs of -_. become -):
 *   requirements*.txt: exact pins only ("name==1.2.3", "name[extra]===1.2.3");
 *     options (-r, -e, --hash), comments, markers after ';', URLs skipped;
 *   Pipfile.lock: "default" and "develop", "version": "==1.2.3";
 *   poetry.lock and uv.lock: [[package]] name = / version = (directory,
 *     file and editable sources skipped);
 *   *.dist-info/METADATA, *.egg-info/PKG-INFO, EGG-INFO/PKG-INFO and a
 *     *.egg-info file: the Name: and Version: headers (the body is not read);
 *     the *.dist-info folder name ("name-1.2.3.dist-info") when another file
 *     of that folder (RECORD, WHEEL, INSTALLER) is seen.
 * Lock files inside node_modules/ or site-packages/ belong to a dependency's
 * own development, not to what is installed: not read.
 * Versions that are not a registry version (file:, git, URLs, workspace:)
 * are skipped. Layers (nodejs/, nodejs/node18/, python/lib/python3.x/
 * site-packages/) need nothing special: every rule looks at path suffixes.
 *
 * Parsers are tolerant and linear in their input: a broken file adds what
 * could be read and one note, never fails. There is no YAML or TOML
 * library: each reader handles exactly the lines its lock format writes.
 */
#ifndef SHEARS_ANALYZE_DEPS_H
#define SHEARS_ANALYZE_DEPS_H

#include <stddef.h>

struct package_entry;

struct dep {
	char ecosystem[8]; /* "npm" or "PyPI" (OSV's names) */
	char *name;        /* owned */
	char *version;     /* owned */
	char *source;      /* owned: the file it was first read from */
};

#define DEPS_NOTES_MAX 100 /* more are counted in dropped_notes */

struct deps {
	struct dep *v; /* owned, in the order first seen */
	size_t n, cap;
	char **notes; /* owned: "path: what could not be read" */
	size_t n_notes, dropped_notes;
	size_t *slots; /* de-duplication index: 0 empty, else 1 + position in v */
	size_t n_slots;
};

/* Zeroes d; nothing is allocated until the first dependency. */
void deps_init(struct deps *d);

/*
 * Reads len bytes of the file at path (as the package reader names it) when
 * it is a source listed above. Returns 1 when path was such a source (read,
 * or noted as broken), 0 when it is none of this reader's business.
 */
int deps_from_file(struct deps *d, const char *path, const void *data, size_t len);

/* A package_entry_fn: ctx is a struct deps. Always returns 0. */
int deps_entry_fn(const struct package_entry *e, void *ctx);

/*
 * Adds one dependency (copies every string) unless (ecosystem, name,
 * version) is already there: the first source is kept. PyPI names are
 * normalised here. Returns 1 when added, 0 when it was a duplicate or a
 * string was empty.
 */
int deps_add(struct deps *d, const char *ecosystem, const char *name, size_t name_len,
             const char *version, size_t version_len, const char *source);

/* PEP 503: lower case, each run of '-', '_', '.' becomes one '-'. Returns out. */
char *deps_pep503(char *out, size_t n, const char *name, size_t len);

/* Frees every dependency and note. Safe twice. */
void deps_free(struct deps *d);

#endif
