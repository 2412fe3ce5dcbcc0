/*
 * execve: errors, argv/envp/auxv on the new stack, what survives an exec
 * (pid, parent, descriptors without O_CLOEXEC and their offsets), and an
 * empty argv as Linux 6.1 fills it in.
 *
 * The test runs itself again with a mode word in argv[1]; those runs are
 * the "child:" functions below.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <uapi/auxv.h>

extern char __ehdr_start[];      /* the linker's name for our ELF header */
extern void _start(void);
unsigned long getauxval(unsigned long key);

#define NOELF "/tmp/exec-noelf"
#define NOEXEC "/tmp/exec-noexec"
#define FDFILE "/tmp/exec-fds"

/* Run path with argv in a child; return the child's status word. */
static int spawn(const char *path, char *const argv[], char *const envp[])
{
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		execve(path, argv, envp);
		printf("execve %s: errno %d\n", path, errno);
		_exit(99);
	}
	return wait_status(pid);
}

static int child_args(int argc, char **argv, char **envp)
{
	CHECK_EQ(argc, 5);
	CHECK_STR(argv[2], "two words");
	CHECK_STR(argv[3], "");
	CHECK_STR(argv[4], "last");
	CHECK(argv[5] == NULL);
	CHECK_STR(envp[0], "A=1");
	CHECK_STR(envp[1], "B=");
	CHECK(envp[2] == NULL);
	CHECK_STR(getenv("A"), "1");
	CHECK(getenv("C") == NULL);
	/* Linux starts _start with argc on a 16-byte boundary. */
	CHECK_EQ((unsigned long)(argv - 1) % 16, 0);
	return 0;
}

static int child_auxv(int argc, char **argv)
{
	const unsigned char *ehdr = (const unsigned char *)__ehdr_start;
	unsigned long phoff = *(const unsigned long *)(ehdr + 28);   /* e_phoff */
	unsigned short phnum = *(const unsigned short *)(ehdr + 44); /* e_phnum */

	(void)argc;
	CHECK_EQ(getauxval(AT_PAGESZ), 4096);
	CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)_start);
	CHECK_EQ(getauxval(AT_PHDR), (unsigned long)ehdr + phoff);
	CHECK_EQ(getauxval(AT_PHENT), 32);
	CHECK_EQ(getauxval(AT_PHNUM), phnum);
	CHECK_EQ(getauxval(AT_BASE), 0);             /* static: no interpreter */

	/* AT_RANDOM: 16 bytes, on the stack above the argument strings. */
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	CHECK(rnd != NULL);
	CHECK((unsigned long)rnd > (unsigned long)argv);
	int nonzero = 0;
	for (int i = 0; i < 16; i++)
		nonzero |= rnd[i];
	CHECK(nonzero);
	printf("%02x%02x%02x%02x%02x%02x%02x%02x\n", rnd[0], rnd[1], rnd[2], rnd[3],
	       rnd[4], rnd[5], rnd[6], rnd[7]);

	/* Optional entries, checked only when present. */
	if (getauxval(AT_EXECFN))
		CHECK_STR((const char *)getauxval(AT_EXECFN), argv[0]);
	if (getauxval(AT_UID) || getauxval(AT_EUID))
		CHECK_EQ(getauxval(AT_UID), getuid());
	return 0;
}

static int child_ids(char **argv)
{
	CHECK_EQ(getpid(), atoi(argv[2]));           /* exec keeps the pid */
	CHECK_EQ(getppid(), atoi(argv[3]));          /* and the parent */
	return 0;
}

static int child_fds(char **argv)
{
	int closed1 = atoi(argv[2]), open1 = atoi(argv[3]), closed2 = atoi(argv[4]);
	char buf[8];

	CHECK_ERR(fcntl(closed1, F_GETFD), EBADF);  /* O_CLOEXEC */
	CHECK_ERR(fcntl(closed2, F_GETFD), EBADF);  /* FD_CLOEXEC via F_SETFD */
	CHECK_EQ(fcntl(open1, F_GETFD), 0);
	CHECK_EQ(lseek(open1, 0, SEEK_CUR), 2);      /* offset shared with the parent */
	CHECK_EQ(write(open1, "z", 1), 1);
	CHECK_EQ(pread64(open1, buf, 3, 0), 3);
	CHECK(!memcmp(buf, "xyz", 3));
	return 0;
}

