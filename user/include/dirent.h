/*
 * Reading directories: a DIR holds a getdents64 buffer, readdir() walks
 * its records and refills it when it runs out.
 */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <uapi/dirent.h>

#define dirent linux_dirent64   /* struct dirent is the kernel's record */

typedef struct DIR DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);     /* NULL at the end (errno unchanged) or on error */
int closedir(DIR *d);
int dirfd(DIR *d);
int getdents64(int fd, void *buf, unsigned n);

#endif
