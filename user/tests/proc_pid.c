/*
 * /proc/self and /proc/PID: each file parsed as ps, top and pmap parse
 * it, with its values checked against what the test itself just did.
 *
 *   status   Linux 6.1's lines in Linux's order; Pid, PPid, Uid, Name;
 *            VmRSS grows by exactly N pages when N new pages are touched,
 *            VmSize by N when N are mapped; SigBlk, SigIgn, SigCgt bits
 *   statm    agrees with status (VmSize, VmRSS)
 *   stat     52 fields; pid, comm, state, ppid, pgrp, session, vsize, rss
 *   maps     a mapping just made: its range, permissions, offset, device,
 *            inode and file name, in Linux's columns
 *   cmdline, environ   main's argv and envp, NUL-separated
 *   comm     writable: a long name reads back cut to 15 bytes; another
 *            process's comm refuses (EINVAL)
 *   exec     after execve, comm, stat, status and cmdline name the new program
 *   fd/, fdinfo/  a link per descriptor; pos after lseek, flags in octal
 *   limits   Linux's table, with a limit just set
 *   pagemap  present bit and frame number of a touched page (no frame
 *            number for a reader that is not root); 0 for an
 *            untouched one; EINVAL for a read of part of an entry
 *   cwd, root, exe  the links
 *   times    a child's CPU time shows in its stat, and in our cutime once reaped
 */
#include "check.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <dirent.h>

static char buf[16384], buf2[16384];
static int ours;	/* on our kernel (asked once: uname's buffer would grow the stack) */

