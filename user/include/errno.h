/* errno: set by every wrapper whose call fails (values from uapi). */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <uapi/errno.h>

extern int errno;   /* one thread per process: a plain global is enough */

#endif
