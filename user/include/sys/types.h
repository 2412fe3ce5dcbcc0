/* The basic POSIX types, sized as on Linux i386. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef int pid_t;
typedef long off_t;             /* 32-bit offsets: lseek */
typedef long long off64_t;      /* 64-bit offsets: _llseek, pread64 */
typedef unsigned int mode_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef long time_t;
typedef int clockid_t;

#endif
