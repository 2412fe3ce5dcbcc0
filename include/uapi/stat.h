/*
 * File status: struct stat64 (stat64, lstat64, fstat64, fstatat64) and
 * struct statx, laid out exactly as Linux i386 returns them, with the
 * S_IF* file types and permission bits.
 *
 * On i386 a 64-bit integer inside a struct is aligned to 4 bytes only, so
 * the offsets below are not what a 64-bit eye expects; the asserts at the end
 * pin them down.
 */
#ifndef UAPI_STAT_H
#define UAPI_STAT_H

#include <stdint.h>
#include <stddef.h>

/* File types: the top bits of st_mode. */
#define S_IFMT      0170000
#define S_IFSOCK    0140000
#define S_IFLNK     0120000
#define S_IFREG     0100000
#define S_IFBLK     0060000
#define S_IFDIR     0040000
#define S_IFCHR     0020000
#define S_IFIFO     0010000

#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

/* Mode bits: set-id, sticky, then rwx for user, group, others. */
#define S_ISUID     04000
#define S_ISGID     02000
#define S_ISVTX     01000
#define S_IRWXU     00700
#define S_IRUSR     00400
#define S_IWUSR     00200
#define S_IXUSR     00100
#define S_IRWXG     00070
#define S_IRGRP     00040
#define S_IWGRP     00020
#define S_IXGRP     00010
#define S_IRWXO     00007
#define S_IROTH     00004
#define S_IWOTH     00002
#define S_IXOTH     00001

/* Device numbers as stat64 reports them (Linux's "huge" encoding). */
#define MKDEV64(ma, mi) ((uint64_t)(((mi) & 0xff) | (((ma) & 0xfff) << 8) | \
                         (((uint64_t)(mi) & ~0xffu) << 12)))
#define MAJOR64(dev)    ((unsigned)(((dev) >> 8) & 0xfff))
#define MINOR64(dev)    ((unsigned)(((dev) & 0xff) | (((dev) >> 12) & 0xfff00)))

/*
 * struct stat64 as i386 Linux fills it (96 bytes).  The padding goes back to
 * glibc 2.1; the inode number appears twice, truncated in __st_ino and in
 * full in st_ino at the end.
 */
struct stat64 {
	uint64_t st_dev;          /*  0: device of the file system */
	uint8_t  __pad0[4];       /*  8 */
	uint32_t __st_ino;        /* 12: low 32 bits of st_ino */
	uint32_t st_mode;         /* 16: S_IF* type and permission bits */
	uint32_t st_nlink;        /* 20: hard links */
	uint32_t st_uid;          /* 24 */
	uint32_t st_gid;          /* 28 */
	uint64_t st_rdev;         /* 32: device number of a device file */
	uint8_t  __pad3[4];       /* 40 */
	int64_t  st_size;         /* 44: bytes */
	uint32_t st_blksize;      /* 52: preferred I/O size */
	uint64_t st_blocks;       /* 56: 512-byte blocks allocated */
	uint32_t st_atime;        /* 64: last access */
	uint32_t st_atime_nsec;   /* 68 */
	uint32_t st_mtime;        /* 72: last modification */
	uint32_t st_mtime_nsec;   /* 76 */
	uint32_t st_ctime;        /* 80: last status change */
	uint32_t st_ctime_nsec;   /* 84 */
	uint64_t st_ino;          /* 88: inode number */
};

_Static_assert(sizeof(struct stat64) == 96, "stat64 size");
_Static_assert(offsetof(struct stat64, __st_ino) == 12, "stat64 __st_ino");
_Static_assert(offsetof(struct stat64, st_mode) == 16, "stat64 st_mode");
_Static_assert(offsetof(struct stat64, st_rdev) == 32, "stat64 st_rdev");
_Static_assert(offsetof(struct stat64, st_size) == 44, "stat64 st_size");
_Static_assert(offsetof(struct stat64, st_blksize) == 52, "stat64 st_blksize");
_Static_assert(offsetof(struct stat64, st_blocks) == 56, "stat64 st_blocks");
_Static_assert(offsetof(struct stat64, st_atime) == 64, "stat64 st_atime");
_Static_assert(offsetof(struct stat64, st_mtime) == 72, "stat64 st_mtime");
_Static_assert(offsetof(struct stat64, st_ctime) == 80, "stat64 st_ctime");
_Static_assert(offsetof(struct stat64, st_ino) == 88, "stat64 st_ino");

/* statx (383): a time stamp with 64-bit seconds. */
struct statx_timestamp {
	int64_t  tv_sec;
	uint32_t tv_nsec;
	int32_t  __reserved;
};

/* struct statx: 256 bytes, the same on every architecture. */
struct statx {
	uint32_t stx_mask;            /* 0x00: STATX_* bits actually filled in */
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;           /* 0x10 */
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;            /* type and permission bits */
	uint16_t __spare0;
	uint64_t stx_ino;             /* 0x20 */
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_timestamp stx_atime;  /* 0x40 */
	struct statx_timestamp stx_btime;
	struct statx_timestamp stx_ctime;
	struct statx_timestamp stx_mtime;
	uint32_t stx_rdev_major;      /* 0x80 */
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;          /* 0x90 */
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	uint64_t __spare3[12];        /* 0xa0 .. 0x100 */
};

_Static_assert(sizeof(struct statx) == 0x100, "statx size");
_Static_assert(offsetof(struct statx, stx_mode) == 0x1c, "statx stx_mode");
_Static_assert(offsetof(struct statx, stx_ino) == 0x20, "statx stx_ino");
_Static_assert(offsetof(struct statx, stx_atime) == 0x40, "statx stx_atime");
_Static_assert(offsetof(struct statx, stx_rdev_major) == 0x80, "statx rdev");

/* statx mask bits: what the caller wants / what the kernel filled in. */
#define STATX_TYPE          0x00000001U   /* stx_mode & S_IFMT */
#define STATX_MODE          0x00000002U   /* stx_mode & ~S_IFMT */
#define STATX_NLINK         0x00000004U
#define STATX_UID           0x00000008U
#define STATX_GID           0x00000010U
#define STATX_ATIME         0x00000020U
#define STATX_MTIME         0x00000040U
#define STATX_CTIME         0x00000080U
#define STATX_INO           0x00000100U
#define STATX_SIZE          0x00000200U
#define STATX_BLOCKS        0x00000400U
#define STATX_BASIC_STATS   0x000007ffU   /* all of the above: what stat64 has */
#define STATX_BTIME         0x00000800U
#define STATX_MNT_ID        0x00001000U
#define STATX_DIOALIGN      0x00002000U
#define STATX__RESERVED     0x80000000U   /* EINVAL if set */

#endif
