/*
 * ls [-l] [-a] [PATH...]: list directories (sorted, one name per line;
 * -a includes names starting with '.'), or name the files given.
 * -l adds the type and permissions, link count, owner, group and size.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int long_format, show_all;

static void mode_string(unsigned mode, char *s)
{
	const char *rwx = "rwxrwxrwx";
	s[0] = S_ISDIR(mode) ? 'd' : S_ISCHR(mode) ? 'c' : S_ISBLK(mode) ? 'b' :
	       S_ISFIFO(mode) ? 'p' : S_ISLNK(mode) ? 'l' : S_ISSOCK(mode) ? 's' : '-';
	for (int i = 0; i < 9; i++)
		s[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	s[10] = 0;
}

/* Print one entry; path is where to stat it, name what to show. */
static void show(const char *path, const char *name)
{
	struct stat64 st;
	char mode[11];

	if (!long_format) {
		printf("%s\n", name);
		return;
	}
	if (lstat(path, &st) < 0) {
		printf("?????????? %s\n", name);
		return;
	}
	mode_string(st.st_mode, mode);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		printf("%s %3u %4u %4u %4u, %4u %s\n", mode, st.st_nlink, st.st_uid, st.st_gid,
		       MAJOR64(st.st_rdev), MINOR64(st.st_rdev), name);
	else
		printf("%s %3u %4u %4u %10lld %s\n", mode, st.st_nlink, st.st_uid, st.st_gid,
		       (long long)st.st_size, name);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char **names = NULL;
	int n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !show_all)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (int i = 0; i < n; i++) {
		char full[512];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		show(full, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0, npaths = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			for (char *o = argv[i] + 1; *o; o++) {
				if (*o == 'l')
					long_format = 1;
				else if (*o == 'a')
					show_all = 1;
				else {
					fprintf(stderr, "ls: unknown option -%c\n", *o);
					return 2;
				}
			}
		} else {
			npaths++;
		}
	}
	if (npaths == 0)
		return list_dir(".");
	for (int i = 1; i < argc; i++) {
		struct stat64 st;
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (npaths > 1)
				printf("%s:\n", argv[i]);
			status |= list_dir(argv[i]);
		} else {
			show(argv[i], argv[i]);
		}
	}
	return status;
}
