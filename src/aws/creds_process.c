/*
 * credential_process, as botocore's ProcessProvider: the command is split
 * into words the way a POSIX shell splits them (shlex.split: quotes and
 * backslashes), then run with fork + execvp. No shell ever sees it: ';',
 * '|', '$(...)' and backticks are ordinary characters of a word. Its stdout
 * is JSON {Version: 1, AccessKeyId, SecretAccessKey, SessionToken?,
 * Expiration?}. stdin is /dev/null (a terminal UI owns the real one); stderr
 * is kept and its first line shown when the command fails.
 */
#include "aws/creds_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/log.h"
#include "util/termsafe.h"
#include "util/xmalloc.h"

#define PROCESS_OUT_MAX   ((size_t)1 << 20)
#define PROCESS_TIMEOUT_S 120
#define PROCESS_ARGS_MAX  256

void
creds_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* One word from *p: returns 1 and the word in w, 0 at the end, -1 on an open quote. */
static int
next_word(const char **p, struct buf *w)
{
	const char *s = *p;
	char q = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (!*s)
		return 0;
	buf_reset(w); /* an empty word ("") is still a word: buf_cstr gives "" */
	for (; *s && (q || !(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')); s++) {
		if (!q && (*s == '\'' || *s == '"'))
			q = *s;
		else if (q && *s == q)
			q = 0;
		else if (*s == '\\' && q != '\'' && s[1] && (!q || s[1] == '"' || s[1] == '\\'))
			buf_putc(w, *++s);
		else
			buf_putc(w, *s);
	}
	*p = s;
	return q ? -1 : 1;
}

char **
creds_split_words(const char *cmd, struct err *err)
{
	char **argv = xcalloc(PROCESS_ARGS_MAX + 1, sizeof(*argv));
	struct buf w;
	size_t n = 0;
	int got;

	buf_init(&w, 65536);
	while ((got = next_word(&cmd, &w)) == 1 && n < PROCESS_ARGS_MAX)
		argv[n++] = xstrdup(buf_cstr(&w));
	buf_release(&w);
	if (got == -1 || got == 1 || !n) {
		creds_argv_free(argv);
		err_set(err, ERR_CONFIG, "credential_process: %s",
		        got == -1  ? "no closing quotation"
		        : got == 1 ? "too many words"
		                   : "empty command");
		return NULL;
	}
	return argv;
}

static pid_t
spawn(char **argv, int out_fd, int err_fd)
{
	pid_t pid = fork();
	int devnull;

	if (pid)
		return pid;
	devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	_exit(127);
}

/* Reads both pipes to their end (bounded), then reaps the child. */
static int
collect(pid_t pid, int fds[2], struct buf out[2], int *status)
{
	time_t end = time(NULL) + PROCESS_TIMEOUT_S;
	int open_fds = 2, i, timed_out = 0;

	while (open_fds && !timed_out) {
		struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
		char chunk[4096];

		if (poll(p, 2, 1000) < 0 && errno != EINTR)
			break;
		timed_out = time(NULL) > end;
		for (i = 0; i < 2; i++) {
			ssize_t got;

			if (fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(fds[i], chunk, sizeof(chunk));
			if (got > 0 && !buf_append(&out[i], chunk, (size_t)got))
				continue;
			close(fds[i]);
			fds[i] = -1;
			open_fds--;
		}
		explicit_bzero(chunk, sizeof(chunk));
	}
	if (open_fds)
		kill(pid, SIGKILL);
	for (i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return timed_out ? ERR_TIMEOUT : 0;
}

static int
pipe_cloexec(int fds[2])
{
	if (pipe(fds))
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* Runs argv; out[0] gets stdout, out[1] stderr. Returns 0 or ERR_IO/ERR_TIMEOUT. */
static int
run(char **argv, struct buf out[2], int *status, struct err *err)
{
	int po[2], pe[2], fds[2];
	pid_t pid;

	if (pipe_cloexec(po))
		return err_set(err, ERR_IO, "credential_process: pipe: %s", strerror(errno));
	if (pipe_cloexec(pe)) {
		close(po[0]);
		close(po[1]);
		return err_set(err, ERR_IO, "credential_process: pipe: %s", strerror(errno));
	}
	pid = spawn(argv, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return err_set(err, ERR_IO, "credential_process: fork: %s", strerror(errno));
	}
	fds[0] = po[0];
	fds[1] = pe[0];
	if (collect(pid, fds, out, status))
		return err_set(err, ERR_TIMEOUT, "credential_process %s: no answer in %d s",
		               argv[0], PROCESS_TIMEOUT_S);
	return 0;
}

static int
process_failed(const char *prog, int status, const struct buf *errout, struct err *err)
{
	char first[160], line[160];
	const char *e = buf_cstr(errout);
	int n = (int)strcspn(e, "\n");

	snprintf(first, sizeof(first), "%.*s", n, e);
	termsafe_copy(line, sizeof(line), first);
	log_scrub(line, sizeof(line)); /* a secret it printed while failing */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !line[0])
		return err_set(err, ERR_CREDS, "credential_process %s: cannot run it", prog);
	if (WIFSIGNALED(status))
		return err_set(err, ERR_CREDS, "credential_process %s: killed by signal %d%s%s",
		               prog, WTERMSIG(status), line[0] ? ": " : "", line);
	return err_set(err, ERR_CREDS, "credential_process %s: exit status %d%s%s", prog,
	               WEXITSTATUS(status), line[0] ? ": " : "", line);
}

static int
process_answer(const struct buf *o, const char *prog, const char *profile, struct aws_creds *out,
               struct err *err)
{
	char what[128], source[48];
	double version = 0;
	cJSON *j = json_parse(buf_cstr(o), o->len, NULL);
	int rc;

	snprintf(what, sizeof(what), "credential_process %s", prog);
	snprintf(source, sizeof(source), "process (profile %s)", profile);
	if (!j)
		return err_set(err, ERR_CREDS, "%s: answer is not JSON", what);
	if (json_num(j, "Version", &version) || version != 1)
		rc = err_set(err, ERR_CREDS, "%s: answer without \"Version\": 1", what);
	else
		rc = creds_from_json(j, "SessionToken", what, source, out, err);
	creds_json_free(j);
	return rc;
}

int
creds_from_process(const char *cmd, const char *profile, struct aws_creds *out, struct err *err)
{
	struct buf o[2];
	char **argv = creds_split_words(cmd, err);
	char prog[64];
	int rc, status = 0;

	if (!argv)
		return ERR_CONFIG;
	termsafe_copy(prog, sizeof(prog), argv[0]);
	buf_init(&o[0], PROCESS_OUT_MAX);
	buf_init(&o[1], PROCESS_OUT_MAX);
	rc = run(argv, o, &status, err);
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
		rc = process_failed(prog, status, &o[1], err);
	if (!rc)
		rc = process_answer(&o[0], prog, profile, out, err);
	if (o[0].data)
		explicit_bzero(o[0].data, o[0].len);
	buf_release(&o[0]);
	buf_release(&o[1]);
	creds_argv_free(argv);
	return rc;
}
