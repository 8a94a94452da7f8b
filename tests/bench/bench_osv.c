/*
 * The advisory store at the size of the real exports (issue 6). osv.dev's
 * npm and PyPI exports cannot be fetched here, so this writes a synthetic
 * export of their size and shape into DIR:
 *   npm-all.zip   20,000 GHSA-like records (details, references, CVSS,
 *                 database_specific; one to three branch ranges over 6,000
 *                 packages) and 200,000 MAL- malicious-package records, each
 *                 naming one package of its own (introduced 0 and a versions
 *                 list), as ossf/malicious-packages publishes them;
 *   pypi-all.zip  15,000 GHSA/PYSEC-like records over 5,000 packages, a
 *                 third with explicit versions lists.
 * Then it times, on a fresh cache in DIR,
 *   - advisories_import() of both zips (budget: < 60 s),
 *   - advisories_match() of 10,000 installed packages (budget: < 100 ms):
 *     4,000 npm packages with advisories, 1,000 malicious ones, 2,000 PyPI
 *     ones, 3,000 with none; the first call and a second one.
 *
 * usage: bench_osv DIR [RUNS]   (RUNS > 0: only match RUNS times on DIR's cache)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "store/advisory.h"
#include "store/store.h"
#include "util/buf.h"

#define N_NPM_GHSA  20000
#define N_NPM_MAL   200000
#define N_PYPI      15000
#define NPM_PKGS    6000
#define PYPI_PKGS   5000
#define N_INSTALLED 10000

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static unsigned long rng_state = 88172645463325252UL;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static const char lorem[] =
        "An attacker who controls the input can cause the parser to allocate memory without "
        "bound or to write properties onto Object.prototype, which other code then reads as "
        "if they were its own. Applications that pass user input through the affected "
        "functions are exposed; upgrade to the fixed version or validate keys before use. ";

static void
common_tail(struct buf *b, const char *sev, const char *vector)
{
	int i;

	buf_puts(b, ",\"references\":[");
	for (i = 0; i < 8; i++)
		buf_printf(
		        b,
		        "%s{\"type\":\"WEB\",\"url\":\"https://github.com/example/repo/issues/%d\"}",
		        i ? "," : "", 1000 + rnd(9000));
	buf_printf(
	        b,
	        "],\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"%s\"}],"
	        "\"database_specific\":{\"cwe_ids\":[\"CWE-1321\",\"CWE-770\"],\"severity\":\"%s\","
	        "\"github_reviewed\":true,\"github_reviewed_at\":\"2023-05-22T20:46:55Z\","
	        "\"nvd_published_at\":null}}",
	        vector, sev);
}

static const char *const sevs[] = { "LOW", "MODERATE", "HIGH", "CRITICAL" };
static const char *const vectors[] = { "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H",
	                               "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	                               "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N" };

/* One to three branch lines: [M.0.0, M.m.p) each, the lowest from 0. */
static void
branch_ranges(struct buf *b, const char *eco, const char *name, int n_lines)
{
	int i;

	for (i = 0; i < n_lines; i++) {
		int major = n_lines - 1 - i;
		char intro[32];

		snprintf(intro, sizeof(intro), "%d.0.0", major);
		buf_printf(
		        b,
		        "%s{\"package\":{\"ecosystem\":\"%s\",\"name\":\"%s\"},"
		        "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"%s\"},"
		        "{\"fixed\":\"%d.%u.%u\"}]}]}",
		        i ? "," : "", eco, name, major ? intro : "0", major, rnd(20), 1 + rnd(20));
	}
}

static char *
ghsa_record(int i, const char *eco, const char *name, size_t *len)
{
	struct buf b;
	int n_lines = 1 + rnd(3);

	buf_init(&b, 0);
	buf_printf(&b,
	           "{\"schema_version\":\"1.4.0\",\"id\":\"GHSA-%04x-%04x-%04x\","
	           "\"modified\":\"2024-0%u-1%uT10:20:30Z\",\"published\":\"2021-03-04T05:06:07Z\","
	           "\"aliases\":[\"CVE-202%u-%05d\"],\"summary\":\"Prototype pollution in %s\","
	           "\"details\":\"%s%s\",\"affected\":[",
	           i, (unsigned)i * 7919 % 65536, (unsigned)i * 104729 % 65536, 1 + rnd(9), rnd(10),
	           rnd(5), i, name, lorem, lorem);
	branch_ranges(&b, eco, name, n_lines);
	buf_puts(&b, "]");
	common_tail(&b, sevs[rnd(4)], vectors[rnd(3)]);
	return buf_take(&b, len);
}

