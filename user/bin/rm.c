/* rm [-r] [-f] PATH...: remove files (-r: directories and what they hold; -f: quietly). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static int recursive, force;

static int remove_path(const char *path)
{
	struct stat64 st;

	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			fprintf(stderr, "rm: %s: is a directory\n", path);
			return 1;
		}
		/*
		 * Removing entries while reading a directory may make the reader
		 * skip some; so read just the first entry, remove it, start over.
		 */
		for (;;) {
			DIR *d = opendir(path);
			if (!d) {
				fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
				return 1;
			}
			struct dirent *e;
			char sub[512] = "";
			while ((e = readdir(d))) {
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
					snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
					break;
				}
			}
			closedir(d);
			if (!sub[0] || remove_path(sub))
				break;          /* empty, or stuck: let rmdir report it */
		}
		if (rmdir(path) < 0) {
			fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
			return 1;
		}
		return 0;
	}
	if (unlink(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			for (char *o = argv[i] + 1; *o; o++) {
				if (*o == 'r' || *o == 'R')
					recursive = 1;
				else if (*o == 'f')
					force = 1;
				else {
					fprintf(stderr, "rm: unknown option -%c\n", *o);
					return 2;
				}
			}
			continue;
		}
		status |= remove_path(argv[i]);
	}
	return status;
}
