// What every C++ file of the shim shares: the tensor handle, error messages and the exception guard.
#ifndef CTORCH_SHIM_SUPPORT_HPP
#define CTORCH_SHIM_SUPPORT_HPP

#include "ctorch.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

struct ctorch_tensor_impl {
    at::Tensor tensor;
};

namespace ctorch_support {

inline char *copy_string(const std::string &text) {
    char *result = static_cast<char *>(std::malloc(text.size() + 1));
    if (result != nullptr) {
        std::memcpy(result, text.c_str(), text.size() + 1);
    }
    return result;
}

inline void set_error(char **error, const std::string &message) {
    if (error != nullptr) {
        *error = copy_string(message);
    }
}

inline ctorch_tensor wrap(at::Tensor tensor) { return new ctorch_tensor_impl{std::move(tensor)}; }

inline const at::Tensor &unwrap(ctorch_tensor tensor) {
    static const at::Tensor undefined;
    return tensor == nullptr ? undefined : tensor->tensor;
}

/// A failure detected by the shim itself (as opposed to one raised inside libtorch).
struct ShimError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace ctorch_support

using namespace ctorch_support;

// Runs `body`; converts any exception into an error message and `failure` as the return value.
#define CTORCH_GUARD(error, failure, ...)                              \
    try {                                                               \
        __VA_ARGS__                                                     \
    } catch (const c10::Error &exception) {                             \
        set_error(error, exception.what_without_backtrace());           \
    } catch (const std::exception &exception) {                         \
        set_error(error, exception.what());                             \
    } catch (...) {                                                     \
        set_error(error, "unknown C++ exception in libtorch");          \
    }                                                                   \
    return failure;

#endif
