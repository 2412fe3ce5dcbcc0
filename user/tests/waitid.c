/*
 * waitid(idtype, id, infop, options, rusage), as Linux 6.1 answers it:
 * the option and id checks (EINVAL; P_PIDFD wants a pidfd: EBADF), then
 * a wait like wait4's for an exit (WEXITED), a stop (WSTOPPED) or a
 * continue (WCONTINUED), reported in infop as si_signo SIGCHLD, si_code
 * CLD_*, si_pid, si_uid (the child's real uid) and si_status (exit code or
 * signal); WNOWAIT leaves the child waitable.  infop's six words are
 * written whatever happens: zeros when WNOHANG finds nothing yet and when
 * there is no child at all (ECHILD), and the words after them are left.
 */
#include "creds.h"
#include <sys/resource.h>
#include <uapi/wait.h>

#define P_PIDFD 3

struct info {
	int32_t signo, err, code, pid, uid, status;
	int32_t rest[26];       /* to 128 bytes, a siginfo_t */
};

static long waitid_(int idtype, int id, struct info *si, int options, void *ru)
{
	return __syscall_ret(raw_syscall6(__NR_waitid, idtype, id, (long)si, options, (long)ru, 0));
}

static void fill(struct info *si) { memset(si, 0xAA, sizeof *si); }

static void expect_info(const struct info *si, int signo, int code, int pid, int uid, int status)
{
	CHECK_EQ(si->signo, signo);
	CHECK_EQ(si->err, 0);
	CHECK_EQ(si->code, code);
	CHECK_EQ(si->pid, pid);
	CHECK_EQ(si->uid, uid);
	CHECK_EQ(si->status, status);
	CHECK_EQ((uint32_t)si->rest[0], 0xAAAAAAAAu);  /* only six words are written */
}

static pid_t child_exits(int code)
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0)
		_exit(code);
	return pid;
}

