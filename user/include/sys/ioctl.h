/* ioctl, and the terminal helpers built on it. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <uapi/ioctl.h>

int ioctl(int fd, unsigned long req, ...);
int tcgetattr(int fd, struct termios *t);                 /* TCGETS */
int tcsetattr(int fd, int when, const struct termios *t); /* TCSETS + when */

#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

#endif
