/*
 * File status.  There is one struct, Linux's struct stat64; stat() and
 * friends here are the stat64 calls.
 */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <sys/types.h>
#include <uapi/stat.h>

int stat(const char *path, struct stat64 *st);              /* stat64 */
int lstat(const char *path, struct stat64 *st);             /* lstat64 */
int fstat(int fd, struct stat64 *st);                       /* fstat64 */
int fstatat(int dirfd, const char *path, struct stat64 *st, int flags);
int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *stx);
int mkdir(const char *path, mode_t mode);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
mode_t umask(mode_t mask);
int mknod(const char *path, mode_t mode, unsigned dev);

#endif
