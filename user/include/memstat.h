/*
 * memstat.h: the kernel's memory numbers as runtests, the fuzzer and the
 * tests compare them (this libc's own header, not a standard one).
 *
 *   proc_number(path, key)   the number after "key:" at the start of a line
 *                            of a /proc file, or -1 (no file, no such line)
 *   meminfo_kb(key)          a /proc/meminfo field in kB, or -1
 *   mem_free_slab_kb()       MemFree + Slab (Slab 0 where it is not listed,
 *                            as in the guest kernel), or -1
 *   kheap_live_blocks()      the kernel heap's blocks in use, from
 *                            /proc/kheap (our kernel and the guest's), or -1
 *
 * Why both: a lost page shows in MemFree, but a lost kmalloc block stays
 * inside heap pages that Slab counts either way; only the block count
 * sees it.  Not reentrant (one static buffer), and nothing is allocated,
 * so that reading the numbers does not change them, except the first
 * time: that faults the buffer in, so read once before a measurement.
 */
#ifndef _MEMSTAT_H
#define _MEMSTAT_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline long proc_number(const char *path, const char *key)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	size_t len = strlen(key);
	for (const char *line = buf; *line; ) {
		if (!strncmp(line, key, len) && line[len] == ':')
			return strtol(line + len + 1, NULL, 10);
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

static inline long meminfo_kb(const char *key)
{
	return proc_number("/proc/meminfo", key);
}

static inline long mem_free_slab_kb(void)
{
	long free_kb = meminfo_kb("MemFree"), slab = meminfo_kb("Slab");
	return free_kb < 0 ? -1 : free_kb + (slab > 0 ? slab : 0);
}

static inline long kheap_live_blocks(void)
{
	return proc_number("/proc/kheap", "live_blocks");
}

#endif
