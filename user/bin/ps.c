/*
 * ps: list processes from /proc, as Linux describes them in
 * /proc/PID/stat: "PID (COMM) STATE PPID ...".  COMM may itself contain
 * spaces and parentheses, so it ends at the last ')'.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void show(int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return;                 /* gone meanwhile */
	int n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;

	char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return;
	*close_paren = 0;
	char state = close_paren[2];
	int ppid = atoi(close_paren + 4);
	printf("%5d %5d %c %s\n", pid, ppid, state, open_paren + 1);
}

int main(void)
{
	static int pids[1024];
	int n = 0;

	DIR *d = opendir("/proc");
	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n < 1024)
		if (isdigit(e->d_name[0]))
			pids[n++] = atoi(e->d_name);
	closedir(d);
	qsort(pids, n, sizeof(int), cmp_int);

	printf("  PID  PPID S COMMAND\n");
	for (int i = 0; i < n; i++)
		show(pids[i]);
	return 0;
}
