// The C++ side of ctorch.h: boxed ATen operator calls, tensor data transfer, autograd and runtime settings.
// Every exported function catches every exception; see CTORCH_GUARD.
#include "ctorch.h"
#include "shim_support.hpp"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <c10/core/Allocator.h>
#include <c10/core/GradMode.h>
#include <c10/util/ThreadLocalDebugInfo.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cstring>
#include <limits>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

struct ctorch_object_impl {
    c10::IValue value;
};

struct ctorch_tensor_weak_impl {
    c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl> pointer;
};

struct ctorch_op_impl {
    c10::OperatorHandle handle;
    std::string schema;
};

// The definitions take C linkage from their declarations in ctorch.h.

void ctorch_string_free(char *message) { std::free(message); }

// MARK: - Operators

ctorch_op ctorch_op_find(const char *name, const char *overload, char **error) {
    CTORCH_GUARD(error, nullptr, {
        auto handle = c10::Dispatcher::singleton().findSchema({name, overload == nullptr ? "" : overload});
        if (!handle.has_value()) {
            std::string full = name;
            if (overload != nullptr && overload[0] != '\0') full += std::string(".") + overload;
            throw ShimError("no ATen operator named " + full);
        }
        std::ostringstream text;
        text << handle->schema();
        return new ctorch_op_impl{*handle, text.str()};
    })
}

const char *ctorch_op_schema(ctorch_op op) { return op->schema.c_str(); }