int main(void)
{
	struct info si;

	/* The options, then the id. */
	CHECK_ERR(waitid_(P_ALL, 0, &si, 0, NULL), EINVAL);
	CHECK_ERR(waitid_(P_ALL, 0, &si, WNOHANG | WNOWAIT, NULL), EINVAL);
	CHECK_ERR(waitid_(P_ALL, 0, &si, WEXITED | 0x100, NULL), EINVAL);
	CHECK_ERR(waitid_(P_ALL, 0, &si, WEXITED | WUNTRACED << 8, NULL), EINVAL);
	CHECK_ERR(waitid_(7, 0, &si, WEXITED, NULL), EINVAL);
	CHECK_ERR(waitid_(-1, 0, &si, WEXITED, NULL), EINVAL);
	CHECK_ERR(waitid_(P_PID, 0, &si, WEXITED, NULL), EINVAL);
	CHECK_ERR(waitid_(P_PID, -5, &si, WEXITED, NULL), EINVAL);
	CHECK_ERR(waitid_(P_PGID, -1, &si, WEXITED, NULL), EINVAL);
	CHECK_ERR(waitid_(P_PIDFD, -1, &si, WEXITED, NULL), EINVAL);
	CHECK_ERR(waitid_(P_PIDFD, 0, &si, WEXITED, NULL), EBADF);     /* not a pidfd */
	CHECK_ERR(waitid_(P_PIDFD, 999, &si, WEXITED, NULL), EBADF);

	/* No child: ECHILD, and infop zeroed all the same (or EFAULT). */
	fill(&si);
	CHECK_ERR(waitid_(P_ALL, 0, &si, WEXITED, NULL), ECHILD);
	expect_info(&si, 0, 0, 0, 0, 0);
	CHECK_ERR(waitid_(P_ALL, 0, (struct info *)4, WEXITED, NULL), EFAULT);
	CHECK_ERR(waitid_(P_ALL, 0, NULL, WEXITED, NULL), ECHILD);
	CHECK_ERR(waitid_(P_PID, 999999, &si, WEXITED, NULL), ECHILD);

	/* An exit, seen with WNOWAIT, then reaped. */
	pid_t pid = child_exits(7);
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED | WNOWAIT, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, 0, 7);
	fill(&si);
	CHECK_EQ(waitid_(P_ALL, 0, &si, WEXITED | WNOWAIT, NULL), 0);   /* still there */
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, 0, 7);
	struct rusage ru;
	fill(&si);
	CHECK_EQ(waitid_(P_ALL, 0, &si, WEXITED, &ru), 0);
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, 0, 7);
	CHECK_ERR(waitid_(P_ALL, 0, &si, WEXITED, NULL), ECHILD);       /* reaped */

	/* Its real uid, and a bad rusage (the child is reaped all the same). */
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		drop_to(USER, GROUP, 0, NULL);
		_exit(1);
	}
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED | WNOWAIT, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, USER, 1);
	CHECK_ERR(waitid_(P_PID, pid, &si, WEXITED, (void *)4), EFAULT);
	CHECK_ERR(waitid_(P_PID, pid, &si, WEXITED, NULL), ECHILD);

	/* WNOHANG with a child still running: 0, and zeros. */
	int hold[2];
	CHECK_OK(pipe(hold));
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char c;
		close(hold[1]);
		read(hold[0], &c, 1);
		_exit(0);
	}
	close(hold[0]);
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED | WNOHANG, NULL), 0);
	expect_info(&si, 0, 0, 0, 0, 0);

	/* Killed by a signal. */
	CHECK_OK(kill(pid, SIGKILL));
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_KILLED, pid, 0, SIGKILL);
	close(hold[1]);

	/* A signal whose default is a core dump, with RLIMIT_CORE 0: no core,
	 * so CLD_KILLED, not CLD_DUMPED. */
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
		raise(SIGQUIT);
		_exit(0);
	}
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_KILLED, pid, 0, SIGQUIT);

	/* Stopped (reported once), continued, and then an exit only WEXITED
	 * sees.  The child exits only when the pipe closes: once it is a
	 * zombie, WCONTINUED finds nothing (ECHILD), on Linux too. */
	CHECK_OK(pipe(hold));
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char c;
		close(hold[1]);
		raise(SIGSTOP);
		read(hold[0], &c, 1);
		_exit(5);
	}
	close(hold[0]);
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WSTOPPED, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_STOPPED, pid, 0, SIGSTOP);
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WSTOPPED | WNOHANG, NULL), 0);
	expect_info(&si, 0, 0, 0, 0, 0);
	CHECK_OK(kill(pid, SIGCONT));
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WCONTINUED | WNOWAIT, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_CONTINUED, pid, 0, SIGCONT);
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WCONTINUED, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_CONTINUED, pid, 0, SIGCONT);
	close(hold[1]);
	/* Once it has exited, a wait without WEXITED finds no child at all. */
	fill(&si);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED | WNOWAIT, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, 0, 5);
	fill(&si);
	CHECK_ERR(waitid_(P_PID, pid, &si, WSTOPPED | WCONTINUED | WNOHANG, NULL), ECHILD);
	expect_info(&si, 0, 0, 0, 0, 0);
	CHECK_EQ(waitid_(P_PID, pid, &si, WEXITED, NULL), 0);

	/* A process group: the child's own, or ours (id 0). */
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		setpgid(0, 0);
		_exit(3);
	}
	setpgid(pid, pid);      /* or it did first: either way it is in its own group now */
	CHECK_ERR(waitid_(P_PGID, 0, &si, WEXITED | WNOHANG, NULL), ECHILD);  /* not in ours */
	fill(&si);
	CHECK_EQ(waitid_(P_PGID, pid, &si, WEXITED, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, 0, 3);
	pid = child_exits(4);
	fill(&si);
	CHECK_EQ(waitid_(P_PGID, 0, &si, WEXITED, NULL), 0);
	expect_info(&si, SIGCHLD, CLD_EXITED, pid, 0, 4);
	return 0;
}