static char *
mal_record(int i, size_t *len)
{
	struct buf b;

	buf_init(&b, 0);
	buf_printf(
	        &b,
	        "{\"modified\":\"2024-05-0%uT01:02:03Z\",\"published\":\"2024-05-01T01:02:03Z\","
	        "\"schema_version\":\"1.5.0\",\"id\":\"MAL-2024-%d\","
	        "\"summary\":\"Malicious code in mal-pkg-%06d (npm)\","
	        "\"details\":\"\\n---\\n_-= Per source details. Do not edit below this line.=-_\\n\\n"
	        "## Source: ghsa-malware (db2b1a)\\nAny computer that has this package installed or "
	        "running should be considered fully compromised. All secrets and keys stored on "
	        "that computer should be rotated immediately from a different computer.\\n\","
	        "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"mal-pkg-%06d\"},"
	        "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}],"
	        "\"versions\":[\"1.0.0\",\"1.0.1\",\"9.9.9\"],"
	        "\"database_specific\":{\"cwes\":[{\"cweId\":\"CWE-506\",\"name\":\"Embedded "
	        "Malicious Code\"}]}}],"
	        "\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://github.com/advisories/"
	        "GHSA-0000-0000-0000\"}],"
	        "\"database_specific\":{\"malicious-packages-origins\":[{\"import_time\":"
	        "\"2024-05-02T00:00:00Z\",\"modified_time\":\"2024-05-01T01:02:03Z\","
	        "\"sha256\":\"4b7e3b7f1bb0c3a8c1f1b5a4a0c1e0c1e0c1e0c1e0c1e0c1e0c1e0c1e0c1e0c1\","
	        "\"source\":\"ghsa-malware\",\"versions\":[\"1.0.0\"]}]}}",
	        1 + rnd(9), i, i, i);
	return buf_take(&b, len);
}

static char *
pypi_record(int i, size_t *len)
{
	char name[64];
	struct buf b;

	snprintf(name, sizeof(name), "Py_Pkg.%05d", i % PYPI_PKGS);
	if (i % 3)
		return ghsa_record(N_NPM_GHSA + i, "PyPI", name, len);
	/* PYSEC shape: a range plus the explicit versions it covers */
	buf_init(&b, 0);
	buf_printf(&b,
	           "{\"id\":\"PYSEC-2023-%d\",\"modified\":\"2023-11-0%uT00:00:00.123456Z\","
	           "\"aliases\":[\"CVE-2023-%05d\",\"GHSA-aaaa-bbbb-%04x\"],\"details\":\"%s\","
	           "\"affected\":[{\"package\":{\"name\":\"%s\",\"ecosystem\":\"PyPI\","
	           "\"purl\":\"pkg:pypi/%s\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":"
	           "[{\"introduced\":\"0\"},{\"fixed\":\"2.%u\"}]}],\"versions\":[",
	           i, 1 + rnd(9), i, (unsigned)i % 65536, lorem, name, name, 5 + rnd(10));
	{
		int v;

		for (v = 0; v < 20; v++)
			buf_printf(&b, "%s\"1.%d\"", v ? "," : "", v);
	}
	buf_puts(&b, "]}]}");
	return buf_take(&b, len);
}

static void
add_entry(zip_t *za, const char *name, char *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(za, data, len, 1); /* libzip frees data */

	if (!src || zip_file_add(za, name, src, 0) < 0) {
		fprintf(stderr, "bench_osv: zip: %s\n", zip_strerror(za));
		exit(1);
	}
}

static void
write_npm(const char *path)
{
	int zerr, i;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	char name[64], pkg[64], *data;
	size_t len;

	for (i = 0; za && i < N_NPM_GHSA; i++) {
		/* a few packages carry many advisories, as lodash and qs do */
		snprintf(pkg, sizeof(pkg), "pkg-gh-%05u",
		         i % 10 ? (unsigned)i % NPM_PKGS : rnd(50));
		snprintf(name, sizeof(name), "GHSA-%d.json", i);
		data = ghsa_record(i, "npm", pkg, &len);
		add_entry(za, name, data, len);
	}
	for (i = 0; za && i < N_NPM_MAL; i++) {
		snprintf(name, sizeof(name), "MAL-2024-%d.json", i);
		data = mal_record(i, &len);
		add_entry(za, name, data, len);
	}
	if (!za || zip_close(za)) {
		fprintf(stderr, "bench_osv: cannot write %s\n", path);
		exit(1);
	}
}

