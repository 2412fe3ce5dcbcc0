#ifndef _SYS_REBOOT_H
#define _SYS_REBOOT_H

#include <uapi/reboot.h>

/* reboot(LINUX_REBOOT_CMD_...): the magic numbers are added for you. */
int reboot(unsigned cmd);

#endif
