/*
 * uname(2) (122) fills struct new_utsname: six NUL-terminated strings of
 * 65 bytes each (390 bytes).  Programs compare `release` (glibc wants a
 * Linux-looking "6.1.0"); this kernel names itself in `version`.
 */
#ifndef UAPI_UTSNAME_H
#define UAPI_UTSNAME_H

#define UTSNAME_LENGTH 65

struct new_utsname {
	char sysname[UTSNAME_LENGTH];     /* "Linux" */
	char nodename[UTSNAME_LENGTH];    /* host name */
	char release[UTSNAME_LENGTH];     /* e.g. "6.1.0" */
	char version[UTSNAME_LENGTH];     /* build description */
	char machine[UTSNAME_LENGTH];     /* "i686" */
	char domainname[UTSNAME_LENGTH];  /* "(none)" */
};

_Static_assert(sizeof(struct new_utsname) == 390, "new_utsname size");

#endif