/* The whole file (fresh open), NUL-terminated: its length. */
static int slurp(const char *path, char *b, int size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		check_fail(__FILE__, __LINE__, "open %s: %s", path, strerror(errno));
	int len = 0, n;
	while (len < size - 1 && (n = read(fd, b + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	b[len] = 0;
	return len;
}

/* The value after "Key:\t" in a status text, or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : 0)
		if (!strncmp(p, key, k) && p[k] == ':' && p[k + 1] == '\t')
			return p + k + 2;
	return NULL;
}

static long status_num(const char *key)
{
	slurp("/proc/self/status", buf, sizeof buf);
	const char *v = field(buf, key);
	if (!v)
		check_fail(__FILE__, __LINE__, "no %s line in status", key);
	return strtol(v, NULL, 10);
}

static unsigned long long status_hex(const char *key)
{
	slurp("/proc/self/status", buf, sizeof buf);
	const char *v = field(buf, key);
	if (!v)
		check_fail(__FILE__, __LINE__, "no %s line in status", key);
	return strtoull(v, NULL, 16);
}

static void check_status_layout(void)
{
	/* The lines tools read, in Linux 6.1's order (others may come between). */
	static const char *const keys[] = {
		"Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid", "Uid", "Gid",
		"FDSize", "Groups", "NStgid", "NSpid", "NSpgid", "NSsid", "VmPeak", "VmSize", "VmLck",
		"VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
		"VmExe", "VmLib", "VmPTE", "VmSwap", "CoreDumping", "THP_enabled", "Threads", "SigQ",
		"SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff",
		"NoNewPrivs", "Seccomp", "Cpus_allowed", "Cpus_allowed_list",
		"voluntary_ctxt_switches", "nonvoluntary_ctxt_switches",
	};
	slurp("/proc/self/status", buf, sizeof buf);
	const char *at = buf;
	for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = field(at, keys[i]);
		if (!v)
			check_fail(__FILE__, __LINE__, "status: no %s line after the previous ones", keys[i]);
		at = v;
	}
	char want[64];
	snprintf(want, sizeof want, "%d\n", getpid());
	CHECK(!strncmp(field(buf, "Pid"), want, strlen(want)));
	CHECK(!strncmp(field(buf, "Tgid"), want, strlen(want)));
	snprintf(want, sizeof want, "%d\n", getppid());
	CHECK(!strncmp(field(buf, "PPid"), want, strlen(want)));
	unsigned u = getuid();
	snprintf(want, sizeof want, "%u\t%u\t%u\t%u\n", u, u, geteuid(), geteuid());
	CHECK(!strncmp(field(buf, "Uid"), want, strlen(want)));
	CHECK(!strncmp(field(buf, "State"), "R (running)\n", 12));
	CHECK(!strncmp(field(buf, "Threads"), "1\n", 2));
	CHECK(!strncmp(field(buf, "Umask"), "0022\n", 5));
	/* "VmRSS:\t    1234 kB": the number right-aligned in 8 columns. */
	const char *rss = field(buf, "VmRSS");
	CHECK(strchr(rss, '\n') - rss == 11 && !strncmp(strchr(rss, '\n') - 3, " kB", 3));
}

static void check_memory(void)
{
	enum { N = 16 };
	char *m = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	status_num("VmRSS");			/* fault in what reading costs */
	slurp("/proc/self/statm", buf2, sizeof buf2);
	long size0 = status_num("VmSize"), rss0 = status_num("VmRSS");
	for (int i = 0; i < N; i++)
		m[i * 4096] = 1;
	long rss1 = status_num("VmRSS");
	/* Here VmRSS counts the pages present now: exactly N more.  Linux 6.1
	 * counts a task's own faults in a cache it adds to the total only
	 * every 64 faults (SPLIT_RSS_COUNTING), so its VmRSS lags behind:
	 * there the pages themselves are counted, through pagemap. */
	if (ours)
		CHECK_EQ(rss1 - rss0, N * 4);
	else
		CHECK(rss1 - rss0 >= 0 && rss1 - rss0 <= N * 4);
	int pm = open("/proc/self/pagemap", O_RDONLY);
	CHECK_OK(pm);
	unsigned long long e[N];
	CHECK_EQ(pread64(pm, e, sizeof e, (off64_t)((unsigned long)m / 4096) * 8), (long)sizeof e);
	for (int i = 0; i < N; i++)
		CHECK(e[i] >> 63);
	close(pm);
	CHECK_EQ(status_num("VmSize"), size0);
	CHECK(status_num("VmPeak") >= size0);
	CHECK_EQ(status_num("RssAnon") + status_num("RssFile") + status_num("RssShmem"), rss1);

	/* statm, in pages: size resident shared text lib data dt. */
	slurp("/proc/self/statm", buf2, sizeof buf2);
	unsigned long v[7];
	char *p = buf2;
	for (int i = 0; i < 7; i++)
		v[i] = strtoul(p, &p, 10);
	CHECK_EQ(*p, '\n');
	CHECK_EQ(v[0] * 4, status_num("VmSize"));
	CHECK_EQ(v[1] * 4, status_num("VmRSS"));
	CHECK_EQ(v[4], 0);
	CHECK_EQ(v[6], 0);

	char *more = mmap(NULL, 5 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(more != MAP_FAILED);
	CHECK_EQ(status_num("VmSize") - size0, 5 * 4);
	if (ours)
		CHECK_EQ(status_num("VmRSS"), rss1);	/* mapped, not touched */
	CHECK_OK(munmap(more, 5 * 4096));
	CHECK(status_num("VmPeak") >= size0 + 5 * 4);	/* the peak stays */
	CHECK_EQ(status_num("VmSize"), size0);
	long rss2 = status_num("VmRSS");
	CHECK_OK(munmap(m, N * 4096));
	long rss3 = status_num("VmRSS");
	if (ours)
		CHECK_EQ(rss3, rss2 - N * 4);	/* the pages went with the mapping */
	CHECK(status_num("VmHWM") >= rss2);	/* the peak (here: as last read) stays */
}

static void handler(int sig) { (void)sig; }

static void check_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	signal(SIGUSR2, SIG_IGN);
	signal(SIGHUP, handler);
	CHECK(status_hex("SigBlk") & 1ull << (SIGUSR1 - 1));
	CHECK(status_hex("SigIgn") & 1ull << (SIGUSR2 - 1));
	CHECK(status_hex("SigCgt") & 1ull << (SIGHUP - 1));
	CHECK(!(status_hex("SigCgt") & 1ull << (SIGUSR2 - 1)));
	CHECK(!(status_hex("SigPnd") & 1ull << (SIGUSR1 - 1)));
	signal(SIGUSR1, handler);		/* caught (even as init, which drops default ones) */
	kill(getpid(), SIGUSR1);		/* blocked: stays pending */
	CHECK(status_hex("SigPnd") & 1ull << (SIGUSR1 - 1) || status_hex("ShdPnd") & 1ull << (SIGUSR1 - 1));
	signal(SIGUSR1, SIG_IGN);		/* ignoring a pending signal discards it */
	CHECK(!(status_hex("ShdPnd") & 1ull << (SIGUSR1 - 1)));
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	CHECK(!(status_hex("SigIgn") & 1ull << (SIGUSR2 - 1)));
	CHECK(!(status_hex("SigCgt") & 1ull << (SIGHUP - 1)));
}

/* The fields of /proc/PID/stat after the comm: f[3] is field 3 (state). */
static int stat_fields(const char *path, char *comm, unsigned long long f[53])
{
	slurp(path, buf2, sizeof buf2);
	char *open_paren = strchr(buf2, '('), *close_paren = strrchr(buf2, ')');
	CHECK(open_paren && close_paren);
	f[1] = strtoull(buf2, NULL, 10);
	memcpy(comm, open_paren + 1, close_paren - open_paren - 1);
	comm[close_paren - open_paren - 1] = 0;
	char *p = close_paren + 2;
	f[3] = (unsigned char)*p++;
	int n = 3;
	while (*p == ' ') {
		f[++n] = strtoull(p + 1, &p, 10);
		if (n == 52)
			break;
	}
	CHECK_EQ(*p, '\n');
	return n;
}

static void check_stat(void)
{
	unsigned long long f[53];
	char comm[64];
	CHECK_EQ(stat_fields("/proc/self/stat", comm, f), 52);
	CHECK_EQ(f[1], getpid());
	CHECK_STR(comm, "proc_pid");
	CHECK_EQ(f[3], 'R');
	CHECK_EQ(f[4], getppid());
	CHECK_EQ(f[5], getpgrp());
	CHECK_EQ(f[6], getsid(0));
	CHECK_EQ(f[20], 1);			/* num_threads */
	CHECK_EQ(f[38], getpid() == 1 ? 0 : SIGCHLD);	/* exit_signal: init has none, as on Linux */
	long size = status_num("VmSize"), rss = status_num("VmRSS");
	stat_fields("/proc/self/stat", comm, f);
	CHECK_EQ(f[23], (unsigned long long)size * 1024);	/* vsize, bytes */
	CHECK_EQ(f[24] * 4, rss);				/* rss, pages */
	CHECK(f[26] <= (unsigned long)check_stat && (unsigned long)check_stat < f[27]);	/* code */
	CHECK(f[48] < f[49] && f[49] <= f[50] && f[50] <= f[51]);	/* args, then environment */

	/* Another process's: a child that waits, stopped. */
	pid_t child = fork();
	CHECK_OK(child);
	if (child == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(child, &status, WUNTRACED), child);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", child);
	stat_fields(path, comm, f);
	CHECK_EQ(f[1], child);
	CHECK_EQ(f[3], 'T');
	CHECK_EQ(f[4], getpid());
	/* Linux: a process's comm is its own to write. */
	snprintf(path, sizeof path, "/proc/%d/comm", child);
	int fd = open(path, O_WRONLY);
	CHECK_OK(fd);
	CHECK_ERR(write(fd, "other", 5), EINVAL);
	close(fd);
	kill(child, SIGKILL);
	CHECK_EQ(waitpid(child, &status, 0), child);
	snprintf(path, sizeof path, "/proc/%d/stat", child);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);	/* reaped: gone */
}

