/*
 * "#!" scripts, as Linux 6.1 runs them (binfmt_script): how the line is
 * split (the interpreter, then ALL the rest as one argument), the new argv
 * (interpreter, argument, the path as execve got it, then argv[1] on),
 * scripts running scripts five deep and ELOOP at six, the line cut at 256
 * bytes, and the errors: ENOEXEC for no interpreter, ENOENT and EACCES
 * from the interpreter, EACCES for a script without an x bit, ETXTBSY for
 * one open for writing.  AT_EXECFN and the name (comm) stay the script's,
 * /proc/self/exe is the interpreter.
 *
 * The interpreter is a copy of this test: started with SCRIPT_REPORT=1 in
 * its environment, it writes what it was given to its stdout, a pipe.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <uapi/auxv.h>

unsigned long getauxval(unsigned long key);

#define INTERP "/tmp/script-interp"
#define S "/tmp/script-s"

static char out[4096];

/* The interpreter's side: argv, AT_EXECFN, /proc/self/exe, comm. */
static int report(int argc, char **argv)
{
	char exe[256] = "", stat[512] = "", *comm = stat;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = 0;
	int fd = open("/proc/self/stat", O_RDONLY);
	if (fd >= 0 && (n = read(fd, stat, sizeof stat - 1)) > 0) {
		stat[n] = 0;
		char *open_paren = strchr(stat, '('), *close_paren = strrchr(stat, ')');
		if (open_paren && close_paren) {
			*close_paren = 0;
			comm = open_paren + 1;
		}
	}
	for (int i = 0; i < argc; i++)
		printf("[%s]", argv[i]);
	printf(" execfn=%s exe=%s comm=%s\n", (char *)getauxval(AT_EXECFN), exe, comm);
	fflush(stdout);
	return 0;
}

static void copy_self(void)
{
	static char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY);
	CHECK(in >= 0);
	unlink(INTERP);
	int o = open(INTERP, O_WRONLY | O_CREAT | O_EXCL, 0755);
	CHECK(o >= 0);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		CHECK_EQ(write(o, buf, n), n);
	CHECK_OK(close(in));
	CHECK_OK(close(o));
}

static void put_file(const char *path, const char *text, size_t len, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, len), (long)len);
	CHECK_OK(close(fd));
	CHECK_OK(chmod(path, mode));            /* past the umask */
}

static void put_script(const char *path, const char *text)
{
	put_file(path, text, strlen(text), 0755);
}

/* Run path with argv in a child; what it printed goes to out.  Returns
 * 0, or the errno execve gave. */
