/*
 * execve and credentials (execve(2), credentials(7)), as Linux 6.1:
 *   - a file needs x for the caller's class: EACCES; a directory or a
 *     file of no x bit is EACCES even for root; execute without read is
 *     enough; every directory on the way needs search;
 *   - the ids survive execve, except that the saved ids become the
 *     effective ones;
 *   - a set-user-id file makes its owner the effective and saved uid; a
 *     set-group-id file with group x makes its group the effective and
 *     saved gid (without group x the bit is a locking mark and does
 *     nothing); the fs ids follow; the real ids and the supplementary
 *     groups stay.
 * The program run is a copy of this test, which, given "--ids r e s fs rg
 * eg sg fsg", checks its own ids and exits 0 when they match.
 */
#include "creds.h"

#define D "/tmp/perm_exec"

static int child_checks(char **argv)
{
	unsigned want[8], got[8];
	for (int i = 0; i < 8; i++)
		want[i] = (unsigned)strtoul(argv[i], 0, 10);
	if (sc(__NR_getresuid32, &got[0], &got[1], &got[2]) || sc(__NR_getresgid32, &got[4], &got[5], &got[6]))
		return 2;
	got[3] = (unsigned)sc(__NR_setfsuid32, -1);
	got[7] = (unsigned)sc(__NR_setfsgid32, -1);
	for (int i = 0; i < 8; i++)
		if (got[i] != want[i]) {
			printf("id %d: expected %u, got %u\n", i, want[i], got[i]);
			return 3;
		}
	unsigned g[4];
	if (sc(__NR_getgroups32, 4, g) != 1 || g[0] != 3000)
		return 4;			/* the groups stay */
	return 0;
}

/* Run path with the id arguments in a child; its exit status, or 1000 +
 * errno when execve failed. */
static int run(const char *path, const char *ids)
{
	fflush(stdout);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char buf[128];
		char *argv[12] = { (char *)path, "--ids" };
		int n = 2;
		strcpy(buf, ids);
		for (char *p = buf; *p && n < 11;) {	/* split at spaces */
			argv[n++] = p;
			while (*p && *p != ' ')
				p++;
			if (*p)
				*p++ = 0;
		}
		argv[n] = 0;
		execve(path, argv, environ);
		_exit(100 + errno);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status) >= 100 ? 1000 + WEXITSTATUS(status) - 100 : WEXITSTATUS(status);
}

static void user_runs(void)
{
	/* Permission to execute. */
	CHECK_EQ(run(D "/rw-only", "0"), 1000 + EACCES);
	CHECK_EQ(run(D "/others-0700", "0"), 1000 + EACCES);
	CHECK_EQ(run(D, "0"), 1000 + EACCES);
	CHECK_EQ(run(D "/nosearch/prog", "0"), 1000 + EACCES);
	/* x without r, not set-id: the ids stay, saved = effective. */
	CHECK_EQ(run(D "/xonly", "1000 1000 1000 1000 1000 1000 1000 1000"), 0);
	/* Set-user-id and set-group-id. */
	CHECK_EQ(run(D "/suid", "1000 1234 1234 1234 1000 4321 4321 4321"), 0);
	CHECK_EQ(run(D "/suid-only", "1000 1234 1234 1234 1000 1000 1000 1000"), 0);
	CHECK_EQ(run(D "/sgid-nox", "1000 1000 1000 1000 1000 1000 1000 1000"), 0);
}

/* Different real, effective and saved ids: exec makes saved = effective. */
static void mixed(void)
{
	CHECK_OK(sc(__NR_setresgid32, 10, 20, 30));
	CHECK_OK(sc(__NR_setresuid32, 1000, 2000, 3000));
	CHECK_EQ(run(D "/plain", "1000 2000 2000 2000 10 20 20 20"), 0);
	CHECK_EQ(run(D "/suid", "1000 1234 1234 1234 10 4321 4321 4321"), 0);
}

static void as_root(void)
{
	CHECK_EQ(run(D "/rw-only", "0"), 1000 + EACCES);	/* no x bit: not even root */
	CHECK_EQ(run(D "/others-0700", "0 0 0 0 0 0 0 0"), 0);	/* some x bit: root may */
	CHECK_EQ(run(D, "0"), 1000 + EACCES);
}

static void copy(const char *to, unsigned mode, unsigned uid, unsigned gid)
{
	static char buf[1 << 20];
	int in = open("/proc/self/exe", O_RDONLY);
	CHECK(in >= 0);
	int n = read(in, buf, sizeof buf);
	CHECK(n > 0 && n < (int)sizeof buf);
	close(in);
	int out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	CHECK(out >= 0);
	CHECK_EQ(write(out, buf, n), n);
	close(out);
	CHECK_OK(sc(__NR_chown32, to, uid, gid));
	CHECK_OK(chmod(to, mode));
}

int main(int argc, char **argv)
{
	if (argc == 10 && !strcmp(argv[1], "--ids"))
		return child_checks(argv + 2);
	rm_rf(D);
	make_dir(D, 0755, 0, 0);
	copy(D "/rw-only", 0666, USER, GROUP);
	copy(D "/others-0700", 0700, OTHER, OTHER);
	copy(D "/xonly", 0111, OTHER, OTHER);
	copy(D "/plain", 0755, OTHER, OTHER);
	copy(D "/suid", 06755, 1234, 4321);
	copy(D "/suid-only", 04755, 1234, 4321);
	copy(D "/sgid-nox", 02745, 1234, 4321);
	make_dir(D "/nosearch", 0766, OTHER, OTHER);
	copy(D "/nosearch/prog", 0755, OTHER, OTHER);
	static const unsigned groups[] = { 3000 };
	run_as(USER, GROUP, 1, groups, user_runs);
	run_as(0, 0, 1, groups, mixed);
	run_as(0, 0, 1, groups, as_root);
	rm_rf(D);
	printf("perm_exec: ok\n");
	return 0;
}
