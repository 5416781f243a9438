#ifndef RNNLAB_COPENBLAS_SHIM_H
#define RNNLAB_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
