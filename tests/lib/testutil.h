/*
 * Helpers shared by the tests: paths into the source tree, temporary
 * directories, reading files, and loopback servers run as child processes.
 */
#ifndef SHEARS_TESTUTIL_H
#define SHEARS_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* SHEARS_SRCDIR "/" rel, in a static buffer (valid until the next call). */
const char *test_path(const char *rel);

/* The shears binary of this build. */
const char *test_shears_bin(void);

/* A fresh 0700 directory under $TMPDIR; caller frees the string. */
char *test_tmpdir(void);

/* rm -rf dir (no shell). */
void test_rmtree(const char *dir);

/* Reads a whole file; NULL if unreadable. Caller frees. */
char *test_read_file(const char *path, size_t *len);

/* Writes a file (0600); returns 0 or -1. */
int test_write_file(const char *path, const char *data, size_t len);

struct test_server {
	pid_t pid;
	char url[512]; /* from its "ready URL" line */
	int out_fd;    /* the rest of its stdout */
};

/*
 * Starts argv (argv[0] a path) with stdin closed and waits, up to timeout_s,
 * for a line "ready URL" on its stdout. Returns 0, or -1 (child killed).
 */
int test_server_start(struct test_server *s, char *const argv[], int timeout_s);

/* SIGTERM, then SIGKILL after a second; reaps the child. */
void test_server_stop(struct test_server *s);

/*
 * Runs argv to completion with extra environment (NULL-terminated "K=V"
 * strings, added to the current one), capturing stdout and stderr (each
 * capped at 1 MiB, caller frees). Returns the exit status, or 128+signal.
 */
int test_run(char *const argv[], char *const env[], char **out, char **err);

#endif