static void test_errors(char *self)
{
	char *argv[] = { "x", NULL };
	char *envp[] = { NULL };
	int fd;

	CHECK_ERR(execve("/no/such/file", argv, envp), ENOENT);
	CHECK_ERR(execve("", argv, envp), ENOENT);
	CHECK_ERR(execve("/tmp", argv, envp), EACCES);       /* a directory */

	char path[128];
	snprintf(path, sizeof(path), "%s/sub", self);
	CHECK_ERR(execve(path, argv, envp), ENOTDIR);        /* through a file */
	CHECK_ERR(execve((char *)1, argv, envp), EFAULT);

	/* Executable, but not ELF: ENOEXEC. */
	CHECK_OK(fd = open(NOELF, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	CHECK_EQ(write(fd, "\x01\x02\x03\x04 not an ELF file\n", 22), 22);
	CHECK_OK(close(fd));
	CHECK_ERR(execve(NOELF, argv, envp), ENOEXEC);
	CHECK_OK(unlink(NOELF));

	/* No execute permission: EACCES, even for root. */
	CHECK_OK(fd = open(NOEXEC, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	CHECK_OK(close(fd));
	CHECK_ERR(execve(NOEXEC, argv, envp), EACCES);
	CHECK_OK(unlink(NOEXEC));

	/* A failed execve left us running, with our memory intact. */
	CHECK_EQ(getpid(), getpid());
}

static void test_args(char *self)
{
	char *argv[] = { self, "args", "two words", "", "last", NULL };
	char *envp[] = { "A=1", "B=", NULL };
	CHECK_EQ(spawn(self, argv, envp), 0);

	char *argv2[] = { self, "auxv", NULL };
	CHECK_EQ(spawn(self, argv2, envp), 0);

	/* Exit codes pass through exec. */
	char *argv3[] = { self, "exit", NULL };
	CHECK_EQ(spawn(self, argv3, envp), 33 << 8);
}

static void test_ids(char *self)
{
	fflush(NULL);
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		char mine[16], parent[16];
		snprintf(mine, sizeof(mine), "%d", getpid());
		snprintf(parent, sizeof(parent), "%d", getppid());
		char *argv[] = { self, "ids", mine, parent, NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	CHECK_EQ(wait_status(pid), 0);
}

static void test_cloexec(char *self)
{
	int a, b, c;
	char sa[8], sb[8], sc[8];

	CHECK_OK(a = open(FDFILE, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
	CHECK_EQ(fcntl(a, F_GETFD), FD_CLOEXEC);
	CHECK_OK(b = open(FDFILE, O_RDWR));
	CHECK_EQ(fcntl(b, F_GETFD), 0);
	CHECK_OK(c = dup(b));
	CHECK_EQ(fcntl(c, F_GETFD), 0);              /* dup clears FD_CLOEXEC */
	CHECK_OK(fcntl(c, F_SETFD, FD_CLOEXEC));
	CHECK_EQ(write(b, "xy", 2), 2);
	snprintf(sa, sizeof(sa), "%d", a);
	snprintf(sb, sizeof(sb), "%d", b);
	snprintf(sc, sizeof(sc), "%d", c);
	char *argv[] = { self, "fds", sa, sb, sc, NULL };
	CHECK_EQ(spawn(self, argv, environ), 0);
	CHECK_EQ(lseek(b, 0, SEEK_CUR), 3);          /* the child's write moved our offset */
	close(a);
	close(b);
	close(c);
	CHECK_OK(unlink(FDFILE));
}

/* Started with an empty argv: Linux (since 5.18) gives one empty string,
 * so argc is 1, argv[1] is the end and envp is as it was passed. */
static int child_empty_argv(int argc, char **argv, char **envp)
{
	CHECK_EQ(argc, 1);
	CHECK_STR(argv[0], "");
	CHECK(argv[1] == NULL);
	CHECK(envp == argv + 2);
	CHECK_STR(envp[0], "EMPTY_ARGV=1");
	CHECK(envp[1] == NULL);
	return 0;
}

static void test_empty_argv(char *self)
{
	char *none[] = { NULL };
	char *env[] = { "EMPTY_ARGV=1", NULL };
	CHECK_EQ(spawn(self, none, env), 0);
	CHECK_EQ(spawn(self, NULL, env), 0);            /* a NULL argv is empty too */
}

int main(int argc, char **argv, char **envp)
{
	if (argc == 1 && argv[0][0] == 0 && envp[0] && !strcmp(envp[0], "EMPTY_ARGV=1"))
		return child_empty_argv(argc, argv, envp);
	if (argc > 1 && !strcmp(argv[1], "args"))
		return child_args(argc, argv, envp);
	if (argc > 1 && !strcmp(argv[1], "auxv"))
		return child_auxv(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "ids"))
		return child_ids(argv);
	if (argc > 1 && !strcmp(argv[1], "fds"))
		return child_fds(argv);
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 33;

	CHECK(argv[0][0] == '/');       /* we re-run ourselves by this path */
	test_errors(argv[0]);
	test_args(argv[0]);
	test_ids(argv[0]);
	test_cloexec(argv[0]);
	test_empty_argv(argv[0]);
	return 0;
}
