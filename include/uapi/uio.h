/* readv (145) / writev (146) / preadv / pwritev: one struct iovec per buffer. */
#ifndef UAPI_UIO_H
#define UAPI_UIO_H

#include <stddef.h>

struct iovec {
	void  *iov_base;    /* start of the buffer */
	size_t iov_len;     /* its length in bytes */
};

#define UIO_MAXIOV  1024    /* more iovecs than this: EINVAL */

#endif
