/* poll (168) / ppoll: one struct pollfd per descriptor watched. */
#ifndef UAPI_POLL_H
#define UAPI_POLL_H

struct pollfd {
	int   fd;           /* negative: ignored, revents = 0 */
	short events;       /* requested POLL* bits */
	short revents;      /* returned bits; ERR, HUP, NVAL are always reported */
};

#define POLLIN      0x0001  /* data to read (or EOF) */
#define POLLPRI     0x0002
#define POLLOUT     0x0004  /* room to write */
#define POLLERR     0x0008  /* error; for a pipe's write end: no readers */
#define POLLHUP     0x0010  /* hang up; for a pipe's read end: no writers */
#define POLLNVAL    0x0020  /* fd is not open */
#define POLLRDNORM  0x0040
#define POLLRDBAND  0x0080
#define POLLWRNORM  0x0100
#define POLLWRBAND  0x0200
#define POLLMSG     0x0400
#define POLLRDHUP   0x2000

#endif