namespace {

std::string describe_kind(int32_t kind) {
    switch (kind) {
    case CTORCH_VALUE_NONE: return "None";
    case CTORCH_VALUE_TENSOR: return "Tensor";
    case CTORCH_VALUE_INT: return "int";
    case CTORCH_VALUE_DOUBLE: return "float";
    case CTORCH_VALUE_BOOL: return "bool";
    case CTORCH_VALUE_INT_LIST: return "int[]";
    case CTORCH_VALUE_DOUBLE_LIST: return "float[]";
    case CTORCH_VALUE_BOOL_LIST: return "bool[]";
    case CTORCH_VALUE_TENSOR_LIST: return "Tensor[]";
    case CTORCH_VALUE_OPTIONAL_TENSOR_LIST: return "Tensor?[]";
    case CTORCH_VALUE_STRING: return "str";
    case CTORCH_VALUE_OBJECT: return "object";
    default: return "unknown";
    }
}

[[noreturn]] void mismatch(const c10::Argument &argument, const ctorch_value &value) {
    std::ostringstream text;
    text << "argument '" << argument.name() << "' expects " << argument.type()->str() << ", got "
         << describe_kind(value.kind);
    throw ShimError(text.str());
}

template <typename T>
std::vector<T> list_items(const ctorch_value &value) {
    const T *items = static_cast<const T *>(value.items);
    return std::vector<T>(items, items + value.count);
}

/// Converts one C argument to the IValue the schema's argument type expects.
c10::IValue to_ivalue(const ctorch_value &value, const c10::Argument &argument) {
    c10::TypePtr type = argument.type();
    if (type->kind() == c10::TypeKind::OptionalType) {
        if (value.kind == CTORCH_VALUE_NONE) return c10::IValue();
        type = type->expectRef<c10::OptionalType>().getElementType();
    }
    switch (type->kind()) {
    case c10::TypeKind::TensorType:
        if (value.kind != CTORCH_VALUE_TENSOR) mismatch(argument, value);
        return c10::IValue(unwrap(static_cast<ctorch_tensor>(const_cast<void *>(value.items))));
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType:
        if (value.kind != CTORCH_VALUE_INT && value.kind != CTORCH_VALUE_BOOL) mismatch(argument, value);
        return c10::IValue(value.int_value);
    case c10::TypeKind::FloatType:
        if (value.kind == CTORCH_VALUE_DOUBLE) return c10::IValue(value.double_value);
        if (value.kind == CTORCH_VALUE_INT) return c10::IValue(static_cast<double>(value.int_value));
        mismatch(argument, value);
    case c10::TypeKind::BoolType:
        if (value.kind != CTORCH_VALUE_BOOL && value.kind != CTORCH_VALUE_INT) mismatch(argument, value);
        return c10::IValue(value.int_value != 0);
    case c10::TypeKind::NumberType:
        if (value.kind == CTORCH_VALUE_INT) return c10::IValue(value.int_value);
        if (value.kind == CTORCH_VALUE_DOUBLE) return c10::IValue(value.double_value);
        if (value.kind == CTORCH_VALUE_BOOL) return c10::IValue(value.int_value != 0);
        mismatch(argument, value);
    case c10::TypeKind::StringType:
        if (value.kind != CTORCH_VALUE_STRING) mismatch(argument, value);
        return c10::IValue(std::string(static_cast<const char *>(value.items), value.count));
    case c10::TypeKind::ListType: {
        const auto &element = type->expectRef<c10::ListType>().getElementType();
        switch (element->kind()) {
        case c10::TypeKind::IntType:
        case c10::TypeKind::SymIntType:
            if (value.kind == CTORCH_VALUE_INT_LIST) return c10::IValue(list_items<int64_t>(value));
            // Like Python, a single int stands for a fixed-size list of that int (stride=2 → [2, 2]).
            if (value.kind == CTORCH_VALUE_INT && argument.N().has_value())
                return c10::IValue(std::vector<int64_t>(*argument.N(), value.int_value));
            mismatch(argument, value);
        case c10::TypeKind::FloatType:
            if (value.kind != CTORCH_VALUE_DOUBLE_LIST) mismatch(argument, value);
            return c10::IValue(list_items<double>(value));
        case c10::TypeKind::BoolType: {
            if (value.kind != CTORCH_VALUE_BOOL_LIST) mismatch(argument, value);
            c10::List<bool> list;
            const bool *items = static_cast<const bool *>(value.items);
            for (int64_t i = 0; i < value.count; ++i) list.push_back(items[i]);
            return c10::IValue(list);
        }
        case c10::TypeKind::TensorType: {
            if (value.kind != CTORCH_VALUE_TENSOR_LIST) mismatch(argument, value);
            c10::List<at::Tensor> list;
            list.reserve(value.count);
            const ctorch_tensor *items = static_cast<const ctorch_tensor *>(value.items);
            for (int64_t i = 0; i < value.count; ++i) list.push_back(unwrap(items[i]));
            return c10::IValue(list);
        }
        case c10::TypeKind::OptionalType: {
            if (value.kind != CTORCH_VALUE_OPTIONAL_TENSOR_LIST && value.kind != CTORCH_VALUE_TENSOR_LIST)
                mismatch(argument, value);
            c10::List<c10::optional<at::Tensor>> list;
            list.reserve(value.count);
            const ctorch_tensor *items = static_cast<const ctorch_tensor *>(value.items);
            for (int64_t i = 0; i < value.count; ++i) {
                if (items[i] == nullptr) list.push_back(c10::nullopt);
                else list.push_back(unwrap(items[i]));
            }
            return c10::IValue(list);
        }
        default:
            mismatch(argument, value);
        }
    }
    case c10::TypeKind::ClassType: {
        if (value.kind != CTORCH_VALUE_OBJECT) mismatch(argument, value);
        const c10::IValue &object = static_cast<const ctorch_object_impl *>(value.items)->value;
        if (!object.type()->isSubtypeOf(*type))
            throw ShimError("argument '" + argument.name() + "' must be " + type->str() + ", not " +
                            object.type()->str());
        return object;
    }
    default:
        if (value.kind == CTORCH_VALUE_NONE) return c10::IValue();
        mismatch(argument, value);
    }
}

void store_result(c10::IValue &value, ctorch_result &result) {
    result = ctorch_result{};
    if (value.isTensor()) {
        result.kind = CTORCH_VALUE_TENSOR;
        result.tensor = wrap(std::move(value).toTensor());
    } else if (value.isTensorList()) {
        auto list = std::move(value).toTensorList();
        result.kind = CTORCH_VALUE_TENSOR_LIST;
        result.count = static_cast<int64_t>(list.size());
        result.tensors = static_cast<ctorch_tensor *>(std::malloc(sizeof(ctorch_tensor) * (list.size() + 1)));
        for (size_t i = 0; i < list.size(); ++i) result.tensors[i] = wrap(list.get(i));
    } else if (value.isInt()) {
        result.kind = CTORCH_VALUE_INT;
        result.int_value = value.toInt();
    } else if (value.isDouble()) {
        result.kind = CTORCH_VALUE_DOUBLE;
        result.double_value = value.toDouble();
    } else if (value.isBool()) {
        result.kind = CTORCH_VALUE_BOOL;
        result.int_value = value.toBool() ? 1 : 0;
    } else if (value.isNone()) {
        result.kind = CTORCH_VALUE_NONE;
    } else if (value.isObject()) {
        result.kind = CTORCH_VALUE_OBJECT;
        result.object = new ctorch_object_impl{std::move(value)};
    } else {
        throw ShimError("unsupported result type " + value.tagKind());
    }
}

}  // namespace