static int run(const char *path, char *const argv[])
{
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		char *env[] = { "SCRIPT_REPORT=1", 0 };
		execve(path, argv, env);
		_exit(100 + errno);
	}
	close(p[1]);
	size_t got = 0;
	ssize_t n;
	while (got < sizeof out - 1 && (n = read(p[0], out + got, sizeof out - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(p[0]);
	int status = wait_status(pid);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status) >= 100 ? WEXITSTATUS(status) - 100 : 0;
}

static void expect_run(const char *path, char *const argv[], const char *want)
{
	CHECK_EQ(run(path, argv), 0);
	CHECK_STR(out, want);
}

int main(int argc, char **argv, char **envp)
{
	if (envp[0] && !strcmp(envp[0], "SCRIPT_REPORT=1"))
		return report(argc, argv);
	char *args[] = { "zero", "one", "two", 0 };
	copy_self();

	/* The line split: the name, and all the rest as one argument. */
	put_script(S "1", "#!" INTERP " -x\nrest of the script\n");
	expect_run(S "1", args, "[" INTERP "][-x][" S "1][one][two] execfn=" S "1 exe=" INTERP
	           " comm=script-s1\n");
	put_script(S "1", "#! \t " INTERP "  -x  y\tz \t \n");
	expect_run(S "1", args, "[" INTERP "][-x  y\tz][" S "1][one][two] execfn=" S "1 exe=" INTERP
	           " comm=script-s1\n");
	put_script(S "1", "#!" INTERP "\n");            /* no argument */
	expect_run(S "1", args, "[" INTERP "][" S "1][one][two] execfn=" S "1 exe=" INTERP " comm=script-s1\n");
	put_file(S "1", "#!" INTERP "\0 -x\n", sizeof("#!" INTERP "\0 -x\n") - 1, 0755);   /* a NUL ends it */
	expect_run(S "1", args, "[" INTERP "][" S "1][one][two] execfn=" S "1 exe=" INTERP " comm=script-s1\n");
	put_script(S "1", "#!" INTERP);                 /* no newline: the file's end */
	char *just[] = { "zero", 0 };
	expect_run(S "1", just, "[" INTERP "][" S "1] execfn=" S "1 exe=" INTERP " comm=script-s1\n");

	/* The path exactly as execve got it; an empty argv loses nothing. */
	CHECK_OK(chdir("/tmp"));
	expect_run("script-s1", args, "[" INTERP "][script-s1][one][two] execfn=script-s1 exe=" INTERP
	           " comm=script-s1\n");
	char *none[] = { 0 };
	expect_run("./script-s1", none, "[" INTERP "][./script-s1] execfn=./script-s1 exe=" INTERP
	           " comm=script-s1\n");
	CHECK_OK(chdir("/"));

	/* A line longer than 256 bytes: the argument is cut where Linux cuts it
	 * (the buffer's last byte ends it), the name must end inside. */
	char line[400], want[800];
	int head = snprintf(line, sizeof line, "#!%s ", INTERP);
	memset(line + head, 'a', 300);
	line[head + 300] = '\n';
	put_file(S "1", line, head + 301, 0755);
	snprintf(want, sizeof want, "[%s][%.*s][%s] execfn=%s exe=%s comm=script-s1\n", INTERP,
	         255 - head, line + head, S "1", S "1", INTERP);
	expect_run(S "1", just, want);
	memset(line, 'b', sizeof line);
	line[0] = '#', line[1] = '!', line[2] = '/';
	put_file(S "1", line, sizeof line, 0755);
	CHECK_EQ(run(S "1", just), ENOEXEC);            /* a name that may go on */

	/* Scripts running scripts: five deep, and ELOOP at six. */
	char text[64];
	for (int i = 1; i <= 6; i++) {
		if (i < 6)
			snprintf(text, sizeof text, "#!%s%d x%d\n", S, i + 1, i);
		else
			snprintf(text, sizeof text, "#!%s x6\n", INTERP);
		char path[32];
		snprintf(path, sizeof path, "%s%d", S, i);
		put_script(path, text);
	}
	expect_run(S "2", just, "[" INTERP "][x6][" S "6][x5][" S "5][x4][" S "4][x3][" S "3][x2][" S "2]"
	           " execfn=" S "2 exe=" INTERP " comm=script-s2\n");
	CHECK_EQ(run(S "1", just), ELOOP);

	/* Errors. */
	put_script(S "1", "#!\n");
	CHECK_EQ(run(S "1", just), ENOEXEC);            /* no interpreter */
	put_script(S "1", "#!  \t \n");
	CHECK_EQ(run(S "1", just), ENOEXEC);
	put_script(S "1", "#!/tmp/no-such-interpreter\n");
	CHECK_EQ(run(S "1", just), ENOENT);
	put_script(S "1", "#!" INTERP "\r\n");          /* the \r is part of the name */
	CHECK_EQ(run(S "1", just), ENOENT);
	put_script(S "1", "#!/tmp\n");
	CHECK_EQ(run(S "1", just), EACCES);             /* a directory */
	put_script(S "1", "#!" S "7\n");
	put_file(S "7", "#!" INTERP "\n", strlen("#!" INTERP "\n"), 0644);
	CHECK_EQ(run(S "1", just), EACCES);             /* an interpreter without x */
	CHECK_EQ(run(S "7", just), EACCES);             /* a script without x */
	put_script(S "1", "#!" INTERP "\n");
	int w = open(S "1", O_WRONLY);
	CHECK(w >= 0);
	CHECK_EQ(run(S "1", just), ETXTBSY);            /* a script being written */
	CHECK_OK(close(w));
	CHECK_EQ(run(S "1", just), 0);

	for (int i = 1; i <= 7; i++) {
		char path[32];
		snprintf(path, sizeof path, "%s%d", S, i);
		CHECK_OK(unlink(path));
	}
	CHECK_OK(unlink(INTERP));
	return 0;
}
