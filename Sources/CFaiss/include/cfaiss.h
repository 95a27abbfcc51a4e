/// cfaiss.h — the pure-C boundary between Swift and FAISS (Debian libfaiss-dev 1.7), for inner-product search.
///
/// Rules every function here follows (as in ctorch.h):
/// - An index crosses the boundary as an opaque handle owned by the caller, who releases it with `cfaiss_free`.
/// - No C++ exception ever unwinds into the caller. A function that can fail takes `char **error`; on failure it
///   stores a malloc'd message (FAISS's own text) that the caller releases with `cfaiss_string_free`, and returns
///   NULL / a non-zero status.
/// - Vectors are row-major float32, `n` rows of the index's dimension. Scores are inner products, so on
///   L2-normalized vectors they are cosine similarities. Labels are the rows' positions in the order added.
/// - `threads` sets OpenMP's thread count for the call, on the calling thread (OpenMP keeps it per thread).
#ifndef CFAISS_H
#define CFAISS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An owned `faiss::Index` searched by inner product.
typedef struct cfaiss_index_impl *cfaiss_index;

/// Exhaustive inner-product search (`IndexFlatIP`); needs no training.
cfaiss_index cfaiss_flat_create(int dimension, char **error);

/// Inverted lists over `nlist` k-means cells, vectors stored uncompressed (`IndexIVFFlat` with an `IndexFlatIP`
/// quantizer); must be trained (with at least `nlist` vectors) before adding.
cfaiss_index cfaiss_ivf_create(int dimension, int nlist, char **error);

/// A hierarchical navigable small-world graph with `m` links per node (`IndexHNSWFlat`), built with
/// `ef_construction` candidates per insertion; needs no training.
cfaiss_index cfaiss_hnsw_create(int dimension, int m, int ef_construction, char **error);

/// Trains the index on `n` vectors (k-means for IVF; a no-op for flat and HNSW). Returns 0 on success.
int cfaiss_train(cfaiss_index index, int64_t n, const float *vectors, int threads, char **error);

/// Adds `n` vectors, labelled from the index's current count on. Returns 0 on success.
int cfaiss_add(cfaiss_index index, int64_t n, const float *vectors, int threads, char **error);

/// Sets the IVF cells visited per query (1…nlist). Returns 0 on success; fails on an index that is not IVF.
int cfaiss_set_nprobe(cfaiss_index index, int nprobe, char **error);

/// Sets the HNSW candidate list size per query (at least 1). Returns 0 on success; fails on an index that is
/// not HNSW.
int cfaiss_set_ef_search(cfaiss_index index, int ef_search, char **error);

/// The `k` best rows for each of `n` queries: `scores` and `labels` (each n×k, row-major, best first) receive
/// the inner products and the rows' labels; a query with fewer than `k` reachable rows gets label -1 in the
/// missing places. Returns 0 on success.
int cfaiss_search(cfaiss_index index, int64_t n, const float *queries, int64_t k, float *scores, int64_t *labels,
                  int threads, char **error);

/// The number of vectors added.
int64_t cfaiss_count(cfaiss_index index);

/// Whether the index may be added to (IVF: trained; the others: always).
bool cfaiss_is_trained(cfaiss_index index);

/// The size of the index serialized by `faiss::write_index`: the vectors, the IVF lists or the HNSW graph — what
/// it holds in memory, less allocator slack. Returns -1 and sets `error` on failure.
int64_t cfaiss_serialized_bytes(cfaiss_index index, char **error);

void cfaiss_free(cfaiss_index index);
void cfaiss_string_free(char *string);

#ifdef __cplusplus
}
#endif

#endif
