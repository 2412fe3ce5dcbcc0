/*
 * getdents64 (220) records.  Each record is d_reclen bytes long (a multiple
 * of 8, Linux rounds up) and holds a NUL-terminated name; records follow one
 * another in the buffer.
 */
#ifndef UAPI_DIRENT_H
#define UAPI_DIRENT_H

#include <stdint.h>
#include <stddef.h>

struct linux_dirent64 {
	uint64_t d_ino;         /* inode number */
	int64_t  d_off;         /* opaque position of the next record */
	uint16_t d_reclen;      /* size of this record */
	uint8_t  d_type;        /* DT_* */
	char     d_name[];      /* NUL-terminated, padded */
};

_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "dirent64 d_name");

/* d_type values: the S_IF* type >> 12. */
#define DT_UNKNOWN  0
#define DT_FIFO     1
#define DT_CHR      2
#define DT_DIR      4
#define DT_BLK      6
#define DT_REG      8
#define DT_LNK      10
#define DT_SOCK     12

#endif
