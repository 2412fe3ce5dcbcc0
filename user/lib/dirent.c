/* opendir / readdir over getdents64. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct DIR {
	int fd;
	int pos, len;           /* next record, bytes in buf */
	char buf[2048] __attribute__((aligned(8)));
};

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *d = malloc(sizeof(*d));
	if (!d) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		int n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;    /* 0: the end; -1: errno says why */
		d->len = n;
		d->pos = 0;
	}
	struct dirent *e = (struct dirent *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	return e;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}