/* The maps line that starts at addr, or NULL. */
static char *maps_line(void *addr)
{
	char want[16];
	snprintf(want, sizeof want, "%08lx-", (unsigned long)addr);
	slurp("/proc/self/maps", buf, sizeof buf);
	for (char *p = buf; *p; p = strchr(p, '\n') + 1) {
		*strchr(p, '\n') = 0;
		if (!strncmp(p, want, 9))
			return p;
		p[strlen(p)] = '\n';
	}
	return NULL;
}

static void check_maps(void)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	char want[128];
	snprintf(want, sizeof want, "%08lx-%08lx r--p 00000000 00:00 0 ", (unsigned long)m,
		 (unsigned long)m + 3 * 4096);
	char *line = maps_line(m);
	CHECK(line);
	CHECK_STR(line, want);			/* no name: the line ends after the inode and a space */
	CHECK_OK(munmap(m, 3 * 4096));
	CHECK(maps_line(m) == NULL);

	/* A file's: offset, device, inode and name after the padding. */
	int fd = open("/tmp/proc_pid.map", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd);
	static char page[4096];
	for (int i = 0; i < 3; i++)
		CHECK_EQ(write(fd, page, sizeof page), 4096);
	struct stat64 st;
	CHECK_OK(fstat(fd, &st));
	m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	CHECK(m != MAP_FAILED);
	int len = snprintf(want, sizeof want, "%08lx-%08lx rw-s 00001000 %02x:%02x %lu ",
			   (unsigned long)m, (unsigned long)m + 2 * 4096,
			   (unsigned)(st.st_dev >> 8) & 0xfff, (unsigned)(st.st_dev & 0xff),
			   (unsigned long)st.st_ino);
	while (len < 49)
		want[len++] = ' ';
	strcpy(want + len, "/tmp/proc_pid.map");
	line = maps_line(m);
	CHECK(line);
	CHECK_STR(line, want);
	CHECK_OK(munmap(m, 2 * 4096));
	close(fd);
	unlink("/tmp/proc_pid.map");

	/* The stack holds our locals. */
	int local;
	slurp("/proc/self/maps", buf, sizeof buf);
	int found = 0;
	for (char *p = buf; *p; p = strchr(p, '\n') + 1) {
		unsigned long lo = strtoul(p, NULL, 16), hi = strtoul(p + 9, NULL, 16);
		if (lo <= (unsigned long)&local && (unsigned long)&local < hi) {
			*strchr(p, '\n') = 0;
			CHECK(strlen(p) > 7 && !strcmp(p + strlen(p) - 7, "[stack]"));
			CHECK(!strncmp(p + 18, "rw-p", 4));
			found = 1;
			break;
		}
	}
	CHECK(found);
}

