#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H

#include <uapi/utsname.h>

int uname(struct new_utsname *u);

#endif
