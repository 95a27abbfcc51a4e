// The C boundary over FAISS declared in include/cfaiss.h: every entry point catches what FAISS throws and
// returns it as a message.
#include "cfaiss.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

struct cfaiss_index_impl {
    std::unique_ptr<faiss::Index> index;
};

namespace {

void store_error(char **error, const std::string &message) {
    if (error == nullptr) return;
    *error = static_cast<char *>(std::malloc(message.size() + 1));
    if (*error != nullptr) std::memcpy(*error, message.c_str(), message.size() + 1);
}

/// Runs `body`, turning any exception into `error` and `failure`.
template <typename Result, typename Body>
Result guarded(char **error, Result failure, Body body) {
    try {
        return body();
    } catch (const std::exception &exception) {
        store_error(error, exception.what());
    } catch (...) {
        store_error(error, "FAISS failed with an unknown exception");
    }
    return failure;
}

void use_threads(int threads) {
    if (threads > 0) omp_set_num_threads(threads);
}

cfaiss_index wrap(faiss::Index *index) {
    auto handle = new cfaiss_index_impl;
    handle->index.reset(index);
    return handle;
}

}  // namespace

extern "C" {

cfaiss_index cfaiss_flat_create(int dimension, char **error) {
    return guarded<cfaiss_index>(error, nullptr, [&] {
        if (dimension <= 0) throw std::invalid_argument("the dimension must be positive, got " + std::to_string(dimension));
        return wrap(new faiss::IndexFlatIP(dimension));
    });
}

cfaiss_index cfaiss_ivf_create(int dimension, int nlist, char **error) {
    return guarded<cfaiss_index>(error, nullptr, [&] {
        if (dimension <= 0) throw std::invalid_argument("the dimension must be positive, got " + std::to_string(dimension));
        if (nlist <= 0) throw std::invalid_argument("nlist must be positive, got " + std::to_string(nlist));
        auto quantizer = std::make_unique<faiss::IndexFlatIP>(dimension);
        auto index = std::make_unique<faiss::IndexIVFFlat>(quantizer.get(), dimension, size_t(nlist),
                                                           faiss::METRIC_INNER_PRODUCT);
        index->own_fields = true;
        quantizer.release();
        return wrap(index.release());
    });
}

cfaiss_index cfaiss_hnsw_create(int dimension, int m, int ef_construction, char **error) {
    return guarded<cfaiss_index>(error, nullptr, [&] {
        if (dimension <= 0) throw std::invalid_argument("the dimension must be positive, got " + std::to_string(dimension));
        if (m <= 0) throw std::invalid_argument("M must be positive, got " + std::to_string(m));
        if (ef_construction <= 0) {
            throw std::invalid_argument("efConstruction must be positive, got " + std::to_string(ef_construction));
        }
        auto index = std::make_unique<faiss::IndexHNSWFlat>(dimension, m, faiss::METRIC_INNER_PRODUCT);
        index->hnsw.efConstruction = ef_construction;
        return wrap(index.release());
    });
}

int cfaiss_train(cfaiss_index handle, int64_t n, const float *vectors, int threads, char **error) {
    return guarded<int>(error, 1, [&] {
        use_threads(threads);
        handle->index->train(n, vectors);
        return 0;
    });
}

int cfaiss_add(cfaiss_index handle, int64_t n, const float *vectors, int threads, char **error) {
    return guarded<int>(error, 1, [&] {
        use_threads(threads);
        handle->index->add(n, vectors);
        return 0;
    });
}

int cfaiss_set_nprobe(cfaiss_index handle, int nprobe, char **error) {
    return guarded<int>(error, 1, [&] {
        auto ivf = dynamic_cast<faiss::IndexIVF *>(handle->index.get());
        if (ivf == nullptr) throw std::invalid_argument("nprobe applies to an IVF index only");
        if (nprobe <= 0 || size_t(nprobe) > ivf->nlist) {
            throw std::invalid_argument("nprobe must be 1…" + std::to_string(ivf->nlist) + ", got " + std::to_string(nprobe));
        }
        ivf->nprobe = size_t(nprobe);
        return 0;
    });
}

int cfaiss_set_ef_search(cfaiss_index handle, int ef_search, char **error) {
    return guarded<int>(error, 1, [&] {
        auto hnsw = dynamic_cast<faiss::IndexHNSW *>(handle->index.get());
        if (hnsw == nullptr) throw std::invalid_argument("efSearch applies to an HNSW index only");
        if (ef_search <= 0) throw std::invalid_argument("efSearch must be positive, got " + std::to_string(ef_search));
        hnsw->hnsw.efSearch = ef_search;
        return 0;
    });
}

int cfaiss_search(cfaiss_index handle, int64_t n, const float *queries, int64_t k, float *scores, int64_t *labels,
                  int threads, char **error) {
    return guarded<int>(error, 1, [&] {
        if (k <= 0) throw std::invalid_argument("k must be positive, got " + std::to_string(k));
        use_threads(threads);
        handle->index->search(n, queries, k, scores, labels);
        return 0;
    });
}

int64_t cfaiss_count(cfaiss_index handle) { return handle->index->ntotal; }

bool cfaiss_is_trained(cfaiss_index handle) { return handle->index->is_trained; }

int64_t cfaiss_serialized_bytes(cfaiss_index handle, char **error) {
    return guarded<int64_t>(error, -1, [&] {
        faiss::VectorIOWriter writer;
        faiss::write_index(handle->index.get(), &writer);
        return int64_t(writer.data.size());
    });
}

void cfaiss_free(cfaiss_index handle) { delete handle; }

void cfaiss_string_free(char *string) { std::free(string); }

}  // extern "C"