/* Many areas: maps lists them all, past any one-page buffer (100 KiB of text). */
static void check_many_maps(void)
{
	enum { AREAS = 2000 };
	static char big[256 * 1024];
	char *m = mmap(NULL, AREAS * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	for (int i = 0; i < AREAS; i += 2)	/* every other page writable: no two neighbours merge */
		CHECK_OK(mprotect(m + i * 4096, 4096, PROT_READ | PROT_WRITE));
	int len = slurp("/proc/self/maps", big, sizeof big);
	CHECK(len > 64 * 1024 && len < (int)sizeof big - 1);
	int inside = 0;
	for (char *p = big; *p; p = strchr(p, '\n') + 1) {
		unsigned long lo = strtoul(p, NULL, 16);
		inside += lo >= (unsigned long)m && lo < (unsigned long)m + AREAS * 4096;
	}
	CHECK_EQ(inside, AREAS);
	CHECK_OK(munmap(m, AREAS * 4096));
}

/* A NUL-separated vector as /proc has it: compare with v. */
static void check_vector(const char *path, char **v)
{
	int len = slurp(path, buf, sizeof buf), at = 0;
	for (; *v; v++) {
		CHECK(at < len);
		CHECK_STR(buf + at, *v);
		at += strlen(*v) + 1;
	}
	CHECK_EQ(at, len);
}

static void check_comm(void)
{
	slurp("/proc/self/comm", buf, sizeof buf);
	CHECK_STR(buf, "proc_pid\n");
	int fd = open("/proc/self/comm", O_WRONLY);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, "abcdefghijklmnopqrstuvwxyz", 26), 26);	/* all said written */
	close(fd);
	slurp("/proc/self/comm", buf, sizeof buf);
	CHECK_STR(buf, "abcdefghijklmno\n");				/* 15 kept */
	slurp("/proc/self/status", buf, sizeof buf);
	CHECK(!strncmp(field(buf, "Name"), "abcdefghijklmno\n", 16));
	fd = open("/proc/self/comm", O_WRONLY);
	CHECK_EQ(write(fd, "proc_pid", 8), 8);
	close(fd);
	slurp("/proc/self/comm", buf, sizeof buf);
	CHECK_STR(buf, "proc_pid\n");
}

