/*
 * Starting the guest kernel (/bin/uml, which needs the host's altmm):
 *  - with no mem= it has 256 MiB, and an idle guest costs the host little
 *    of that: MemFree drops by less than 16 MiB while its init waits;
 *  - mem=64M is 64 MiB;
 *  - a memory size it cannot read (mem=abc, mem=4G) or cannot get
 *    (mem=3G: more than uml's own address space can hold beside itself),
 *    and an init that does not exist, each end uml with one line on its
 *    standard error saying why, nothing else, and a non-zero status.
 * The guest's init here is this program again ("child"): it says "up"
 * and waits for its standard input to end.  (The archive of tests,
 * tools/oracle.py, holds /bin/uml once it is built; without it, a skip.)
 */
#include "check.h"

struct run {
	int status;
	char out[512], err[1024];
};

static void read_all(int fd, char *buf, size_t size)
{
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, size - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	buf[n] = 0;
}

/* Start uml with argv; if idle_kb, wait for the guest's "up", measure
 * MemFree's drop into *idle_kb and only then let the guest end. */
static void run_uml(char *const argv[], struct run *r, long *idle_kb)
{
	int in[2], out[2], err[2];
	CHECK_OK(pipe(in));
	CHECK_OK(pipe(out));
	CHECK_OK(pipe(err));
	long before = meminfo_kb("MemFree");
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		for (int fd = 3; fd < 10; fd++)
			close(fd);
		execve("/bin/uml", argv, (char *[]){ NULL });
		_exit(99);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (idle_kb) {
		char up[3] = "";
		CHECK_EQ(read(out[0], up, 3), 3);       /* "up\n": the guest idles now */
		CHECK(!memcmp(up, "up\n", 3));
		*idle_kb = before - meminfo_kb("MemFree");
	}
	close(in[1]);                                   /* the guest's init ends */
	read_all(out[0], r->out, sizeof r->out);
	read_all(err[0], r->err, sizeof r->err);
	close(out[0]);
	close(err[0]);
	r->status = wait_status(pid);
}

static void expect_refused(char *const argv[], int status, const char *line)
{
	struct run r;
	run_uml(argv, &r, NULL);
	CHECK_EQ(r.status, status << 8);
	CHECK_STR(r.out, "");
	CHECK(strncmp(r.err, line, strlen(line)) == 0 || (printf("stderr: %s", r.err), 0));
	char *nl = strchr(r.err, '\n');
	CHECK(nl && nl[1] == 0);                        /* one line */
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {                                 /* the guest's init */
		char c;
		printf("up\n");
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	require_altmm();
	if (access("/bin/uml", X_OK) < 0)       /* the tests' own archive (tools/oracle.py) has none */
		SKIP("no /bin/uml here (tools/oracle.py packs it when it is built)");
	struct run r;
	long idle_kb;
	run_uml((char *[]){ "uml", "--", "/tests/altmm_uml_start", "child", NULL }, &r, &idle_kb);
	CHECK_EQ(r.status, 0);
	CHECK_STR(r.err, "uml-guest: 256 MiB, init /tests/altmm_uml_start\n");
	CHECK(idle_kb < 16 * 1024 || (printf("MemFree dropped by %ld kB\n", idle_kb), 0));
	printf("altmm_uml_start: a 256 MiB guest idles for %ld kB of host memory\n", idle_kb);

	run_uml((char *[]){ "uml", "mem=64M", "/tests/altmm_uml_start", "child", NULL }, &r, &idle_kb);
	CHECK_EQ(r.status, 0);
	CHECK(!strncmp(r.err, "uml-guest: 64 MiB, init /tests/altmm_uml_start\n", 48));

	expect_refused((char *[]){ "uml", "mem=abc", "/bin/echo", NULL }, 1,
	               "uml-guest: cannot start: mem=abc: not a memory size");
	expect_refused((char *[]){ "uml", "mem=4G", "/bin/echo", NULL }, 1,
	               "uml-guest: cannot start: mem=4G: not a memory size");
	expect_refused((char *[]){ "uml", "mem=3G", "/bin/echo", NULL }, 1,
	               "uml-guest: cannot start: cannot make 3072 MiB of guest memory (");
	expect_refused((char *[]){ "uml", "--", "/no/such/init", NULL }, 127,
	               "uml-guest: cannot start /no/such/init: No such file or directory");
	printf("altmm_uml_start: ok\n");
	return 0;
}
