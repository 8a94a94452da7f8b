#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *
test_path(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", SHEARS_SRCDIR, rel);
	return path;
}

const char *
test_shears_bin(void)
{
	return SHEARS_BUILDDIR "/shears";
}

char *
test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];

	snprintf(tmpl, sizeof(tmpl), "%s/shears-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl))
		return NULL;
	return strdup(tmpl);
}

void
test_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (!d) {
		unlink(dir);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!lstat(path, &st) && S_ISDIR(st.st_mode))
			test_rmtree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

char *
test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (cap ? cap * 2 : 8192);
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	data[n] = '\0';
	if (len)
		*len = n;
	return data;
}

int
test_write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, data, len);
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

static int
read_line(int fd, char *line, size_t n, int timeout_s)
{
	size_t at = 0;
	time_t end = time(NULL) + timeout_s;

	while (at + 1 < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)(end - time(NULL));
		char c;

		if (left <= 0 || poll(&p, 1, left * 1000) <= 0)
			return -1;
		if (read(fd, &c, 1) != 1)
			return -1;
		if (c == '\n')
			break;
		line[at++] = c;
	}
	line[at] = '\0';
	return 0;
}

int
test_server_start(struct test_server *s, char *const argv[], int timeout_s)
{
	int pipefd[2];
	char line[512];

	memset(s, 0, sizeof(*s));
	if (pipe(pipefd))
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (!s->pid) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	s->out_fd = pipefd[0];
	while (read_line(s->out_fd, line, sizeof(line), timeout_s) == 0) {
		if (!strncmp(line, "ready ", 6)) {
			snprintf(s->url, sizeof(s->url), "%s", line + 6);
			return 0;
		}
	}
	test_server_stop(s);
	return -1;
}

void
test_server_stop(struct test_server *s)
{
	int status, i;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			goto reaped;
		usleep(10000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
reaped:
	if (s->out_fd > 0)
		close(s->out_fd);
	s->pid = 0;
	s->out_fd = -1;
}

struct capture {
	char *data;
	size_t n;
	int fd;
};

#define CAPTURE_MAX (1 << 20)

/* Reads both pipes until both close, so neither can fill and block the child. */
static void
capture_both(struct capture *c, size_t count)
{
	size_t open_fds = count, i;

	for (i = 0; i < count; i++) {
		c[i].data = malloc(CAPTURE_MAX + 1);
		c[i].n = 0;
		if (!c[i].data)
			abort();
	}
	while (open_fds) {
		struct pollfd p[2];

		for (i = 0; i < count; i++) {
			p[i].fd = c[i].fd;
			p[i].events = POLLIN;
		}
		if (poll(p, count, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < count; i++) {
			char tmp[4096];
			ssize_t got;

			if (c[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(c[i].fd, tmp, sizeof(tmp));
			if (got <= 0) {
				close(c[i].fd);
				c[i].fd = -1;
				open_fds--;
				continue;
			}
			if (c[i].n + (size_t)got > CAPTURE_MAX)
				got = (ssize_t)(CAPTURE_MAX - c[i].n);
			memcpy(c[i].data + c[i].n, tmp, (size_t)got);
			c[i].n += (size_t)got;
		}
	}
	for (i = 0; i < count; i++)
		c[i].data[c[i].n] = '\0';
}

int
test_run(char *const argv[], char *const env[], char **out, char **err)
{
	int po[2], pe[2], status;
	pid_t pid;
	struct capture cap[2];

	if (pipe(po) || pipe(pe))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int devnull = open("/dev/null", O_RDONLY);
		size_t i;

		dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		for (i = 0; env && env[i]; i++)
			putenv(env[i]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	cap[0].fd = po[0];
	cap[1].fd = pe[0];
	capture_both(cap, 2);
	waitpid(pid, &status, 0);
	if (out)
		*out = cap[0].data;
	else
		free(cap[0].data);
	if (err)
		*err = cap[1].data;
	else
		free(cap[1].data);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
