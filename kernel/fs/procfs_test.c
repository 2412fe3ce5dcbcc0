/*
 * Self-tests of /proc: meminfo's exact format, listing and looking up
 * entries, and the hooks other subsystems use.
 */
#include <kernel/procfs.h>
#include <kernel/selftest.h>
#include <kernel/task.h>
#include "fs_test.h"

static bool contains(const char *s, const char *part)
{
	size_t n = strlen(part);
	for (; *s; s++)
		if (strncmp(s, part, n) == 0)
			return true;
	return false;
}

SELFTEST(proc_meminfo_format)
{
	char buf[1024];
	const struct meminfo m = { .total = 123456, .free = 7890, .cached = 12, .slab = 345,
				   .high_total = 100000, .high_free = 6000 };
	int n = proc_meminfo_format(buf, sizeof buf, &m);
	EXPECT(n > 0 && (size_t)n == strlen(buf));
	/* Linux: a 16-column label, the value right-aligned in 8 columns */
	EXPECT(strncmp(buf, "MemTotal:         123456 kB\n"
			    "MemFree:            7890 kB\n"
			    "MemAvailable:       7890 kB\n"
			    "Buffers:               0 kB\n"
			    "Cached:               12 kB\n", 28 * 5) == 0);
	EXPECT(contains(buf, "\nSlab:                345 kB\n"));
	EXPECT(contains(buf, "\nSUnreclaim:          345 kB\n"));
	EXPECT(contains(buf, "\nInactive:              0 kB\n"
			     "HighTotal:        100000 kB\n"
			     "HighFree:           6000 kB\n"
			     "LowTotal:          23456 kB\n"
			     "LowFree:            1890 kB\n"
			     "SwapTotal:             0 kB\n"));
	/* a short buffer: cut, and the length it would have needed, as snprintf */
	char small[10];
	EXPECT(proc_meminfo_format(small, sizeof small, &m) == n);
	EXPECT(strcmp(small, "MemTotal:") == 0);
}

SELFTEST(proc_meminfo_file)
{
	uint32_t pages = t_pages();
	char *buf = kmalloc(2048);
	EXPECT(buf);
	long n = t_read("/proc/meminfo", buf, 2047);
	EXPECT(n > 0);
	buf[n] = '\0';
	EXPECT(strncmp(buf, "MemTotal:", 9) == 0);
	/* MemFree + Slab, read together, is what leak checkers compare */
	uint32_t free_kb = 0, slab_kb = 0;
	for (char *p = buf; *p; p++) {
		uint32_t *dst = strncmp(p, "MemFree:", 8) == 0 ? &free_kb :
				strncmp(p, "Slab:", 5) == 0 ? &slab_kb : 0;
		if (!dst)
			continue;
		while (*p < '0' || *p > '9')
			p++;
		while (*p >= '0' && *p <= '9')
			*dst = *dst * 10 + (uint32_t)(*p++ - '0');
	}
	EXPECT(free_kb > 0 && slab_kb > 0);
	EXPECT(free_kb + slab_kb == t_pages() * 4);
	kfree(buf);
	EXPECT(t_pages() == pages);
}

static long hook_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f;
	if (*pos >= 4 || n < 4)
		return 0;
	memcpy(buf, "hook", 4);
	*pos += 4;
	return 4;
}
static const struct file_ops hook_fops = { .read = hook_read };
static int hook_open(struct file *f, struct task *t)
{
	(void)t;
	f->ops = &hook_fops;
	return 0;
}

SELFTEST(proc_entries_and_hooks)
{
	uint32_t pages = t_pages();
	char *buf = kmalloc(1024);
	struct inode *proc, *i;
	EXPECT(buf);
	EXPECT(path_lookup(0, "/proc", 0, &proc) == 0 && proc->dev == FS_DEV_PROC);
	EXPECT(path_lookup(0, "/proc/..", 0, &i) == 0 && i == fs_root());
	inode_put(i);
	EXPECT(t_lookup("/proc/nothing", 0) == -ENOENT);
	EXPECT(t_lookup("/proc/99999", 0) == -ENOENT);	/* no such process */
	EXPECT(S_ISREG(t_mode("/proc/meminfo")) && S_ISLNK(t_mode("/proc/self")));
	if (!current)	/* without a task, "self" names nothing */
		EXPECT(t_lookup("/proc/self", LOOKUP_FOLLOW) == -ENOENT);
	/* /proc/<entry> cannot be written or created (errors as root gets on Linux) */
	struct file *f;
	EXPECT(do_open(0, "/proc/meminfo", O_WRONLY, 0, &f) == 0);
	EXPECT(f->ops->write(f, "x", 1, &f->pos) == -EIO);
	file_put(f);
	EXPECT(do_create(0, "/proc/x", S_IFDIR | 0755, 0, 0) == -ENOENT);
	EXPECT(do_remove(0, "/proc/meminfo", false) == -EPERM);
	EXPECT(do_rename(0, "/proc/meminfo", 0, "/proc/m2", 0) == -ENOENT);
	/* a registered hook appears in the listing and opens through its function */
	EXPECT(proc_register("t-hook", S_IFREG | 0600, hook_open) == 0);
	uint64_t pos = 0;
	int n = dir_list(proc, &pos, buf, 1024);
	bool seen_meminfo = false, seen_hook = false;
	for (int off = 0; off < n;) {
		struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
		seen_meminfo |= strcmp(e->d_name, "meminfo") == 0;
		seen_hook |= strcmp(e->d_name, "t-hook") == 0 && e->d_type == DT_REG;
		off += e->d_reclen;
	}
	EXPECT(seen_meminfo && seen_hook);
	EXPECT(t_read("/proc/t-hook", buf, 16) == 4 && memcmp(buf, "hook", 4) == 0);
	inode_put(proc);
	kfree(buf);
	EXPECT(t_pages() == pages);
}
