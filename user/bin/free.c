/*
 * free: memory totals from /proc/meminfo, in kB:
 *   total = MemTotal, free = MemFree, available = MemAvailable,
 *   used = total - free.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

static long field(const char *name)
{
	size_t n = strlen(name);
	for (const char *line = buf; line && *line; ) {
		if (!strncmp(line, name, n) && line[n] == ':')
			return strtol(line + n + 1, NULL, 10);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

int main(void)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0) {
		perror("free: /proc/meminfo");
		return 1;
	}
	int n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		perror("free: read");
		return 1;
	}
	buf[n] = 0;

	long total = field("MemTotal"), mfree = field("MemFree"), avail = field("MemAvailable");
	printf("%-6s %10s %10s %10s %10s\n", "", "total", "used", "free", "available");
	printf("%-6s %10ld %10ld %10ld %10ld\n", "Mem:", total, total - mfree, mfree, avail);
	return 0;
}
