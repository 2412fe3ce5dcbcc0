/* execv and execvp: execve with our environment, searching /bin. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/*
 * A name without '/' is looked up in each directory of PATH (default
 * "/bin"); the first one that exists is run.
 */
int execvp(const char *file, char *const argv[])
{
	char buf[256];
	const char *path;

	if (strchr(file, '/'))
		return execve(file, argv, environ);
	path = getenv("PATH");
	if (!path || !*path)
		path = "/bin";
	int err = ENOENT;
	while (*path) {
		size_t n = strcspn(path, ":");
		if (n + strlen(file) + 2 <= sizeof(buf)) {
			memcpy(buf, path, n);
			buf[n] = '/';
			strcpy(buf + n + 1, file);
			execve(buf, argv, environ);
			if (errno != ENOENT)
				err = errno;    /* remember EACCES, ENOEXEC, ... */
		}
		path += n;
		if (*path == ':')
			path++;
	}
	errno = err;
	return -1;
}
