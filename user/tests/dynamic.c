/*
 * Debian's own dynamically linked i386 programs, unchanged: coreutils'
 * echo, cat, true, seq, wc, sort and head in /usr/bin, with Debian's glibc
 * (/lib/ld-linux.so.2 and /lib/i386-linux-gnu/libc.so.6), which make
 * fetches and puts into the initrd, and the oracle's too.  Each runs with
 * its output caught, and must print exactly what it prints on Linux.
 *
 * Then what the kernel tells the dynamic loader: LD_SHOW_AUXV=1 makes
 * ld.so print the auxiliary vector, which must hold the program's own
 * headers and entry point, the interpreter's base, the ids (as root and
 * as uid 1000) and AT_SECURE 0; a set-user-id copy run by uid 1000 gets
 * AT_SECURE 1, and ld.so then ignores LD_SHOW_AUXV and prints nothing.
 * And ld.so run as a program runs the program it is given.
 */
#include "creds.h"
#include <stdint.h>
#include <sys/stat.h>
#include <uapi/elf.h>

struct run {
	int status;
	char out[8192], err[512];
};

static void read_all(int fd, char *buf, size_t size)
{
	size_t n = 0;
	for (ssize_t r; n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0;)
		n += r;
	buf[n] = 0;
}

/* Run path with argv and envp, input on its standard input. */
static void run(const char *path, char *const argv[], char *const envp[], const char *input, struct run *r)
{
	int in[2], out[2], err[2];
	CHECK_OK(pipe(in));
	CHECK_OK(pipe(out));
	CHECK_OK(pipe(err));
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		for (int fd = 3; fd < 10; fd++)
			close(fd);
		execve(path, argv, envp);
		_exit(100 + errno);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	size_t n = strlen(input);       /* small: it fits in the pipe */
	CHECK_EQ(write(in[1], input, n), (long)n);
	close(in[1]);
	read_all(out[0], r->out, sizeof r->out);
	read_all(err[0], r->err, sizeof r->err);
	close(out[0]);
	close(err[0]);
	r->status = wait_status(pid);
}

static char *const no_env[] = { NULL };

/* Run /usr/bin/NAME with these arguments; it must exit status and print out. */
static void expect(const char *input, int status, const char *out, const char *err, char *const argv[])
{
	char path[64];
	struct run r;
	snprintf(path, sizeof path, "/usr/bin/%s", argv[0]);
	run(path, argv, no_env, input, &r);
	printf("%s: status %#x\n", argv[0], r.status);
	CHECK_STR(r.err, err);
	CHECK_STR(r.out, out);
	CHECK_EQ(r.status, status << 8);
}

/* The value of "AT_NAME:  value" in ld.so's LD_SHOW_AUXV output, or NULL. */
static const char *aux_value(const char *out, const char *name)
{
	static char value[128];
	size_t n = strlen(name);
	for (const char *l = out; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		if (strncmp(l, name, n) || l[n] != ':')
			continue;
		const char *v = l + n + 1;
		while (*v == ' ')
			v++;
		size_t len = strcspn(v, "\n");
		if (len >= sizeof value)
			return NULL;
		memcpy(value, v, len);
		value[len] = 0;
		return value;
	}
	return NULL;
}

static unsigned long aux_number(const char *out, const char *name)
{
	const char *v = aux_value(out, name);
	if (!v)
		check_fail(__FILE__, __LINE__, "ld.so printed no %s in:\n%s", name, out);
	return strtoul(v, NULL, 0);
}

/* /usr/bin/true's entry point and where its program headers are. */
static void true_headers(uint32_t *entry, uint32_t *phdr_vaddr, uint32_t *phnum)
{
	struct elf32_ehdr h;
	struct elf32_phdr ph;
	int fd;
	CHECK_OK(fd = open("/usr/bin/true", O_RDONLY));
	CHECK_EQ(read(fd, &h, sizeof h), (long)sizeof h);
	*entry = h.e_entry;
	*phnum = h.e_phnum;
	*phdr_vaddr = 0;
	for (int i = 0; i < h.e_phnum; i++) {
		CHECK_EQ(lseek(fd, h.e_phoff + i * sizeof ph, SEEK_SET), (long)(h.e_phoff + i * sizeof ph));
		CHECK_EQ(read(fd, &ph, sizeof ph), (long)sizeof ph);
		if (ph.p_type == PT_PHDR)
			*phdr_vaddr = ph.p_vaddr;
	}
	CHECK(*phdr_vaddr);
	CHECK_OK(close(fd));
}