static void
write_pypi(const char *path)
{
	int zerr, i;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	char name[64], *data;
	size_t len;

	for (i = 0; za && i < N_PYPI; i++) {
		snprintf(name, sizeof(name), "PYPI-%d.json", i);
		data = pypi_record(i, &len);
		add_entry(za, name, data, len);
	}
	if (!za || zip_close(za)) {
		fprintf(stderr, "bench_osv: cannot write %s\n", path);
		exit(1);
	}
}

static struct store_dep *
installed(char (*names)[64], char (*versions)[32])
{
	struct store_dep *d = calloc(N_INSTALLED, sizeof(*d));
	int i;

	for (i = 0; i < N_INSTALLED; i++) {
		d[i].ecosystem = "npm";
		if (i < 4000) {
			snprintf(names[i], 64, "pkg-gh-%05u", rnd(NPM_PKGS));
		} else if (i < 5000) {
			snprintf(names[i], 64, "mal-pkg-%06u", rnd(N_NPM_MAL));
		} else if (i < 7000) {
			d[i].ecosystem = "PyPI";
			snprintf(names[i], 64, "py-pkg-%05u",
			         rnd(PYPI_PKGS)); /* PEP 503 spelling */
		} else {
			snprintf(names[i], 64, "clean-pkg-%05d", i);
		}
		snprintf(versions[i], 32, "%u.%u.%u", rnd(3), rnd(20), rnd(25));
		d[i].name = names[i];
		d[i].version = versions[i];
	}
	return d;
}

static void
die(const char *what, const struct err *err)
{
	fprintf(stderr, "bench_osv: %s: %s\n", what, err->msg);
	exit(1);
}

static void
bench_match(struct store *s, int runs)
{
	static char names[N_INSTALLED][64], versions[N_INSTALLED][32];
	struct store_dep *deps = installed(names, versions);
	struct advisory_matches m;
	struct err err = { 0 };
	int run;

	for (run = 0; run < runs; run++) {
		double t0 = now_ms();

		if (advisories_match(s, deps, N_INSTALLED, &m, &err))
			die("match", &err);
		printf("match %d installed packages (%s): %.1f ms, %zu matches, %zu unparsed "
		       "(budget 100 ms)\n",
		       N_INSTALLED, run ? "second call" : "first call", now_ms() - t0, m.n,
		       m.n_unparsed);
		advisory_matches_release(&m);
	}
	free(deps);
}

int
main(int argc, char **argv)
{
	char npm[4096], pypi[4096], db[4096];
	struct advisory_import_stats st;
	struct store *s;
	struct err err = { 0 };
	double t0;
	struct stat sb;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: bench_osv DIR [RUNS]\n");
		return 2;
	}
	snprintf(npm, sizeof(npm), "%s/npm-all.zip", argv[1]);
	snprintf(pypi, sizeof(pypi), "%s/pypi-all.zip", argv[1]);
	snprintf(db, sizeof(db), "%s/cache.db", argv[1]);
	if (argc == 3) {
		if (store_open(db, STORE_READONLY, &s, &err))
			die("open", &err);
		bench_match(s, atoi(argv[2]));
		store_close(s);
		return 0;
	}
	t0 = now_ms();
	write_npm(npm);
	write_pypi(pypi);
	stat(npm, &sb);
	printf("generated %d npm + %d PyPI records (npm zip %.0f MB) in %.1f s\n",
	       N_NPM_GHSA + N_NPM_MAL, N_PYPI, sb.st_size / 1e6, (now_ms() - t0) / 1e3);
	unlink(db); /* and its WAL, which sqlite would otherwise replay into the new file */
	{
		char side[4200];

		snprintf(side, sizeof(side), "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", db);
		unlink(side);
	}
	if (store_open(db, 0, &s, &err))
		die("open", &err);
	t0 = now_ms();
	if (advisories_import(s, npm, &st, &err))
		die("import npm", &err);
	printf("import npm: %ld records, %ld added, %ld skipped\n", st.records, st.added,
	       st.skipped);
	if (advisories_import(s, pypi, &st, &err))
		die("import PyPI", &err);
	printf("import PyPI: %ld records, %ld added, %ld skipped\n", st.records, st.added,
	       st.skipped);
	printf("import npm + PyPI: %.1f s (budget 60 s)\n", (now_ms() - t0) / 1e3);
	bench_match(s, 2);
	store_close(s);
	return 0;
}
