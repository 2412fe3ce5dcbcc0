#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <uapi/time.h>

int gettimeofday(struct timeval *tv, struct timezone *tz);

#endif
