/*
 * Linux's limits on names and arguments, which hold in the guest as on the
 * host: a path of PATH_MAX - 1 (4095) bytes works in open, stat, mkdir,
 * chdir, getcwd, unlink and rmdir, one of 4096 is ENAMETOOLONG; execve
 * takes argv plus envp of 120 KiB (and hands every byte over), and refuses
 * with E2BIG one string longer than 128 KiB (MAX_ARG_STRLEN) or 2.5 MiB in
 * all.
 */
#include "check.h"
#include <sys/stat.h>

#define PATH_MAX 4096
#define NAME 200                        /* the length of each directory name */

static char path[PATH_MAX + 16], got[PATH_MAX + 16];

static void test_paths(void)
{
	char name[NAME + 1];
	memset(name, 'd', NAME);
	name[NAME] = 0;
	int n = snprintf(path, sizeof path, "/tmp/limits_path.%d", getpid());
	CHECK_OK(mkdir(path, 0755));
	int depth = 0;
	while (n + 1 + NAME < PATH_MAX - 1 - 20) {     /* room for the last name */
		n += snprintf(path + n, sizeof path - n, "/%s", name);
		CHECK_OK(mkdir(path, 0755));            /* an absolute path, each longer */
		depth++;
	}
	/* The deepest directory, by its absolute name and as the cwd. */
	CHECK_OK(chdir(path));
	CHECK(getcwd(got, sizeof got) == got);
	CHECK_STR(got, path);
	CHECK(getcwd(got, strlen(path)) == NULL);       /* no room for the NUL */
	CHECK_EQ(errno, ERANGE);
	/* A file whose absolute name is exactly 4095 bytes. */
	int dir_len = n;
	path[n++] = '/';
	while (n < PATH_MAX - 1)
		path[n++] = 'f';
	path[n] = 0;
	CHECK_EQ(strlen(path), PATH_MAX - 1);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, "ok", 2), 2);
	close(fd);
	struct stat64 st;
	CHECK_OK(stat(path, &st));
	CHECK_EQ(st.st_size, 2);
	CHECK_OK(stat(path + dir_len + 1, &st));        /* relative to the cwd */
	/* One more byte: too long, before anything is looked up. */
	path[n++] = 'f';
	path[n] = 0;
	CHECK_ERR(open(path, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR(stat(path, &st), ENAMETOOLONG);
	CHECK_ERR(mkdir(path, 0755), ENAMETOOLONG);
	path[--n] = 0;
	CHECK_OK(unlink(path));
	path[dir_len] = 0;
	CHECK_OK(chdir("/"));
	for (; depth >= 0; depth--) {
		CHECK_OK(rmdir(path));
		*strrchr(path, '/') = 0;
	}
}

/* The child: argv[1] says how many bytes argv and envp hold in all. */
static int child(int argc, char **argv, char **envp)
{
	long want = strtol(argv[1], NULL, 10), have = 0;
	for (int i = 0; i < argc; i++)
		have += strlen(argv[i]) + 1;
	for (int i = 0; envp[i]; i++)
		have += strlen(envp[i]) + 1;
	return have == want ? 0 : 1;
}

static char *big[64], strings[3 << 20];

/* exec ourselves with count strings of len bytes each in argv (half)
 * and envp (half); the status, or -errno if execve failed. */
static int spawn(const char *self, int count, int len)
{
	char total[32];
	static char *argv[64], *envp[64];
	long sum = strlen(self) + 1;
	CHECK(count <= 60 && (long)count * (len + 1) < (long)sizeof strings);
	int na = 0, ne = 0;
	argv[na++] = (char *)self;
	argv[na++] = total;
	for (int i = 0; i < count; i++) {
		char *s = strings + (long)i * (len + 1);
		memset(s, 'a' + i % 26, len);
		s[len] = 0;
		if (i % 2)
			envp[ne++] = s;
		else
			argv[na++] = s;
		sum += len + 1;
	}
	argv[na] = envp[ne] = NULL;
	snprintf(total, sizeof total, "%ld", 0L);
	int w = snprintf(total, sizeof total, "%ld", sum);
	sum += w + 1;
	snprintf(total, sizeof total, "%ld", sum);
	if ((int)strlen(total) != w) {               /* the number grew a digit */
		sum++;
		snprintf(total, sizeof total, "%ld", sum);
	}
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		execve(self, argv, envp);
		int e = errno;
		write(p[1], &e, sizeof e);
		_exit(99);
	}
	close(p[1]);
	int e = 0;
	int r = read(p[0], &e, sizeof e);
	close(p[0]);
	int status = wait_status(pid);
	return r == sizeof e ? -e : status;
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1)
		return child(argc, argv, envp);
	(void)big;
	test_paths();
	CHECK_EQ(spawn(argv[0], 30, 4000), 0);          /* 120 KiB: all of it arrives */
	CHECK_EQ(spawn(argv[0], 1, 131072), -E2BIG);    /* one string of 128 KiB + NUL */
	CHECK_EQ(spawn(argv[0], 40, 65535), -E2BIG);    /* 2.5 MiB: over Linux's 2 (a quarter of the stack) */
	printf("limits_path_args: ok\n");
	return 0;
}
