/* mkdir [-p] DIR...: make directories (-p: with their parents, no error if present). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int r = mkdir(path, 0755);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	return (mkdir(path, 0755) < 0 && errno != EEXIST) ? -1 : 0;
}

int main(int argc, char **argv)
{
	int parents = 0, status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-p")) {
			parents = 1;
			continue;
		}
		if ((parents ? make_parents(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
