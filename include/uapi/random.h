/* getrandom (355): getrandom(buf, len, flags), returns bytes written. */
#ifndef UAPI_RANDOM_H
#define UAPI_RANDOM_H

#define GRND_NONBLOCK   0x0001  /* EAGAIN instead of waiting for entropy */
#define GRND_RANDOM     0x0002  /* no effect nowadays */
#define GRND_INSECURE   0x0004  /* never block */

#endif
