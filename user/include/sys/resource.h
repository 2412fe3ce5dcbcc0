#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/types.h>
#include <uapi/resource.h>

int getrlimit(int res, struct rlimit *r);        /* ugetrlimit (191) */
int setrlimit(int res, const struct rlimit *r);
int prlimit64(pid_t pid, int res, const struct rlimit64 *new, struct rlimit64 *old);

#endif