int ctorch_op_call(ctorch_op op, const ctorch_value *args, int64_t nargs, ctorch_result *results,
                   int64_t capacity, int64_t *count, char **error) {
    *count = 0;
    CTORCH_GUARD(error, 1, {
        try {
            const auto &schema = op->handle.schema();
            const auto &arguments = schema.arguments();
            const size_t arity = arguments.size();
            std::vector<c10::IValue> stack(arity);
            std::vector<bool> given(arity, false);
            size_t position = 0;
            for (int64_t i = 0; i < nargs; ++i) {
                size_t index;
                if (args[i].name == nullptr) {
                    index = position++;
                    if (index >= arity) throw ShimError("too many arguments");
                } else {
                    auto found = schema.argumentIndexWithName(args[i].name);
                    if (!found.has_value()) throw ShimError(std::string("no argument named '") + args[i].name + "'");
                    index = static_cast<size_t>(*found);
                }
                if (given[index]) throw ShimError("argument '" + arguments[index].name() + "' given twice");
                stack[index] = to_ivalue(args[i], arguments[index]);
                given[index] = true;
            }
            for (size_t i = 0; i < arity; ++i) {
                if (given[i]) continue;
                if (!arguments[i].default_value().has_value())
                    throw ShimError("missing argument '" + arguments[i].name() + "'");
                stack[i] = *arguments[i].default_value();
            }
            op->handle.callBoxed(stack);
            if (static_cast<int64_t>(stack.size()) > capacity)
                throw ShimError("operator returned more results than expected");
            for (size_t i = 0; i < stack.size(); ++i) {
                store_result(stack[i], results[i]);
                *count = static_cast<int64_t>(i + 1);
            }
            return 0;
        } catch (const c10::Error &exception) {
            throw ShimError(op->handle.schema().name() + ": " + exception.what_without_backtrace());
        } catch (const ShimError &exception) {
            throw ShimError(op->schema + ": " + exception.what());
        } catch (const std::exception &exception) {
            throw ShimError(op->handle.schema().name() + ": " + exception.what());
        }
    })
}

// MARK: - Tensors

void ctorch_tensor_free(ctorch_tensor tensor) { delete tensor; }

void ctorch_tensor_array_free(ctorch_tensor *tensors, int64_t count) {
    if (tensors == nullptr) return;
    for (int64_t i = 0; i < count; ++i) delete tensors[i];
    std::free(tensors);
}

void ctorch_object_free(ctorch_object object) { delete object; }

char *ctorch_object_type_name(ctorch_object object) { return copy_string(object->value.type()->str()); }

bool ctorch_tensor_is_quantized(ctorch_tensor tensor) {
    const at::Tensor &value = unwrap(tensor);
    return value.defined() && value.is_quantized();
}

ctorch_tensor ctorch_tensor_undefined(void) { return wrap(at::Tensor()); }

