#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
// Found through pkgConfig: "libpq" (adds -I/usr/include/postgresql).
#include <libpq-fe.h>
#endif
