/*
 * The system's /proc files, parsed as top, uptime, free and mount parse
 * them, and checked for truth:
 *
 *   stat       "cpu " and "cpu0" lines of 10 times, intr, ctxt, btime,
 *              processes, procs_running, procs_blocked; the CPU times
 *              advance while we spin; processes counts a fork; btime is
 *              now minus the uptime
 *   uptime     "SECONDS.CC IDLE.CC", never going back
 *   loadavg    "A.AA B.BB C.CC RUNNING/TOTAL LASTPID", we are running and
 *              the last pid is at least our child's
 *   cpuinfo    "processor\t: 0", the vendor and the flags cpuid gives
 *   version    "Linux version " and uname's release
 *   filesystems  proc among them
 *   mounts, mountinfo  /proc is mounted, as proc
 *   sys/kernel/{ostype,osrelease,hostname}  uname's; hostname writable
 *   sys/kernel/{tainted,pid_max,threads-max}, sys/vm/max_map_count,
 *   sys/fs/pipe-max-size  one number each
 *   sysinfo(2) agrees with meminfo and uptime
 *   the listings: /proc, /proc/self and the /proc/sys directories name every file the
 *   tools need, with the right type (so the guest has what the host has:
 *   this test runs in both, and on Linux)
 */
#include "check.h"
#include <sys/utsname.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>

static char buf[65536];

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

/* The line of buf that starts with key (key included), or NULL. */
static char *line_of(char *text, const char *key)
{
	size_t k = strlen(key);
	for (char *p = text; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, key, k))
			return p;
		if (!strchr(p, '\n'))
			break;
	}
	return NULL;
}

static unsigned long long stat_value(const char *key)
{
	slurp("/proc/stat", buf, sizeof buf);
	char *l = line_of(buf, key);
	if (!l)
		check_fail(__FILE__, __LINE__, "/proc/stat has no %s line", key);
	return strtoull(l + strlen(key), NULL, 10);
}

/* The sum of the "cpu " line's times. */
static unsigned long long cpu_total(unsigned long long t[10])
{
	slurp("/proc/stat", buf, sizeof buf);
	CHECK(!strncmp(buf, "cpu  ", 5));
	char *p = buf + 4;
	unsigned long long sum = 0;
	for (int i = 0; i < 10; i++) {
		CHECK_EQ(*p, ' ');
		t[i] = strtoull(p + 1, &p, 10);
		sum += t[i];
	}
	CHECK_EQ(*p, '\n');
	return sum;
}

/* "12.34" at *p: hundredths. */
static unsigned long long centis(char **p)
{
	unsigned long long s = strtoull(*p, p, 10);
	CHECK_EQ(**p, '.');
	CHECK((*p)[1] >= '0' && (*p)[1] <= '9' && (*p)[2] >= '0' && (*p)[2] <= '9');
	unsigned long long c = strtoull(*p + 1, p, 10);
	return s * 100 + c;
}

static void check_stat(void)
{
	unsigned long long t[10], t2[10];
	unsigned long long total = cpu_total(t);
	CHECK(line_of(buf, "cpu0 "));
	char *keys[] = { "intr ", "ctxt ", "btime ", "processes ", "procs_running ", "procs_blocked " };
	for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!line_of(buf, keys[i]))
			check_fail(__FILE__, __LINE__, "/proc/stat has no %s line", keys[i]);
	CHECK(stat_value("procs_running ") >= 1);	/* us */

	/* Spinning costs CPU time: the times advance (however long a tick takes). */
	volatile unsigned long spin = 0;
	while (cpu_total(t2) == total)
		for (int i = 0; i < 100000; i++)
			spin++;
	CHECK(t2[0] + t2[2] > t[0] + t[2]);	/* user + system */

	/* A fork is a process more; its wait a context switch or more. */
	unsigned long long forks = stat_value("processes "), ctxt = stat_value("ctxt ");
	pid_t child = fork();
	CHECK_OK(child);
	if (child == 0)
		_exit(0);
	CHECK_EQ(wait_status(child), 0);
	CHECK(stat_value("processes ") >= forks + 1);
	CHECK(stat_value("ctxt ") > ctxt);

	/* btime + uptime is now, to a second or two. */
	unsigned long long btime = stat_value("btime ");
	slurp("/proc/uptime", buf, sizeof buf);
	char *p = buf;
	unsigned long long up = centis(&p) / 100;
	time_t now = time(NULL);
	CHECK(btime + up <= (unsigned long long)now + 2 && btime + up + 2 >= (unsigned long long)now);

	/* Our child's pid is at most the last one given. */
	slurp("/proc/loadavg", buf, sizeof buf);
	p = buf;
	for (int i = 0; i < 3; i++) {
		centis(&p);
		CHECK_EQ(*p++, ' ');
	}
	long running = strtol(p, &p, 10);
	CHECK_EQ(*p++, '/');
	long tasks = strtol(p, &p, 10);
	CHECK_EQ(*p++, ' ');
	long last = strtol(p, &p, 10);
	CHECK_EQ(*p, '\n');
	CHECK(running >= 1 && running <= tasks);
	CHECK(last >= child);
}

