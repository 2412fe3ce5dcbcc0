/* sh: running pipelines -- fork, pipes, redirections, exec, wait. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>
#include "sh.h"

int last_status;
int job_control;
static pid_t shell_pgrp;

/* Take the terminal: our own process group, in the foreground; and ignore
 * the terminal's signals, which are for the jobs. */
void job_control_start(void)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	setpgid(0, 0);          /* fails harmlessly if we lead a session already */
	shell_pgrp = getpgrp();
	job_control = tcsetpgrp(0, shell_pgrp) == 0;
}

/* In a child of a job: join the job's group (pgid 0: a new one named
 * after us) and take the signals back, since SIG_IGN survives execve. */
static void enter_job(pid_t pgid, int foreground)
{
	if (!job_control)
		return;
	setpgid(0, pgid);
	if (foreground)
		tcsetpgrp(0, getpgrp());
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
}

/* Background jobs we have not reaped yet. */
#define MAX_JOBS 32
static pid_t jobs[MAX_JOBS];

/* A status word as $? shows it: the exit code, or 128 + the signal. */
static int shell_status(int st)
{
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

void reap_jobs(void)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		int st;
		if (jobs[i] && waitpid(jobs[i], &st, WNOHANG) == jobs[i]) {
			fprintf(stderr, "[%d] done, status %d\n", jobs[i], shell_status(st));
			jobs[i] = 0;
		}
	}
}

/* Open path and put it on descriptor fd; report and return -1 on failure. */
static int redirect(const char *path, int flags, int fd)
{
	int f = open(path, flags, 0644);
	if (f < 0) {
		fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (f != fd) {
		dup2(f, fd);
		close(f);
	}
	return 0;
}

/* In the child: set up descriptors, then become the command. */
static void __attribute__((noreturn)) exec_command(struct command *c)
{
	if (c->in && redirect(c->in, O_RDONLY, 0) < 0)
		_exit(1);
	if (c->out && redirect(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 1) < 0)
		_exit(1);
	if (c->err && redirect(c->err, O_WRONLY | O_CREAT | O_TRUNC, 2) < 0)
		_exit(1);
	if (c->err_to_out)
		dup2(1, 2);
	if (c->argc == 0)
		_exit(0);                       /* only redirections: done */
	execvp(c->argv[0], c->argv);
	int err = errno;
	fprintf(stderr, "sh: %s: %s\n", c->argv[0],
	        err == ENOENT ? "not found" : strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

/* Built-in commands; return 1 if cmd was one (and ran). */
static int builtin(struct command *c)
{
	const char *name = c->argv[0];

	if (!strcmp(name, "cd")) {
		const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");
		if (!dir)
			dir = "/";
		if (chdir(dir) < 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
			last_status = 1;
		} else {
			last_status = 0;
		}
		return 1;
	}
	if (!strcmp(name, "exit")) {
		fflush(NULL);
		exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
	}
	if (!strcmp(name, "export")) {
		/* Our environ array is fixed; export adds to a small table of our own. */
		static char *env[64];
		static int n;
		if (n == 0)
			for (char **e = environ; *e && n < 60; e++)
				env[n++] = *e;
		for (int i = 1; i < c->argc && n < 63; i++) {
			char *eq = strchr(c->argv[i], '=');
			if (!eq)
				continue;
			int j;
			for (j = 0; j < n; j++)     /* replace an existing NAME= */
				if (!strncmp(env[j], c->argv[i], eq - c->argv[i] + 1))
					break;
			env[j] = strdup(c->argv[i]);
			if (j == n)
				n++;
		}
		env[n] = NULL;
		environ = env;
		last_status = 0;
		return 1;
	}
	return 0;
}

int run_pipeline(struct pipeline *p)
{
	pid_t pids[MAX_CMDS];
	int prev_read = -1;             /* read end of the pipe before this command */

	if (p->ncmds == 1 && p->cmds[0].argc == 0 && !p->cmds[0].in && !p->cmds[0].out)
		return last_status;     /* an empty command */
	if (p->ncmds == 1 && !p->background && p->cmds[0].argc > 0 && builtin(&p->cmds[0]))
		return last_status;

	fflush(NULL);
	pid_t pgid = 0;                 /* the job's group: its first command's pid */
	for (int i = 0; i < p->ncmds; i++) {
		int fds[2] = { -1, -1 };
		if (i + 1 < p->ncmds && pipe(fds) < 0) {
			perror("sh: pipe");
			break;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("sh: fork");
			pids[i] = 0;
		} else if (pids[i] == 0) {
			enter_job(pgid, !p->background);
			if (prev_read >= 0) {       /* stdin from the previous command */
				dup2(prev_read, 0);
				close(prev_read);
			}
			if (fds[1] >= 0) {          /* stdout into the next one */
				dup2(fds[1], 1);
				close(fds[1]);
				close(fds[0]);
			}
			exec_command(&p->cmds[i]);
		}
		if (pids[i] > 0 && job_control) {
			/* The parent does it too, so that it holds whichever runs first. */
			if (!pgid)
				pgid = pids[i];
			setpgid(pids[i], pgid);
			if (!p->background)
				tcsetpgrp(0, pgid);
		}
		if (prev_read >= 0)
			close(prev_read);
		if (fds[1] >= 0)
			close(fds[1]);
		prev_read = fds[0];
	}

	if (p->background) {
		pid_t last = pids[p->ncmds - 1];
		for (int i = 0; i < MAX_JOBS; i++) {
			if (!jobs[i]) {
				jobs[i] = last;
				break;
			}
		}
		fprintf(stderr, "[%d]\n", last);
		/* The other commands of a background pipeline are reaped as orphans
		 * by init when we exit; keep them out of our way here. */
		last_status = 0;
		return 0;
	}
	for (int i = 0; i < p->ncmds; i++) {
		int st;
		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] && i == p->ncmds - 1)
			last_status = shell_status(st);
	}
	if (job_control)
		tcsetpgrp(0, shell_pgrp);       /* the terminal is ours again */
	if (last_status == 128 + SIGINT)
		printf("\n");                  /* ^C left the cursor after the echo */
	return last_status;
}
