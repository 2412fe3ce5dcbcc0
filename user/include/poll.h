#ifndef _POLL_H
#define _POLL_H

#include <uapi/poll.h>

typedef unsigned int nfds_t;
int poll(struct pollfd *fds, nfds_t n, int timeout_ms);

#endif
