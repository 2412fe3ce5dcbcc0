/*
 * /proc/meminfo in Linux's format: "Name:" padded, a number, " kB".
 * MemTotal, MemFree and MemAvailable come first, in that order (programs
 * such as free(1) and our runtests read them).
 */
#include "check.h"
#include <ctype.h>
#include <fcntl.h>

static char buf[8192], buf2[8192];

static int read_all(char *b, int size, int chunk)
{
	int fd = open("/proc/meminfo", O_RDONLY);
	CHECK_OK(fd);
	int len = 0, n;
	while (len < size - 1 && (n = read(fd, b + len, chunk < size - 1 - len ? chunk : size - 1 - len)) > 0)
		len += n;
	CHECK_EQ(n > 0 ? 0 : n, 0);
	close(fd);
	b[len] = 0;
	return len;
}

/* Parse "Name:   1234 kB" at line; return the number, store the name. */
static long parse_line(const char *line, char *name, int size)
{
	int i = 0;
	while (line[i] && line[i] != ':' && line[i] != '\n') {
		CHECK(i < size - 1);
		name[i] = line[i];
		i++;
	}
	name[i] = 0;
	if (line[i] != ':')
		check_fail(__FILE__, __LINE__, "no ':' in line \"%.40s\"", line);
	i++;
	CHECK(line[i] == ' ');
	while (line[i] == ' ')
		i++;
	CHECK(isdigit(line[i]));
	long v = strtol(line + i, NULL, 10);
	while (isdigit(line[i]))
		i++;
	if (!strncmp(line + i, " kB", 3))
		i += 3;
	if (line[i] != '\n')
		check_fail(__FILE__, __LINE__, "junk after the number in \"%.40s\"", line);
	return v;
}

int main(void)
{
	int len = read_all(buf, sizeof(buf), sizeof(buf));
	CHECK(len > 0);
	CHECK_EQ(buf[len - 1], '\n');

	const char *first[] = { "MemTotal", "MemFree", "MemAvailable" };
	long values[3] = { 0 };
	int lines = 0;
	for (const char *p = buf; *p; lines++) {
		char name[64];
		long v = parse_line(p, name, sizeof(name));
		if (lines < 3) {
			CHECK_STR(name, first[lines]);
			values[lines] = v;
		}
		CHECK(strstr(p, "\n") != NULL);
		p = strchr(p, '\n') + 1;
	}
	CHECK(lines >= 3);
	CHECK(values[0] >= 1024 && values[0] <= 4 * 1024 * 1024);   /* 1 MiB .. 4 GiB */
	CHECK(values[1] > 0 && values[1] <= values[0]);
	CHECK(values[2] <= values[0]);

	/* Small reads continue where the last one stopped. */
	int len2 = read_all(buf2, sizeof(buf2), 7);
	CHECK(len2 > 0);
	CHECK(!strncmp(buf2, "MemTotal:", 9));
	CHECK_EQ(buf2[len2 - 1], '\n');
	/* Same lines in the same order (the numbers may move). */
	const char *a = buf, *b = buf2;
	while (*a && *b) {
		size_t na = strcspn(a, ":"), nb = strcspn(b, ":");
		CHECK_EQ(na, nb);
		CHECK(!strncmp(a, b, na));
		a = strchr(a, '\n') + 1;
		b = strchr(b, '\n') + 1;
	}
	CHECK(!*a && !*b);

	int fd = open("/proc/meminfo", O_RDONLY);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	close(fd);
	return 0;
}
