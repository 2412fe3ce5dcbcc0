/* Memory mappings. */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>
#include <uapi/mman.h>

/* mmap via mmap2: off must be a multiple of 4096. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);

/* An anonymous file of shared memory (ftruncate it to size, then mmap it
 * MAP_SHARED wherever its pages should appear). */
#define MFD_CLOEXEC       1
#define MFD_ALLOW_SEALING 2
int memfd_create(const char *name, unsigned flags);

#endif
