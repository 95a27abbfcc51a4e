/// ctorch.h — the pure-C boundary between Swift and libtorch (Debian libtorch-dev 1.13).
///
/// Rules every function here follows:
/// - Tensors cross the boundary as opaque handles. Every handle a function returns is new and owned by the
///   caller, who releases it with `ctorch_tensor_free`. Handles passed in are borrowed.
/// - No C++ exception ever unwinds into the caller. A function that can fail takes `char **error`; on failure
///   it stores a malloc'd message (libtorch's own text, without the C++ backtrace) that the caller releases
///   with `ctorch_string_free`, and returns NULL / a non-zero status.
/// - Almost every tensor operation goes through one generic entry point, `ctorch_op_call`, which invokes any
///   registered ATen operator by its schema name ("aten::conv2d") with boxed arguments. Arguments are converted
///   to the types the operator's schema declares, and omitted trailing or keyword arguments take the schema's
///   defaults. This keeps the shim small and the op list out of C++.
#ifndef CTORCH_H
#define CTORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An owned reference to an `at::Tensor` (which may be undefined, e.g. a missing gradient).
typedef struct ctorch_tensor_impl *ctorch_tensor;
/// An owned reference to a TorchScript custom-class object an operator returned, e.g. the packed weights of a
/// quantized convolution (`quantized::conv2d_prepack`); released with `ctorch_object_free`.
typedef struct ctorch_object_impl *ctorch_object;
/// A weak reference to an `at::Tensor`'s tensor object: while it lives no other tensor gets that object's address
/// (`ctorch_tensor_identity`), yet the tensor's data is freed with its last strong reference; released with
/// `ctorch_tensor_weak_free`.
typedef struct ctorch_tensor_weak_impl *ctorch_tensor_weak;
/// A resolved ATen operator; valid for the life of the process, never freed.
typedef const struct ctorch_op_impl *ctorch_op;

/// Element types; the values are libtorch's `c10::ScalarType` codes.
typedef enum {
    CTORCH_UINT8 = 0,
    CTORCH_INT8 = 1,
    CTORCH_INT16 = 2,
    CTORCH_INT32 = 3,
    CTORCH_INT64 = 4,
    CTORCH_FLOAT16 = 5,
    CTORCH_FLOAT32 = 6,
    CTORCH_FLOAT64 = 7,
    CTORCH_BOOL = 11,
    /// Quantized element types (8-bit values with a scale and zero point); tensors of them only come from
    /// quantizing operators (`aten::quantize_per_tensor`, …), never from data.
    CTORCH_QINT8 = 12,
    CTORCH_QUINT8 = 13,
    CTORCH_BFLOAT16 = 15,
} ctorch_dtype;

/// Memory layouts for 4-D tensors; the values are libtorch's `c10::MemoryFormat` codes.
typedef enum {
    CTORCH_CONTIGUOUS_FORMAT = 0,
    CTORCH_CHANNELS_LAST = 2,
} ctorch_memory_format;

/// What a `ctorch_value` holds.
typedef enum {
    CTORCH_VALUE_NONE = 0,
    CTORCH_VALUE_TENSOR = 1,
    CTORCH_VALUE_INT = 2,
    CTORCH_VALUE_DOUBLE = 3,
    CTORCH_VALUE_BOOL = 4,
    CTORCH_VALUE_INT_LIST = 5,
    CTORCH_VALUE_DOUBLE_LIST = 6,
    CTORCH_VALUE_BOOL_LIST = 7,
    CTORCH_VALUE_TENSOR_LIST = 8,
    /// A list of tensors in which NULL entries mean "absent" (schema type `Tensor?[]`, used by indexing).
    CTORCH_VALUE_OPTIONAL_TENSOR_LIST = 9,
    CTORCH_VALUE_STRING = 10,
    /// A custom-class object: `items` is the borrowed `ctorch_object`.
    CTORCH_VALUE_OBJECT = 11,
} ctorch_value_kind;

/// One operator argument. Which fields are read depends on `kind`.
typedef struct {
    int32_t kind;
    /// Keyword name (the schema's argument name), or NULL for a positional argument.
    const char *name;
    /// INT and BOOL values.
    int64_t int_value;
    /// DOUBLE values.
    double double_value;
    /// TENSOR: the borrowed `ctorch_tensor`; lists: a pointer to `count` elements
    /// (`int64_t`, `double`, `bool` or `ctorch_tensor`); STRING: `count` UTF-8 bytes.
    const void *items;
    int64_t count;
} ctorch_value;

/// One operator result. TENSOR results are owned handles; TENSOR_LIST results are a malloc'd array of
/// `count` owned handles, released with `ctorch_tensor_array_free` (which also frees the handles it holds).
typedef struct {
    int32_t kind;
    int64_t int_value;
    double double_value;
    ctorch_tensor tensor;
    ctorch_tensor *tensors;
    int64_t count;
    /// OBJECT results: an owned handle.
    ctorch_object object;
} ctorch_result;