static void check_uptime(void)
{
	slurp("/proc/uptime", buf, sizeof buf);
	char *p = buf;
	unsigned long long up = centis(&p);
	CHECK_EQ(*p++, ' ');
	centis(&p);
	CHECK_EQ(*p, '\n');
	slurp("/proc/uptime", buf, sizeof buf);
	p = buf;
	CHECK(centis(&p) >= up);
}

static void check_cpuinfo(void)
{
	unsigned a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	char vendor[13];
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	slurp("/proc/cpuinfo", buf, sizeof buf);
	CHECK(!strncmp(buf, "processor\t: 0\n", 14));
	char *l = line_of(buf, "vendor_id\t: ");
	CHECK(l && !strncmp(l + 12, vendor, 12) && l[24] == '\n');
	l = line_of(buf, "cpu family\t: ");
	CHECK(l);
	unsigned family = (a >> 8) & 15;
	if (family == 15)
		family += (a >> 20) & 0xff;
	CHECK_EQ(strtoul(l + 13, NULL, 10), family);
	l = line_of(buf, "flags\t\t: ");
	CHECK(l);
	*strchr(l, '\n') = ' ';
	/* The flags of edx bits cpuid reports (Linux may hide some, not these). */
	static const struct { int bit; const char *name; } f[] = {
		{ 0, " fpu " }, { 4, " tsc " }, { 8, " cx8 " }, { 15, " cmov " }, { 23, " mmx " },
		{ 24, " fxsr " }, { 25, " sse " }, { 26, " sse2 " },
	};
	for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++)
		if (d >> f[i].bit & 1)
			if (!strstr(l + 8, f[i].name))
				check_fail(__FILE__, __LINE__, "cpuinfo's flags lack%s", f[i].name);
}

static void check_texts(void)
{
	struct new_utsname u;
	CHECK_OK(uname(&u));
	slurp("/proc/version", buf, sizeof buf);
	char want[128];
	snprintf(want, sizeof want, "Linux version %s ", u.release);
	CHECK(!strncmp(buf, want, strlen(want)));
	slurp("/proc/filesystems", buf, sizeof buf);
	CHECK(strstr(buf, "nodev\tproc\n"));
	slurp("/proc/mounts", buf, sizeof buf);
	CHECK(strstr(buf, " /proc proc "));
	slurp("/proc/self/mounts", buf, sizeof buf);
	CHECK(strstr(buf, " /proc proc "));
	slurp("/proc/self/mountinfo", buf, sizeof buf);
	CHECK(strstr(buf, " /proc ") && strstr(buf, " - proc "));

	snprintf(want, sizeof want, "%s\n", u.sysname);
	slurp("/proc/sys/kernel/ostype", buf, sizeof buf);
	CHECK_STR(buf, want);
	snprintf(want, sizeof want, "%s\n", u.release);
	slurp("/proc/sys/kernel/osrelease", buf, sizeof buf);
	CHECK_STR(buf, want);
	CHECK_ERR(open("/proc/sys/kernel/osrelease", O_WRONLY), EACCES);	/* 0444, even for root */
	snprintf(want, sizeof want, "%s\n", u.nodename);
	slurp("/proc/sys/kernel/hostname", buf, sizeof buf);
	CHECK_STR(buf, want);

	/* The host name is uname's: write it there, see it here, put it back. */
	char old[65];
	strcpy(old, u.nodename);
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	CHECK_OK(fd);
	CHECK_EQ(write(fd, "proc-sys-test\n", 14), 14);
	close(fd);
	CHECK_OK(uname(&u));
	CHECK_STR(u.nodename, "proc-sys-test");
	fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	CHECK_EQ(write(fd, old, strlen(old)), (long)strlen(old));
	close(fd);
	CHECK_OK(uname(&u));
	CHECK_STR(u.nodename, old);

	static const char *const numbers[] = {
		"/proc/sys/kernel/tainted", "/proc/sys/kernel/pid_max", "/proc/sys/kernel/threads-max",
		"/proc/sys/vm/max_map_count", "/proc/sys/fs/pipe-max-size",
	};
	for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		slurp(numbers[i], buf, sizeof buf);
		char *end;
		strtol(buf, &end, 10);
		if (end == buf || strcmp(end, "\n"))
			check_fail(__FILE__, __LINE__, "%s: \"%s\" is not one number", numbers[i], buf);
	}
	slurp("/proc/sys/vm/max_map_count", buf, sizeof buf);
	CHECK(atoi(buf) > 0);
}