static void check_fds(void)
{
	int fd = open("/tmp/proc_pid.fd", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 4, SEEK_SET), 4);
	struct stat64 st;
	CHECK_OK(fstat(fd, &st));
	char path[64], want[128];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	slurp(path, buf, sizeof buf);
	/* O_RDWR | O_APPEND = 02002; creation flags are not kept. */
	snprintf(want, sizeof want, "pos:\t4\nflags:\t02002\nmnt_id:\t");
	CHECK(!strncmp(buf, want, strlen(want)));
	snprintf(want, sizeof want, "\nino:\t%lu\n", (unsigned long)st.st_ino);
	CHECK(strstr(buf, want));
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	slurp(path, buf, sizeof buf);
	CHECK(!strncmp(buf, "pos:\t4\nflags:\t02002002\n", 23));	/* O_CLOEXEC shows */

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char link[256];
	long n = readlink(path, link, sizeof link - 1);
	CHECK_OK(n);
	link[n] = 0;
	CHECK_STR(link, "/tmp/proc_pid.fd");
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_OK(fstat(p[0], &st));
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof link - 1);
	CHECK_OK(n);
	link[n] = 0;
	snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK_STR(link, want);

	/* fd/ lists what is open, and not what was closed. */
	CHECK_EQ(dup2(fd, 40), 40);
	close(40);
	DIR *d = opendir("/proc/self/fd");
	CHECK(d);
	int seen_fd = 0, seen_p0 = 0, seen_p1 = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		seen_fd |= atoi(e->d_name) == fd && e->d_name[0] != '.';
		seen_p0 |= atoi(e->d_name) == p[0] && e->d_name[0] != '.';
		seen_p1 |= atoi(e->d_name) == 40;
	}
	closedir(d);
	CHECK(seen_fd && seen_p0 && !seen_p1);
	CHECK_ERR(open("/proc/self/fdinfo/40", O_RDONLY), ENOENT);
	CHECK_ERR(readlink("/proc/self/fd/40", link, sizeof link), ENOENT);
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink("/tmp/proc_pid.fd");
}

static void check_limits(void)
{
	struct rlimit r = { 100, 200 };
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
	slurp("/proc/self/limits", buf, sizeof buf);
	char want[128];
	snprintf(want, sizeof want, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	CHECK(!strncmp(buf, want, strlen(want)));
	snprintf(want, sizeof want, "\n%-25s %-20s %-20s %-10s\n", "Max open files", "100", "200", "files");
	CHECK(strstr(buf, want));
	r.rlim_cur = 0, r.rlim_max = RLIM_INFINITY;
	CHECK_OK(setrlimit(RLIMIT_CORE, &r));
	slurp("/proc/self/limits", buf, sizeof buf);
	snprintf(want, sizeof want, "\n%-25s %-20s %-20s %-10s\n", "Max core file size", "0", "unlimited", "bytes");
	CHECK(strstr(buf, want));
	snprintf(want, sizeof want, "\n%-25s ", "Max realtime timeout");
	CHECK(strstr(buf, want));
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	CHECK_EQ(lines, 17);		/* the header and 16 limits */
}

static char *self_path;

static void check_pagemap(void)
{
	char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	m[0] = 1;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	CHECK_OK(fd);
	unsigned long long e[2];
	CHECK_EQ(lseek64(fd, (off64_t)((unsigned long)m / 4096) * 8, SEEK_SET),
		 (off64_t)((unsigned long)m / 4096) * 8);
	CHECK_EQ(read(fd, e, sizeof e), 16);
	CHECK(e[0] >> 63 & 1);				/* present */
	CHECK((e[0] & ((1ull << 55) - 1)) != 0);	/* a frame number (root sees it) */
	CHECK_EQ(e[1] >> 63 & 1, 0);			/* never touched */
	CHECK_EQ(e[1] & ((1ull << 55) - 1), 0);
	CHECK_ERR(read(fd, e, 4), EINVAL);		/* part of an entry */
	close(fd);
	munmap(m, 2 * 4096);
	/* Not root: present, but no frame number (Linux: CAP_SYS_ADMIN).  The
	 * child runs us again after dropping root: on Linux a process that
	 * changed its ids is not dumpable, and may not open its pagemap,
	 * until it execs. */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = { self_path, "--pagemap-child", 0 };
		if (raw_syscall6(__NR_setresuid32, 1000, 1000, 1000, 0, 0, 0) == 0)
			execve(self_path, argv, 0);
		_exit(2);
	}
	CHECK_EQ(wait_status(pid), 0);
}

static int pagemap_child(void)
{
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 3;
	m[0] = 1;
	unsigned long long e;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || lseek64(fd, (off64_t)((unsigned long)m / 4096) * 8, SEEK_SET) < 0 || read(fd, &e, 8) != 8)
		return 4;
	return (e >> 63 & 1) && (e & ((1ull << 55) - 1)) == 0 ? 0 : 5;
}

/* CPU time: a child spins until its own utime + stime moves, exits, and
 * once reaped its time shows in our cutime + cstime (fields 16, 17). */