// MARK: - Errors and scopes

/// Releases a message returned through an `error` out-parameter or by a `describe` function.
void ctorch_string_free(char *message);

// MARK: - Operators

/// Resolves an ATen operator by name ("aten::add") and overload ("Tensor", or "" for the default overload).
ctorch_op ctorch_op_find(const char *name, const char *overload, char **error);
/// The operator's schema as text, e.g. for error messages. Owned by the operator; do not free.
const char *ctorch_op_schema(ctorch_op op);
/// Calls `op` with `nargs` arguments, writing up to `capacity` results and their number to `*count`.
/// Returns 0 on success, non-zero on failure with `*error` set.
int ctorch_op_call(ctorch_op op, const ctorch_value *args, int64_t nargs, ctorch_result *results,
                   int64_t capacity, int64_t *count, char **error);

// MARK: - Tensors

/// Releases a tensor handle. NULL is allowed.
void ctorch_tensor_free(ctorch_tensor tensor);
/// Releases an array of tensor handles returned in a TENSOR_LIST result, and the handles in it.
void ctorch_tensor_array_free(ctorch_tensor *tensors, int64_t count);
/// Releases an object handle. NULL is allowed.
void ctorch_object_free(ctorch_object object);
/// The object's class name, e.g. "__torch__.torch.classes.quantized.Conv2dPackedParamsBase"; release with
/// `ctorch_string_free`.
char *ctorch_object_type_name(ctorch_object object);
/// Whether the tensor holds quantized values (`CTORCH_QINT8`, `CTORCH_QUINT8`).
bool ctorch_tensor_is_quantized(ctorch_tensor tensor);
/// A handle to an undefined tensor (a stand-in for results of failed operations).
ctorch_tensor ctorch_tensor_undefined(void);
/// A new handle referring to the same tensor (shares storage and autograd identity).
ctorch_tensor ctorch_tensor_share(ctorch_tensor tensor);

/// Copies `nbytes` bytes of row-major data into a new tensor of the given shape and dtype.
/// Fails (without allocating) if a dimension is negative, the element count overflows, or `nbytes`
/// does not match the shape.
ctorch_tensor ctorch_tensor_from_data(const void *data, int64_t nbytes, const int64_t *shape, int64_t ndim,
                                      int32_t dtype, char **error);
/// Copies the tensor's elements, in row-major order, into `destination` (which holds `nbytes` bytes).
int ctorch_tensor_copy_to(ctorch_tensor tensor, void *destination, int64_t nbytes, char **error);
/// The address of the first element of a contiguous CPU tensor, for in-place filling (NULL with an error
/// if the tensor is undefined or not contiguous).
void *ctorch_tensor_data_pointer(ctorch_tensor tensor, char **error);

bool ctorch_tensor_is_defined(ctorch_tensor tensor);
/// Number of dimensions (0 for an undefined tensor).
int64_t ctorch_tensor_dim(ctorch_tensor tensor);
/// Writes `ctorch_tensor_dim` sizes to `sizes`.
void ctorch_tensor_sizes(ctorch_tensor tensor, int64_t *sizes);
/// Writes `ctorch_tensor_dim` strides to `strides`.
void ctorch_tensor_strides(ctorch_tensor tensor, int64_t *strides);
int64_t ctorch_tensor_numel(ctorch_tensor tensor);
int32_t ctorch_tensor_dtype(ctorch_tensor tensor);
bool ctorch_tensor_is_contiguous(ctorch_tensor tensor, int32_t memory_format);
/// An identifier of the underlying tensor object: equal for handles that share it.
uintptr_t ctorch_tensor_identity(ctorch_tensor tensor);
/// A weak reference to the tensor's object (see `ctorch_tensor_weak`); NULL for an undefined tensor.
ctorch_tensor_weak ctorch_tensor_weak_make(ctorch_tensor tensor);
/// Releases a weak reference. NULL is allowed.
void ctorch_tensor_weak_free(ctorch_tensor_weak weak);
/// libtorch's printed form of the tensor; release with `ctorch_string_free`.
char *ctorch_tensor_describe(ctorch_tensor tensor);

// MARK: - Autograd

bool ctorch_tensor_requires_grad(ctorch_tensor tensor);
int ctorch_tensor_set_requires_grad(ctorch_tensor tensor, bool requires_grad, char **error);
bool ctorch_tensor_is_leaf(ctorch_tensor tensor);
/// The accumulated gradient (a new handle), or NULL if there is none.
ctorch_tensor ctorch_tensor_grad(ctorch_tensor tensor);
/// Replaces the accumulated gradient; NULL clears it.
int ctorch_tensor_set_grad(ctorch_tensor tensor, ctorch_tensor grad, char **error);
/// Runs backpropagation from `outputs`, accumulating into the leaves' `.grad`. `grad_outputs` may be NULL
/// or contain NULL entries (meaning "ones", allowed only for scalar outputs).
int ctorch_backward(const ctorch_tensor *outputs, const ctorch_tensor *grad_outputs, int64_t n, bool retain_graph,
                    bool create_graph, char **error);
