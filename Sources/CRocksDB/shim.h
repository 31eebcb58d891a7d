#ifndef SLUICE_CROCKSDB_SHIM_H
#define SLUICE_CROCKSDB_SHIM_H
#include <rocksdb/c.h>
#endif