ctorch_tensor ctorch_tensor_share(ctorch_tensor tensor) { return wrap(unwrap(tensor)); }

ctorch_tensor ctorch_tensor_from_data(const void *data, int64_t nbytes, const int64_t *shape, int64_t ndim,
                                      int32_t dtype, char **error) {
    CTORCH_GUARD(error, nullptr, {
        if (ndim < 0 || ndim > 64) throw ShimError("invalid number of dimensions " + std::to_string(ndim));
        auto scalar_type = static_cast<c10::ScalarType>(dtype);
        switch (dtype) {
        case CTORCH_UINT8: case CTORCH_INT8: case CTORCH_INT16: case CTORCH_INT32: case CTORCH_INT64:
        case CTORCH_FLOAT16: case CTORCH_FLOAT32: case CTORCH_FLOAT64: case CTORCH_BOOL: case CTORCH_BFLOAT16: break;
        default: throw ShimError("unsupported dtype code " + std::to_string(dtype));
        }
        std::vector<int64_t> sizes(shape, shape + ndim);
        int64_t elements = 1;
        for (int64_t size : sizes) {
            if (size < 0) throw ShimError("negative dimension " + std::to_string(size) + " in shape");
            if (size != 0 && elements > std::numeric_limits<int64_t>::max() / size)
                throw ShimError("shape has too many elements");
            elements *= size;
        }
        const int64_t element_size = static_cast<int64_t>(c10::elementSize(scalar_type));
        if (elements > std::numeric_limits<int64_t>::max() / element_size) throw ShimError("shape has too many elements");
        if (elements * element_size != nbytes) {
            std::ostringstream text;
            text << "shape " << c10::IntArrayRef(sizes) << " of " << c10::toString(scalar_type) << " needs "
                 << elements * element_size << " bytes, but " << nbytes << " were given";
            throw ShimError(text.str());
        }
        at::Tensor tensor = at::empty(sizes, at::TensorOptions().dtype(scalar_type));
        if (nbytes > 0) std::memcpy(tensor.data_ptr(), data, static_cast<size_t>(nbytes));
        return wrap(std::move(tensor));
    })
}

int ctorch_tensor_copy_to(ctorch_tensor tensor, void *destination, int64_t nbytes, char **error) {
    CTORCH_GUARD(error, 1, {
        const at::Tensor &source = unwrap(tensor);
        if (!source.defined()) throw ShimError("cannot read an undefined tensor");
        at::Tensor contiguous = source.detach().contiguous();
        const int64_t size = contiguous.numel() * static_cast<int64_t>(contiguous.element_size());
        if (size != nbytes)
            throw ShimError("tensor holds " + std::to_string(size) + " bytes, buffer has " + std::to_string(nbytes));
        if (size > 0) std::memcpy(destination, contiguous.data_ptr(), static_cast<size_t>(size));
        return 0;
    })
}

void *ctorch_tensor_data_pointer(ctorch_tensor tensor, char **error) {
    CTORCH_GUARD(error, nullptr, {
        const at::Tensor &source = unwrap(tensor);
        if (!source.defined()) throw ShimError("undefined tensor has no data");
        if (!source.is_contiguous()) throw ShimError("data pointer requested for a non-contiguous tensor");
        return source.data_ptr();
    })
}

bool ctorch_tensor_is_defined(ctorch_tensor tensor) { return unwrap(tensor).defined(); }

int64_t ctorch_tensor_dim(ctorch_tensor tensor) {
    const at::Tensor &t = unwrap(tensor);
    return t.defined() ? t.dim() : 0;
}

void ctorch_tensor_sizes(ctorch_tensor tensor, int64_t *sizes) {
    const at::Tensor &t = unwrap(tensor);
    if (!t.defined()) return;
    for (int64_t i = 0; i < t.dim(); ++i) sizes[i] = t.size(i);
}

void ctorch_tensor_strides(ctorch_tensor tensor, int64_t *strides) {
    const at::Tensor &t = unwrap(tensor);
    if (!t.defined()) return;
    for (int64_t i = 0; i < t.dim(); ++i) strides[i] = t.stride(i);
}