/// Computes d(outputs)/d(inputs) without touching `.grad`, writing `ninputs` new handles to `results`
/// (undefined handles for unused inputs when `allow_unused`).
int ctorch_grad(const ctorch_tensor *outputs, const ctorch_tensor *grad_outputs, int64_t noutputs,
                const ctorch_tensor *inputs, int64_t ninputs, bool retain_graph, bool create_graph,
                bool allow_unused, ctorch_tensor *results, char **error);
/// Whether gradients are recorded on the calling thread.
bool ctorch_grad_mode_enabled(void);
void ctorch_grad_mode_set_enabled(bool enabled);

// MARK: - Runtime

/// Intra-op threads libtorch uses for its kernels (process-wide).
void ctorch_set_num_threads(int32_t threads);
/// Selects the kernels of the quantized operators: "onednn", "qnnpack" or "fbgemm", as this libtorch build offers
/// them. Non-zero with `*error` naming the supported engines when `name` is not one of them.
int ctorch_set_quantized_engine(const char *name, char **error);
/// The quantized engine in use ("onednn", "qnnpack", "fbgemm", or "none"); a static string.
const char *ctorch_quantized_engine(void);
int32_t ctorch_get_num_threads(void);
/// Makes glibc's malloc serve large blocks from its heap and keep freed memory for reuse instead of mapping
/// fresh pages for every block above its mmap threshold (at most 32 MiB) and unmapping them when freed, in one
/// arena for every thread that allocates for the first time afterwards (a thread's own arena maps any block over
/// 64 MiB whatever the first setting says, and gives freed heaps back). Returns whether glibc accepted the
/// settings (always false on other C libraries).
bool ctorch_malloc_keep_freed_memory(void);
/// Runs `body(context)` while libtorch's CPU allocator reports every block it hands out and takes back on the
/// calling thread (its memory-profiling hook), and returns the peak of allocated minus freed bytes during the
/// call: the tensor memory `body` needed at once beyond what already existed, whatever malloc keeps. -1 (with
/// `*error`) when the hook could not be installed.
int64_t ctorch_peak_allocated_bytes(void (*body)(void *context), void *context, char **error);
/// Seeds libtorch's default CPU generator.
void ctorch_manual_seed(uint64_t seed);
/// A copy of the default CPU generator's state as a 1-D uint8 tensor (PyTorch's `torch.get_rng_state()`).
ctorch_tensor ctorch_rng_get_state(char **error);
/// Restores a state returned by `ctorch_rng_get_state` (PyTorch's `torch.set_rng_state()`); fails, leaving
/// the generator unchanged, if `state` is not a uint8 tensor of the right size.
int ctorch_rng_set_state(ctorch_tensor state, char **error);
/// The libtorch version the shim was compiled against, e.g. "1.13.1".
const char *ctorch_version(void);

// MARK: - Quantized kernels (quantized_kernels.cpp): faster where libtorch 1.13 is slow, identical results

/// `input` quantized to quint8 as `aten::quantize_per_tensor` does (`clamp(zero_point + nearbyint(x / scale))`,
/// keeping the memory format), in a vectorized loop for dense float32 input (libtorch's own loop is scalar in
/// builds without FBGEMM: 3.6 ns a value); any other input goes to libtorch's operator.
int ctorch_quantize_per_tensor_quint8(ctorch_tensor input, double scale, int64_t zero_point, ctorch_tensor *result,
                                      char **error);
/// `aten::max_pool2d` (dilation 1) of a quint8 tensor: a channels-last input whose channel count is not a multiple
/// of 32 runs a loop vectorized 16 channels at a time (libtorch vectorizes 32 at a time and does the rest one by
/// one: 16 channels pool 10× slower there); anything else goes to libtorch's operator. `kernel`, `stride` and
/// `padding` hold two values each (height, width).
int ctorch_quantized_max_pool2d(ctorch_tensor input, const int64_t *kernel, const int64_t *stride,
                                const int64_t *padding, bool ceil_mode, ctorch_tensor *result, char **error);

// MARK: - Process groups (c10d on Gloo)

/// A member of a group of processes that exchange CPU tensors through c10d's `ProcessGroupGloo`.
typedef struct ctorch_process_group_impl *ctorch_process_group;