/* LD_SHOW_AUXV=1 /usr/bin/true, and check what the kernel told ld.so. */
static void check_auxv(unsigned ids)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { "LD_SHOW_AUXV=1", NULL };
	struct run r;
	run("/usr/bin/true", argv, envp, "", &r);
	CHECK_EQ(r.status, 0);
	CHECK_STR(r.err, "");
	uint32_t entry, phdr_vaddr, phnum;
	true_headers(&entry, &phdr_vaddr, &phnum);
	CHECK_EQ(aux_number(r.out, "AT_PAGESZ"), 4096);
	CHECK_EQ(aux_number(r.out, "AT_PHENT"), 32);
	CHECK_EQ(aux_number(r.out, "AT_PHNUM"), phnum);
	/* A PIE lands anywhere, but in one piece: */
	CHECK_EQ(aux_number(r.out, "AT_ENTRY") - aux_number(r.out, "AT_PHDR"), entry - phdr_vaddr);
	unsigned long base = aux_number(r.out, "AT_BASE");
	CHECK(base != 0 && base % 4096 == 0);
	CHECK_EQ(aux_number(r.out, "AT_UID"), ids);
	CHECK_EQ(aux_number(r.out, "AT_EUID"), ids);
	CHECK_EQ(aux_number(r.out, "AT_GID"), ids);
	CHECK_EQ(aux_number(r.out, "AT_EGID"), ids);
	CHECK_EQ(aux_number(r.out, "AT_SECURE"), 0);
	CHECK_STR(aux_value(r.out, "AT_EXECFN"), "/usr/bin/true");
	CHECK_STR(aux_value(r.out, "AT_PLATFORM"), "i686");
}

static void as_user_auxv(void)
{
	drop_to(USER, GROUP, 0, NULL);
	check_auxv(USER);
	/* A set-user-id program: AT_SECURE, so ld.so ignores LD_SHOW_AUXV. */
	char *argv[] = { "dynamic_suid", NULL };
	char *envp[] = { "LD_SHOW_AUXV=1", NULL };
	struct run r;
	run("/tmp/dynamic_suid", argv, envp, "", &r);
	CHECK_EQ(r.status, 0);
	CHECK_STR(r.err, "");
	CHECK_STR(r.out, "");
}

/* A line of /proc/self/maps naming path, executable. */
static int maps_has_code(const char *maps, const char *path)
{
	for (const char *l = maps; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		size_t len = strcspn(l, "\n"), n = strlen(path);
		if (len > n && !memcmp(l + len - n, path, n) && l[len - n - 1] == ' ' && strstr(l, " r-xp ") &&
		    strstr(l, " r-xp ") < l + len)
			return 1;
	}
	return 0;
}

int main(void)
{
	if (access("/lib/ld-linux.so.2", F_OK) || access("/usr/bin/echo", F_OK))
		SKIP("Debian's glibc and coreutils are not in this initrd (make fetch-busybox fetches them)");

	expect("", 0, "hello, dynamic world\n", "", (char *[]){ "echo", "hello,", "dynamic world", NULL });
	expect("", 0, "1\n2\n3\n", "", (char *[]){ "seq", "3", NULL });
	expect("pear\napple\nfig\n", 0, "apple\nfig\npear\n", "", (char *[]){ "sort", NULL });
	expect("12345", 0, "5\n", "", (char *[]){ "wc", "-c", NULL });
	expect("", 0, "", "", (char *[]){ "true", NULL });
	int fd;
	CHECK_OK(fd = open("/tmp/dynamic_file", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	CHECK_EQ(write(fd, "first\nsecond\nthird\n", 19), 19);
	CHECK_OK(close(fd));
	expect("", 0, "first\nsecond\n", "", (char *[]){ "head", "-n", "2", "/tmp/dynamic_file", NULL });
	expect("", 0, "first\nsecond\nthird\n", "", (char *[]){ "cat", "/tmp/dynamic_file", NULL });
	expect("", 1, "", "cat: /tmp/dynamic_none: No such file or directory\n",
	       (char *[]){ "cat", "/tmp/dynamic_none", NULL });
	CHECK_OK(unlink("/tmp/dynamic_file"));

	/* ld.so as a program (ET_DYN without an interpreter of its own). */
	struct run r;
	run("/lib/ld-linux.so.2", (char *[]){ "ld.so", "/usr/bin/echo", "direct", NULL }, no_env, "", &r);
	CHECK_STR(r.err, "");
	CHECK_STR(r.out, "direct\n");
	CHECK_EQ(r.status, 0);

	/* The loader's and the C library's code, mapped from their files. */
	run("/usr/bin/cat", (char *[]){ "cat", "/proc/self/maps", NULL }, no_env, "", &r);
	CHECK_EQ(r.status, 0);
	CHECK(maps_has_code(r.out, "/usr/bin/cat") || (printf("%s", r.out), 0));
	CHECK(maps_has_code(r.out, "/lib/ld-linux.so.2") || (printf("%s", r.out), 0));
	CHECK(maps_has_code(r.out, "/lib/i386-linux-gnu/libc.so.6") || (printf("%s", r.out), 0));

	check_auxv(0);
	/* A set-user-id root copy of true, for uid 1000 to run. */
	int src, dst;
	static char buf[65536];
	CHECK_OK(src = open("/usr/bin/true", O_RDONLY));
	CHECK_OK(dst = open("/tmp/dynamic_suid", O_WRONLY | O_CREAT | O_TRUNC, 0755));
	for (ssize_t n; (n = read(src, buf, sizeof buf)) > 0;)
		CHECK_EQ(write(dst, buf, n), n);
	CHECK_OK(close(src));
	CHECK_OK(fchmod(dst, 04755));
	CHECK_OK(close(dst));
	pid_t pid;
	CHECK_OK(pid = fork());
	if (pid == 0) {
		as_user_auxv();
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(unlink("/tmp/dynamic_suid"));
	return 0;
}