static void check_times(void)
{
	int p[2];
	CHECK_OK(pipe(p));
	pid_t child = fork();
	CHECK_OK(child);
	if (child == 0) {
		unsigned long long f[53];
		char comm[64];
		volatile unsigned long spin = 0;
		stat_fields("/proc/self/stat", comm, f);
		unsigned long long start = f[14] + f[15];
		do {
			for (int i = 0; i < 100000; i++)
				spin++;
			stat_fields("/proc/self/stat", comm, f);
		} while (f[14] + f[15] == start);
		unsigned long long used = f[14] + f[15];
		write(p[1], &used, sizeof used);
		_exit(0);
	}
	unsigned long long used = 0;
	CHECK_EQ(read(p[0], &used, sizeof used), sizeof used);
	CHECK(used >= 1);
	CHECK_EQ(wait_status(child), 0);
	unsigned long long f[53];
	char comm[64];
	stat_fields("/proc/self/stat", comm, f);
	CHECK(f[16] + f[17] >= used);
	close(p[0]);
	close(p[1]);
}

static void check_links(char *argv0)
{
	(void)argv0;
	char link[256];
	CHECK_OK(chdir("/tmp"));
	long n = readlink("/proc/self/cwd", link, sizeof link - 1);
	CHECK_OK(n);
	link[n] = 0;
	CHECK_STR(link, "/tmp");
	CHECK_OK(chdir("/"));
	n = readlink("/proc/self/root", link, sizeof link - 1);
	CHECK_OK(n);
	link[n] = 0;
	CHECK_STR(link, "/");
	n = readlink("/proc/self/exe", link, sizeof link - 1);
	CHECK_OK(n);
	link[n] = 0;
	CHECK(link[0] == '/' && n > 9 && !strcmp(link + n - 9, "/proc_pid"));
}

/* The program after execve: it names itself in comm, stat, status, cmdline. */
static int exec_child(char **argv)
{
	slurp("/proc/self/comm", buf, sizeof buf);
	CHECK_STR(buf, "proc_pid\n");			/* not the name the parent wrote */
	unsigned long long f[53];
	char comm[64];
	stat_fields("/proc/self/stat", comm, f);
	CHECK_STR(comm, "proc_pid");
	slurp("/proc/self/status", buf, sizeof buf);
	CHECK(!strncmp(field(buf, "Name"), "proc_pid\n", 9));
	char *want[] = { "renamed", "--exec-child", "two words", NULL };
	check_vector("/proc/self/cmdline", want);
	CHECK_STR(argv[0], "renamed");
	return 0;
}

static void check_exec(void)
{
	char exe[256];
	long n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CHECK_OK(n);
	exe[n] = 0;
	pid_t child = fork();
	CHECK_OK(child);
	if (child == 0) {
		int fd = open("/proc/self/comm", O_WRONLY);
		if (fd < 0 || write(fd, "before-exec", 11) != 11)
			_exit(3);
		close(fd);
		char *args[] = { "renamed", "--exec-child", "two words", NULL };
		char *env[] = { "PROC_PID=1", NULL };
		execve(exe, args, env);
		_exit(4);
	}
	int status;
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK_EQ(status, 0);
}

/* status names every id: real, effective, saved, fs; and the groups. */
static int status_ids_child(void)
{
	static const uint32_t groups[] = { 5, 6, 70000 };
	if (raw_syscall6(__NR_setgroups32, 3, (long)groups, 0, 0, 0, 0) ||
	    raw_syscall6(__NR_setresgid32, 7, 8, 9, 0, 0, 0) || raw_syscall6(__NR_setresuid32, 1, 2, 3, 0, 0, 0))
		return 2;
	slurp("/proc/self/status", buf, sizeof buf);
	if (strncmp(field(buf, "Uid"), "1\t2\t3\t2\n", 8) || strncmp(field(buf, "Gid"), "7\t8\t9\t8\n", 8))
		return 3;
	if (strncmp(field(buf, "Groups"), "5 6 70000 \n", 11))     /* Linux's trailing space */
		return 4;
	return 0;
}

static void check_status_ids(void)
{
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(status_ids_child());
	CHECK_EQ(wait_status(pid), 0);
}

int main(int argc, char **argv, char **envp)
{
	ours = on_our_kernel();
	self_path = argv[0];
	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return exec_child(argv);
	if (argc > 1 && !strcmp(argv[1], "--pagemap-child"))
		return pagemap_child();
	check_vector("/proc/self/cmdline", argv);
	check_vector("/proc/self/environ", envp);
	check_status_layout();
	check_status_ids();
	check_memory();
	check_signals();
	check_stat();
	check_maps();
	check_many_maps();
	check_comm();
	check_fds();
	check_limits();
	check_pagemap();
	check_times();
	check_links(argv[0]);
	check_exec();
	printf("proc_pid: all checks passed\n");
	return 0;
}