int64_t ctorch_tensor_numel(ctorch_tensor tensor) {
    const at::Tensor &t = unwrap(tensor);
    return t.defined() ? t.numel() : 0;
}

int32_t ctorch_tensor_dtype(ctorch_tensor tensor) {
    const at::Tensor &t = unwrap(tensor);
    return t.defined() ? static_cast<int32_t>(t.scalar_type()) : CTORCH_FLOAT32;
}

bool ctorch_tensor_is_contiguous(ctorch_tensor tensor, int32_t memory_format) {
    const at::Tensor &t = unwrap(tensor);
    if (!t.defined()) return false;
    return t.is_contiguous(memory_format == CTORCH_CHANNELS_LAST ? at::MemoryFormat::ChannelsLast
                                                                 : at::MemoryFormat::Contiguous);
}

uintptr_t ctorch_tensor_identity(ctorch_tensor tensor) {
    return reinterpret_cast<uintptr_t>(unwrap(tensor).unsafeGetTensorImpl());
}

ctorch_tensor_weak ctorch_tensor_weak_make(ctorch_tensor tensor) {
    const at::Tensor &value = unwrap(tensor);
    if (!value.defined()) return nullptr;
    return new ctorch_tensor_weak_impl{c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>(
        value.getIntrusivePtr())};
}

void ctorch_tensor_weak_free(ctorch_tensor_weak weak) { delete weak; }

char *ctorch_tensor_describe(ctorch_tensor tensor) {
    try {
        const at::Tensor &t = unwrap(tensor);
        if (!t.defined()) return copy_string("undefined tensor");
        std::ostringstream text;
        text << t;
        return copy_string(text.str());
    } catch (...) {
        return copy_string("<tensor that could not be printed>");
    }
}

// MARK: - Autograd

bool ctorch_tensor_requires_grad(ctorch_tensor tensor) {
    const at::Tensor &t = unwrap(tensor);
    return t.defined() && t.requires_grad();
}

int ctorch_tensor_set_requires_grad(ctorch_tensor tensor, bool requires_grad, char **error) {
    CTORCH_GUARD(error, 1, {
        if (!unwrap(tensor).defined()) throw ShimError("requires_grad set on an undefined tensor");
        tensor->tensor.set_requires_grad(requires_grad);
        return 0;
    })
}

bool ctorch_tensor_is_leaf(ctorch_tensor tensor) {
    const at::Tensor &t = unwrap(tensor);
    return !t.defined() || t.is_leaf();
}

ctorch_tensor ctorch_tensor_grad(ctorch_tensor tensor) {
    const at::Tensor &t = unwrap(tensor);
    if (!t.defined()) return nullptr;
    const at::Tensor &grad = t.grad();
    return grad.defined() ? wrap(grad) : nullptr;
}

int ctorch_tensor_set_grad(ctorch_tensor tensor, ctorch_tensor grad, char **error) {
    CTORCH_GUARD(error, 1, {
        if (!unwrap(tensor).defined()) throw ShimError("gradient set on an undefined tensor");
        tensor->tensor.mutable_grad() = grad == nullptr ? at::Tensor() : grad->tensor;
        return 0;
    })
}

namespace {
std::vector<at::Tensor> tensors(const ctorch_tensor *handles, int64_t count) {
    std::vector<at::Tensor> result;
    result.reserve(count);
    for (int64_t i = 0; i < count; ++i) result.push_back(handles == nullptr ? at::Tensor() : unwrap(handles[i]));
    return result;
}
}  // namespace

int ctorch_backward(const ctorch_tensor *outputs, const ctorch_tensor *grad_outputs, int64_t n, bool retain_graph,
                    bool create_graph, char **error) {
    CTORCH_GUARD(error, 1, {
        torch::autograd::backward(tensors(outputs, n), tensors(grad_outputs, n),
                                  c10::optional<bool>(retain_graph || create_graph), create_graph);
        return 0;
    })
}