/// How `ctorch_process_group_all_reduce` combines the members' tensors.
typedef enum {
    CTORCH_REDUCE_SUM = 0,
    CTORCH_REDUCE_MAX = 1,
} ctorch_reduce_op;

/// Joins a group of `world_size` processes as `rank` (0 ..< world_size). The members meet through a c10d store:
/// with `store_path` a FileStore at that path (a folder every member can write), else a TCPStore at
/// `master_host`:`master_port` that rank 0 serves. Gloo's connections use the network interface `interface`
/// when given; else the local address `host` when given; else, with a TCPStore, the local address whose route
/// reaches the master; else libtorch's default device (the host name's address). `timeout_ms` bounds the
/// meeting and every later collective: a member that died or stopped answering makes the call fail with an
/// error instead of waiting. Returns NULL with `*error` on failure.
ctorch_process_group ctorch_process_group_create(const char *store_path, const char *master_host,
                                                 int32_t master_port, int32_t rank, int32_t world_size,
                                                 const char *interface, const char *host, int64_t timeout_ms,
                                                 char **error);
/// Leaves the group and releases it. NULL is allowed.
void ctorch_process_group_free(ctorch_process_group group);
/// Replaces `tensor` (contiguous, CPU) in place by the elementwise sum or maximum of every member's.
int ctorch_process_group_all_reduce(ctorch_process_group group, ctorch_tensor tensor, int32_t op, char **error);
/// Replaces `tensor` (contiguous, CPU) in place by member `root`'s.
int ctorch_process_group_broadcast(ctorch_process_group group, ctorch_tensor tensor, int32_t root, char **error);
/// Every member's `tensor` (same shape and dtype on all, contiguous, CPU), concatenated along dimension 0 in
/// rank order; NULL with `*error` on failure.
ctorch_tensor ctorch_process_group_all_gather(ctorch_process_group group, ctorch_tensor tensor, char **error);
/// Returns once every member has called it.
int ctorch_process_group_barrier(ctorch_process_group group, char **error);

// MARK: - Roofline (helper "roofline"): the machine's fp32 FMA peak and libtorch's operator profiler

/// Independent vector accumulators of the FMA peak loop.
#define CTORCH_FMA_ACCUMULATORS 12
/// fp32 lanes of the widest FMA vector this CPU runs: 16 (AVX-512F), 8 (AVX2 + FMA) or 1 (scalar `fmaf`).
int32_t ctorch_fma_vector_lanes(void);
/// FLOPs the peak loop does: 2 (multiply + add) × lanes × CTORCH_FMA_ACCUMULATORS × iterations × threads.
double ctorch_fma_loop_flops(int32_t lanes, int32_t threads, int64_t iterations);
/// Runs the FMA loop (`acc = acc × 0.999999 + 1e-6` from 0) in `lanes` lanes (1, or 8 or 16 where the CPU has
/// them) `iterations` times on `threads` new threads started together and returns the wall seconds;
/// `*lane_value` (if not NULL) gets lane 0 of thread 0's accumulators summed in order. -1 with `*error` on bad
/// arguments.
double ctorch_fma_peak(int32_t lanes, int32_t threads, int64_t iterations, float *lane_value, char **error);

/// The operators one thread ran between ctorch_profiler_start and ctorch_profiler_stop, as libtorch's
/// (legacy, CPU) profiler recorded them; owned by the caller, released with ctorch_profile_free.
typedef struct ctorch_profile_impl *ctorch_profile;
/// Starts libtorch's profiler on the calling thread, recording input shapes and allocations. Non-zero with
/// `*error` on failure.
int ctorch_profiler_start(char **error);
/// Stops the profiler and returns the calling thread's top-level operators (those not called by another
/// operator), in order. NULL with `*error` on failure.
ctorch_profile ctorch_profiler_stop(char **error);
void ctorch_profile_free(ctorch_profile profile);
int64_t ctorch_profile_count(ctorch_profile profile);
/// The operator's name, e.g. "aten::conv2d"; valid while the profile lives.
const char *ctorch_profile_name(ctorch_profile profile, int64_t index);
/// Wall microseconds from the operator's start to its end, its nested operators included.
double ctorch_profile_microseconds(ctorch_profile profile, int64_t index);
/// Bytes libtorch's CPU allocator handed out on this thread while the operator ran (its outputs and scratch).
int64_t ctorch_profile_allocated_bytes(ctorch_profile profile, int64_t index);
/// Number of inputs (tensors and other arguments; a non-tensor's shape is empty).
int64_t ctorch_profile_input_count(ctorch_profile profile, int64_t index);
/// Writes up to `capacity` sizes of input `input` to `sizes` and returns its rank.
int64_t ctorch_profile_input_shape(ctorch_profile profile, int64_t index, int64_t input, int64_t *sizes,
                                   int64_t capacity);

#ifdef __cplusplus
}
#endif

#endif
