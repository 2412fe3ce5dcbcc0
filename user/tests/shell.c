/*
 * The programs of /bin, driven through /bin/sh: pipelines, redirections,
 * $?, quoting, cd, exit, and echo/cat/ls/mkdir/rm/ps/free themselves.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>

static char out[4096];

/*
 * Run /bin/sh with argv (after "sh"), feeding it input on stdin; collect
 * its stdout into out[]; return its status word.  stderr goes to /dev/null
 * unless keep_err.
 */
static int sh(const char *input, const char *arg1, const char *arg2)
{
	int in[2], o[2];
	CHECK_OK(pipe(in));
	CHECK_OK(pipe(o));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char *argv[] = { "sh", (char *)arg1, (char *)arg2, NULL };
		char *envp[] = { "PATH=/bin", "HOME=/tmp", NULL };
		int null = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(o[1], 1);
		dup2(null, 2);
		close(in[0]);
		close(in[1]);
		close(o[0]);
		close(o[1]);
		close(null);
		execve("/bin/sh", argv, envp);
		_exit(99);
	}
	close(in[0]);
	close(o[1]);
	if (input)
		CHECK_EQ(write(in[1], input, strlen(input)), (long)strlen(input));
	close(in[1]);
	int len = 0, n;
	while ((n = read(o[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(o[0]);
	return wait_status(pid);
}

static int sh_c(const char *cmd)
{
	return sh(NULL, "-c", cmd);
}

int main(void)
{
	CHECK_EQ(sh_c("echo hello   world"), 0);
	CHECK_STR(out, "hello world\n");
	CHECK_EQ(sh_c("echo -n 'two  spaces' \"and $?\""), 0);
	CHECK_STR(out, "two  spaces and 0");

	/* Pipelines and redirections. */
	CHECK_EQ(sh_c("echo a b | cat | cat"), 0);
	CHECK_STR(out, "a b\n");
	CHECK_EQ(sh_c("echo one > /tmp/sh-f; echo two >> /tmp/sh-f; cat < /tmp/sh-f"), 0);
	CHECK_STR(out, "one\ntwo\n");
	CHECK_EQ(sh_c("cat /tmp/sh-f /tmp/sh-f | cat > /tmp/sh-g; cat /tmp/sh-g; rm /tmp/sh-f /tmp/sh-g"), 0);
	CHECK_STR(out, "one\ntwo\none\ntwo\n");
	CHECK_EQ(sh_c("cat /no/such 2>&1"), 1 << 8);
	CHECK_STR(out, "cat: /no/such: No such file or directory\n");

	/* Exit statuses and $?. */
	CHECK_EQ(sh_c("exit 3"), 3 << 8);
	CHECK_EQ(sh_c("nosuchcommand; echo $?"), 0);
	CHECK_STR(out, "127\n");
	CHECK_EQ(sh_c("sh -c 'exit 4'; echo $?; sh -c 'exit 5' | cat; echo $?"), 0);
	CHECK_STR(out, "4\n0\n");
	CHECK_EQ(sh_c("ls /no/such; exit"), 1 << 8);

	/* A script on standard input (not a terminal: no prompt). */
	CHECK_EQ(sh("cd /tmp\nmkdir sh-d\n# a comment\necho x > sh-d/f1\nls sh-d\n"
	            "mkdir -p sh-d/a/b\nls sh-d\nrm -r sh-d\nls sh-d\necho $?\n", NULL, NULL), 0);
	CHECK_STR(out, "f1\na\nf1\n1\n");
	struct stat64 st;
	CHECK_ERR(stat("/tmp/sh-d", &st), ENOENT);

	/* A background job does not hold up the next command. */
	CHECK_EQ(sh_c("cat /dev/null & echo fg"), 0);
	CHECK_STR(out, "fg\n");

	/* ps and free. */
	CHECK_EQ(sh_c("ps"), 0);
	CHECK(!strncmp(out, "  PID  PPID S COMMAND\n", 22));
	CHECK(strstr(out, " R ps\n") != NULL);          /* ps sees itself running */
	CHECK_EQ(sh_c("free"), 0);
	CHECK(strstr(out, "\nMem: ") != NULL);
	CHECK_EQ(sh_c("ls -l /dev/null"), 0);
	CHECK(!strncmp(out, "crw-rw-rw-", 10));
	return 0;
}