/* struct sysinfo of i386, as free and uptime read it. */
struct si {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned mem_unit;
	char f[8];
};

static void check_sysinfo(void)
{
	struct si s;
	CHECK_EQ(sizeof s, 64);
	CHECK_OK(__syscall_ret(__syscall6(__NR_sysinfo, (long)&s, 0, 0, 0, 0, 0)));
	slurp("/proc/meminfo", buf, sizeof buf);
	unsigned long long total_kb = strtoull(strchr(buf, ':') + 1, NULL, 10);
	CHECK_EQ((unsigned long long)s.totalram * s.mem_unit / 1024, total_kb);
	CHECK(s.freeram <= s.totalram);
	CHECK(s.procs >= 1);		/* at least we */
	slurp("/proc/uptime", buf, sizeof buf);
	char *p = buf;
	unsigned long long up = centis(&p) / 100;
	CHECK(s.uptime >= (long)up - 1 && s.uptime <= (long)up + 2);
	CHECK_ERR(__syscall_ret(__syscall6(__NR_sysinfo, 16, 0, 0, 0, 0, 0)), EFAULT);
}

/* dir lists each of names with type (DT_*), and stat agrees on the type. */
static void check_listing(const char *dir, const char *const *names, const int *types, int n)
{
	for (int i = 0; i < n; i++) {
		DIR *d = opendir(dir);
		CHECK(d);
		struct dirent *e;
		int found = 0;
		while ((e = readdir(d)))
			if (!strcmp(e->d_name, names[i]) && e->d_type == types[i])
				found = 1;
		closedir(d);
		if (!found)
			check_fail(__FILE__, __LINE__, "%s lists no %s of type %d", dir, names[i], types[i]);
		char path[128];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		struct stat64 st;
		CHECK_OK(lstat(path, &st));
		int want = types[i] == DT_DIR ? S_IFDIR : types[i] == DT_LNK ? S_IFLNK : S_IFREG;
		if ((int)(st.st_mode & S_IFMT) != want)
			check_fail(__FILE__, __LINE__, "%s: mode %o", path, (unsigned)st.st_mode);
	}
}

static void check_listings(void)
{
	static const char *const root[] = { "meminfo", "stat", "cpuinfo", "uptime", "loadavg", "version",
		"filesystems", "mounts", "self", "sys" };
	static const int root_t[] = { DT_REG, DT_REG, DT_REG, DT_REG, DT_REG, DT_REG, DT_REG,
		DT_LNK, DT_LNK, DT_DIR };
	check_listing("/proc", root, root_t, 10);
	char link[64];
	long n = readlink("/proc/mounts", link, sizeof link - 1);
	CHECK_OK(n);
	link[n] = 0;
	CHECK_STR(link, "self/mounts");		/* Linux's: relative, to the reader's own */
	static const char *const pid[] = { "stat", "statm", "status", "maps", "cmdline", "environ",
		"comm", "exe", "cwd", "root", "fd", "fdinfo", "limits", "mounts", "mountinfo", "pagemap" };
	static const int pid_t_[] = { DT_REG, DT_REG, DT_REG, DT_REG, DT_REG, DT_REG, DT_REG, DT_LNK,
		DT_LNK, DT_LNK, DT_DIR, DT_DIR, DT_REG, DT_REG, DT_REG, DT_REG };
	char self[32];
	snprintf(self, sizeof self, "/proc/%d", getpid());
	check_listing(self, pid, pid_t_, 16);
	static const char *const kernel[] = { "pid_max", "threads-max", "tainted", "ostype",
		"osrelease", "hostname" };
	static const int reg6[] = { DT_REG, DT_REG, DT_REG, DT_REG, DT_REG, DT_REG };
	check_listing("/proc/sys/kernel", kernel, reg6, 6);
	static const char *const fs[] = { "pipe-max-size" }, *const vm[] = { "max_map_count" };
	check_listing("/proc/sys/fs", fs, reg6, 1);
	check_listing("/proc/sys/vm", vm, reg6, 1);
	/* Our own pid is a directory of /proc, and the self link names it. */
	static const char *pids[1];
	static const int dir_t[] = { DT_DIR };
	pids[0] = self + 6;
	check_listing("/proc", pids, dir_t, 1);
}

int main(void)
{
	check_listings();
	check_stat();
	check_uptime();
	check_cpuinfo();
	check_texts();
	check_sysinfo();
	printf("proc_sys: all checks passed\n");
	return 0;
}
