#ifndef _SYS_MOUNT_H
#define _SYS_MOUNT_H

int mount(const char *src, const char *target, const char *type,
          unsigned long flags, const void *data);

#endif