int ctorch_grad(const ctorch_tensor *outputs, const ctorch_tensor *grad_outputs, int64_t noutputs,
                const ctorch_tensor *inputs, int64_t ninputs, bool retain_graph, bool create_graph,
                bool allow_unused, ctorch_tensor *results, char **error) {
    CTORCH_GUARD(error, 1, {
        auto gradients = torch::autograd::grad(tensors(outputs, noutputs), tensors(inputs, ninputs),
                                               tensors(grad_outputs, noutputs),
                                               c10::optional<bool>(retain_graph || create_graph), create_graph,
                                               allow_unused);
        for (int64_t i = 0; i < ninputs; ++i) results[i] = wrap(gradients[i]);
        return 0;
    })
}

bool ctorch_grad_mode_enabled(void) { return c10::GradMode::is_enabled(); }

void ctorch_grad_mode_set_enabled(bool enabled) { c10::GradMode::set_enabled(enabled); }

// MARK: - Runtime

void ctorch_set_num_threads(int32_t threads) { at::set_num_threads(threads < 1 ? 1 : threads); }

int ctorch_set_quantized_engine(const char *name, char **error) {
    CTORCH_GUARD(error, 1, {
        std::string offered;
        for (at::QEngine engine : at::globalContext().supportedQEngines()) {
            std::string engine_name = c10::toString(engine);
            for (char &c : engine_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (engine_name == name) {
                at::globalContext().setQEngine(engine);
                return 0;
            }
            offered += (offered.empty() ? "" : ", ") + engine_name;
        }
        throw ShimError(std::string("no quantized engine named '") + name + "' in this libtorch (it offers: " +
                        offered + ")");
    })
}

const char *ctorch_quantized_engine(void) {
    switch (at::globalContext().qEngine()) {
    case at::QEngine::ONEDNN: return "onednn";
    case at::QEngine::QNNPACK: return "qnnpack";
    case at::QEngine::FBGEMM: return "fbgemm";
    case at::QEngine::X86: return "x86";
    default: return "none";
    }
}

int32_t ctorch_get_num_threads(void) { return at::get_num_threads(); }

bool ctorch_malloc_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // No mmap for large blocks (they come from the heap and are reused), never trim the heap's top, and one arena:
    // the others are 64 MiB heaps that map larger blocks anyway (Swift's async commands run on such threads).
    return mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max()) == 1 &&
           mallopt(M_ARENA_MAX, 1) == 1;
#else
    return false;
#endif
}

namespace {

/// Receives the CPU allocator's reports while installed as the thread's profiler state; atomic because a
/// kernel may hand the thread-local state to pool threads.
struct AllocationCounter final : c10::MemoryReportingInfoBase {
    std::atomic<int64_t> live{0};
    std::atomic<int64_t> peak{0};

    void reportMemoryUsage(void *, int64_t size, int64_t, int64_t, c10::Device device) override {
        if (device.type() != c10::DeviceType::CPU) return;
        int64_t now = live.fetch_add(size) + size;
        int64_t seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
    }

    bool memoryProfilingEnabled() const override { return true; }
};

} // namespace

int64_t ctorch_peak_allocated_bytes(void (*body)(void *context), void *context, char **error) {
    CTORCH_GUARD(error, -1, {
        auto counter = std::make_shared<AllocationCounter>();
        {
            c10::DebugInfoGuard guard(c10::DebugInfoKind::PROFILER_STATE, counter);
            body(context);
        }
        return counter->peak.load();
    })
}

void ctorch_manual_seed(uint64_t seed) { at::manual_seed(seed); }

ctorch_tensor ctorch_rng_get_state(char **error) {
    CTORCH_GUARD(error, nullptr, {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        return wrap(generator.get_state());
    })
}

int ctorch_rng_set_state(ctorch_tensor state, char **error) {
    CTORCH_GUARD(error, 1, {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(unwrap(state));
        return 0;
    })
}

const char *ctorch_version(void) { return "1.13"; }

