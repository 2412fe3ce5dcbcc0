/*
 * open(2) flags, *at() conventions and fcntl(2) commands, as Linux i386
 * defines them (x86 uses the generic values; note they are octal).
 */
#ifndef UAPI_FCNTL_H
#define UAPI_FCNTL_H

/* Access mode: the low two bits of the flags word. */
#define O_ACCMODE       00000003
#define O_RDONLY        00000000
#define O_WRONLY        00000001
#define O_RDWR          00000002

/* Creation flags: act at open time only, never reported by F_GETFL. */
#define O_CREAT         00000100    /* create the file if it is missing */
#define O_EXCL          00000200    /* with O_CREAT: fail with EEXIST if it exists */
#define O_NOCTTY        00000400    /* do not make it the controlling tty */
#define O_TRUNC         00001000    /* truncate a regular file to length 0 */

/* Status flags: kept in the open file, F_GETFL / F_SETFL see them. */
#define O_APPEND        00002000    /* every write goes to the end */
#define O_NONBLOCK      00004000    /* EAGAIN instead of blocking */
#define O_NDELAY        O_NONBLOCK
#define O_DSYNC         00010000
#define FASYNC          00020000
#define O_DIRECT        00040000
#define O_LARGEFILE     00100000    /* offsets beyond 2 GiB (glibc always sets it) */
#define O_DIRECTORY     00200000    /* fail with ENOTDIR unless a directory */
#define O_NOFOLLOW      00400000    /* fail with ELOOP on a final symlink */
#define O_NOATIME       01000000
#define O_CLOEXEC       02000000    /* set FD_CLOEXEC on the new descriptor */
#define O_SYNC          (04000000 | O_DSYNC)
#define O_PATH          010000000
#define O_TMPFILE       (020000000 | O_DIRECTORY)

/* The dirfd argument of openat() and friends: "relative to the cwd". */
#define AT_FDCWD            (-100)

/* Flags of the *at() calls. */
#define AT_SYMLINK_NOFOLLOW 0x100   /* fstatat64, fchownat: do not follow */
#define AT_REMOVEDIR        0x200   /* unlinkat: act like rmdir */
#define AT_EACCESS          0x200   /* faccessat: use effective ids */
#define AT_SYMLINK_FOLLOW   0x400   /* linkat: follow */
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000  /* "" names dirfd itself */
#define AT_STATX_SYNC_TYPE  0x6000
#define AT_STATX_SYNC_AS_STAT 0x0000
#define AT_STATX_FORCE_SYNC 0x2000
#define AT_STATX_DONT_SYNC  0x4000
#define AT_RECURSIVE        0x8000

/* fcntl() / fcntl64() commands. */
#define F_DUPFD         0       /* dup to the lowest free fd >= arg */
#define F_GETFD         1       /* get descriptor flags (FD_CLOEXEC) */
#define F_SETFD         2       /* set descriptor flags */
#define F_GETFL         3       /* get status flags and access mode */
#define F_SETFL         4       /* set status flags (only O_APPEND, O_NONBLOCK, ...) */
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_SETOWN        8
#define F_GETOWN        9
#define F_SETSIG        10
#define F_GETSIG        11
#define F_GETLK64       12
#define F_SETLK64       13
#define F_SETLKW64      14
#define F_LINUX_SPECIFIC_BASE 1024
#define F_DUPFD_CLOEXEC (F_LINUX_SPECIFIC_BASE + 6)  /* F_DUPFD, with FD_CLOEXEC */
#define F_SETPIPE_SZ    (F_LINUX_SPECIFIC_BASE + 7)
#define F_GETPIPE_SZ    (F_LINUX_SPECIFIC_BASE + 8)

/* The only descriptor flag. */
#define FD_CLOEXEC      1

/* access() / faccessat() modes. */
#define F_OK            0
#define X_OK            1
#define W_OK            2
#define R_OK            4

/* lseek() / _llseek() whence. */
#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2
#define SEEK_DATA       3       /* the next data at or after the offset */
#define SEEK_HOLE       4       /* the next hole at or after the offset */

#endif
