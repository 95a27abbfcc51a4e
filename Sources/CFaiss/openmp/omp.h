// The OpenMP declarations FAISS's headers and the shim use, with libgomp's layout. The Swift toolchain's clang
// ships no omp.h and GCC's sits in a folder named after its version; the functions come from libgomp (linked).
#ifndef CFAISS_OMP_H
#define CFAISS_OMP_H

typedef struct {
    unsigned char _x[4] __attribute__((__aligned__(4)));
} omp_lock_t;

#ifdef __cplusplus
extern "C" {
#endif
void omp_set_num_threads(int);
#ifdef __cplusplus
}
#endif

#endif
