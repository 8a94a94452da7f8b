/*
 * Backups: what an action is about to change, saved before the change in
 * a private directory (0700) as private files (0600). A backup keeps the
 * target as it was, secrets included (environment variables): it is the
 * one place they may stay; the journal and the screen never hold them.
 */
#include "act/run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/act.h"
#include "util/json.h"
#include "util/xmalloc.h"

int
act_backup_dir(char *out, size_t n, struct err *err)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int len;

	if (xdg && xdg[0] == '/')
		len = snprintf(out, n, "%s/shears/backups", xdg);
	else if (home && home[0])
		len = snprintf(out, n, "%s/.local/share/shears/backups", home);
	else
		return err_set(err, ERR_CONFIG, "neither XDG_DATA_HOME nor HOME is set");
	if (len < 0 || (size_t)len >= n)
		return err_set(err, ERR_LIMIT, "the backup directory's path is too long");
	return 0;
}

/* mkdir -p with 0700 for every level created; the last level is made private. */
static int
make_dirs(const char *dir, struct err *err)
{
	char path[4096];
	size_t i, len = strlen(dir);

	if (len >= sizeof(path))
		return err_set(err, ERR_LIMIT, "the backup directory's path is too long");
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return err_set(err, ERR_IO, "cannot create '%s': %s", path,
			               strerror(errno));
		path[i] = i == len ? '\0' : '/';
	}
	if (chmod(dir, 0700))
		return err_set(err, ERR_IO, "cannot make '%s' private: %s", dir, strerror(errno));
	return 0;
}

/* Names may hold what a file name must not: keep [A-Za-z0-9._-]. */
static void
safe_name(char *out, size_t n, const char *name)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < n; i++) {
		char ch = name[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';

		out[i] = ok && !(i == 0 && ch == '.') ? ch : '_';
	}
	out[i] = '\0';
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *text = data;

	while (len) {
		ssize_t w = write(fd, text, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes data to a new private file dir/<id>-<action>-<name>.<ext>; fills path. */
static int
write_private(const char *dir, int64_t id, const char *action, const char *name, const char *ext,
              const void *data, size_t len, char *path, size_t n, struct err *err)
{
	char fname[160];
	int fd, try, rc = make_dirs(dir, err);

	if (rc)
		return rc;
	safe_name(fname, sizeof(fname), name);
	/*
	 * ids restart with a new cache (a restore needs none): a name taken by
	 * an older backup gets a suffix, never written over
	 */
	for (try = 0, fd = -1; fd < 0 && try < 100; try++) {
		int w = try ? snprintf(path, n, "%s/%lld-%s-%s.%d.%s", dir, (long long)id, action,
		                       fname, try, ext)
		            : snprintf(path, n, "%s/%lld-%s-%s.%s", dir, (long long)id, action,
		                       fname, ext);

		if (w < 0 || w >= (int)n)
			return err_set(err, ERR_LIMIT, "the backup's path is too long");
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return err_set(err, ERR_IO, "cannot create '%s': %s", path, strerror(errno));
	rc = !write_all(fd, data, len) && !fsync(fd)
	             ? 0
	             : err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	if (close(fd) && !rc)
		rc = err_set(err, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	return rc;
}

int
act_backup_write(const char *dir, int64_t id, const char *action, const char *name,
                 const cJSON *backup, char *path, size_t n, struct err *err)
{
	char *text = cJSON_Print(backup);
	size_t len = text ? strlen(text) : 0;
	int rc;

	if (!text)
		return err_set(err, ERR_LIMIT, "the backup could not be printed");
	text = xrealloc(text, len + 2);
	memcpy(text + len, "\n", 2);
	rc = write_private(dir, id, action, name, "json", text, len + 1, path, n, err);
	free(text);
	return rc;
}

int
act_backup_file(const struct act_save_ctx *sc, const char *ext, const void *data, size_t len,
                char *path, size_t n, struct err *err)
{
	return write_private(sc->dir, sc->id, json_str(sc->plan, "action"),
	                     json_str(sc->plan, "target.name"), ext, data, len, path, n, err);
}

int
act_backup_read(const char *path, cJSON **backup, struct err *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, got;

	*backup = NULL;
	if (!f)
		return err_set(err, ERR_IO, "cannot read the backup '%s': %s", path,
		               strerror(errno));
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			data = xrealloc(data, cap);
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
	} while (got && len < JSON_MAX_BYTES);
	fclose(f);
	*backup = json_parse(data, len, err);
	free(data);
	return *backup ? 0 : ERR_PARSE;
}
