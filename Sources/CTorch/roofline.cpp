// The roofline block of ctorch.h: the fp32 FMA peak loop and libtorch's operator profiler.
// Every exported function catches every exception, as in ctorch.cpp.
#include "ctorch.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>


namespace {

/// Stores a malloc'd copy of `message` for the caller (released with `ctorch_string_free`).
void report_failure(char **error, const char *message) {
    if (error != nullptr) *error = strdup(message);
}

/// The loop's constants: every lane runs `acc = acc × kMultiplier + kAddend` from 0, which stays near 1 (no
/// overflow, no denormals) however long it runs.
constexpr float kMultiplier = 0.999999f;
constexpr float kAddend = 1e-6f;

/// One thread's loop in the widest vectors the CPU has: 12 (CTORCH_FMA_ACCUMULATORS) independent accumulators
/// in registers, so no FMA waits on the one before (latency × throughput ≤ 12 on current x86 cores). Written in
/// assembly so the count of FMAs per iteration is exact whatever the compiler's optimization level (SwiftPM's
/// debug builds compile C++ at -O0). Returns lane 0 of the accumulators' sum (added in order), which a caller
/// can check against a scalar replay of the recurrence.
static_assert(CTORCH_FMA_ACCUMULATORS == 12, "the assembly loops below unroll 12 accumulators");
#if defined(__x86_64__)
__attribute__((target("avx512f"))) float fma_loop_avx512(int64_t iterations) {
    float lanes[16];
    const float multiplier = kMultiplier, addend = kAddend;
    __asm__ volatile(
        "vpxord %%zmm0, %%zmm0, %%zmm0\n"
        "vpxord %%zmm1, %%zmm1, %%zmm1\n"
        "vpxord %%zmm2, %%zmm2, %%zmm2\n"
        "vpxord %%zmm3, %%zmm3, %%zmm3\n"
        "vpxord %%zmm4, %%zmm4, %%zmm4\n"
        "vpxord %%zmm5, %%zmm5, %%zmm5\n"
        "vpxord %%zmm6, %%zmm6, %%zmm6\n"
        "vpxord %%zmm7, %%zmm7, %%zmm7\n"
        "vpxord %%zmm8, %%zmm8, %%zmm8\n"
        "vpxord %%zmm9, %%zmm9, %%zmm9\n"
        "vpxord %%zmm10, %%zmm10, %%zmm10\n"
        "vpxord %%zmm11, %%zmm11, %%zmm11\n"
        "vbroadcastss %[multiplier], %%zmm12\n"
        "vbroadcastss %[addend], %%zmm13\n"
        "1:\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm0\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm1\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm2\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm3\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm4\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm5\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm6\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm7\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm8\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm9\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm10\n"
        "vfmadd213ps %%zmm13, %%zmm12, %%zmm11\n"
        "dec %[iterations]\n"
        "jnz 1b\n"
        "vaddps %%zmm1, %%zmm0, %%zmm0\n"
        "vaddps %%zmm2, %%zmm0, %%zmm0\n"
        "vaddps %%zmm3, %%zmm0, %%zmm0\n"
        "vaddps %%zmm4, %%zmm0, %%zmm0\n"
        "vaddps %%zmm5, %%zmm0, %%zmm0\n"
        "vaddps %%zmm6, %%zmm0, %%zmm0\n"
        "vaddps %%zmm7, %%zmm0, %%zmm0\n"
        "vaddps %%zmm8, %%zmm0, %%zmm0\n"
        "vaddps %%zmm9, %%zmm0, %%zmm0\n"
        "vaddps %%zmm10, %%zmm0, %%zmm0\n"
        "vaddps %%zmm11, %%zmm0, %%zmm0\n"
        "vmovups %%zmm0, %[lanes]\n"
        "vzeroupper\n"
        : [iterations] "+r"(iterations), [lanes] "=m"(lanes)
        : [multiplier] "m"(multiplier), [addend] "m"(addend)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc", "memory");
    return lanes[0];
}

__attribute__((target("avx2,fma"))) float fma_loop_avx2(int64_t iterations) {
    float lanes[8];
    const float multiplier = kMultiplier, addend = kAddend;
    __asm__ volatile(
        "vxorps %%ymm0, %%ymm0, %%ymm0\n"
        "vxorps %%ymm1, %%ymm1, %%ymm1\n"
        "vxorps %%ymm2, %%ymm2, %%ymm2\n"
        "vxorps %%ymm3, %%ymm3, %%ymm3\n"
        "vxorps %%ymm4, %%ymm4, %%ymm4\n"
        "vxorps %%ymm5, %%ymm5, %%ymm5\n"
        "vxorps %%ymm6, %%ymm6, %%ymm6\n"
        "vxorps %%ymm7, %%ymm7, %%ymm7\n"
        "vxorps %%ymm8, %%ymm8, %%ymm8\n"
        "vxorps %%ymm9, %%ymm9, %%ymm9\n"
        "vxorps %%ymm10, %%ymm10, %%ymm10\n"
        "vxorps %%ymm11, %%ymm11, %%ymm11\n"
        "vbroadcastss %[multiplier], %%ymm12\n"
        "vbroadcastss %[addend], %%ymm13\n"
        "1:\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm0\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm1\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm2\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm3\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm4\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm5\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm6\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm7\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm8\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm9\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm10\n"
        "vfmadd213ps %%ymm13, %%ymm12, %%ymm11\n"
        "dec %[iterations]\n"
        "jnz 1b\n"
        "vaddps %%ymm1, %%ymm0, %%ymm0\n"
        "vaddps %%ymm2, %%ymm0, %%ymm0\n"
        "vaddps %%ymm3, %%ymm0, %%ymm0\n"
        "vaddps %%ymm4, %%ymm0, %%ymm0\n"
        "vaddps %%ymm5, %%ymm0, %%ymm0\n"
        "vaddps %%ymm6, %%ymm0, %%ymm0\n"
        "vaddps %%ymm7, %%ymm0, %%ymm0\n"
        "vaddps %%ymm8, %%ymm0, %%ymm0\n"
        "vaddps %%ymm9, %%ymm0, %%ymm0\n"
        "vaddps %%ymm10, %%ymm0, %%ymm0\n"
        "vaddps %%ymm11, %%ymm0, %%ymm0\n"
        "vmovups %%ymm0, %[lanes]\n"
        "vzeroupper\n"
        : [iterations] "+r"(iterations), [lanes] "=m"(lanes)
        : [multiplier] "m"(multiplier), [addend] "m"(addend)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc", "memory");
    return lanes[0];
}
#endif

/// The portable fallback: one lane per accumulator, fused by `fmaf`.
float fma_loop_scalar(int64_t iterations) {
    float acc[CTORCH_FMA_ACCUMULATORS] = {};
    for (int64_t i = 0; i < iterations; ++i) {
        for (auto &value : acc) value = fmaf(value, kMultiplier, kAddend);
    }
    float sum = acc[0];
    for (int k = 1; k < CTORCH_FMA_ACCUMULATORS; ++k) sum += acc[k];
    return sum;
}

int32_t vector_lanes() {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f")) return 16;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 8;
#endif
    return 1;
}

float fma_loop(int32_t lanes, int64_t iterations) {
#if defined(__x86_64__)
    if (lanes == 16) return fma_loop_avx512(iterations);
    if (lanes == 8) return fma_loop_avx2(iterations);
#endif
    return fma_loop_scalar(iterations);
}

} // namespace

int32_t ctorch_fma_vector_lanes(void) { return vector_lanes(); }

double ctorch_fma_loop_flops(int32_t lanes, int32_t threads, int64_t iterations) {
    return 2.0 * lanes * CTORCH_FMA_ACCUMULATORS * static_cast<double>(iterations) * threads;
}

double ctorch_fma_peak(int32_t threads, int64_t iterations, float *lane_value, char **error) {
    try {
        if (threads < 1 || iterations < 1) {
            report_failure(error, "the FMA loop needs at least one thread and one iteration");
            return -1;
        }
        const int32_t lanes = vector_lanes();
        std::vector<float> values(threads, 0.0f);
        std::atomic<int32_t> ready{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> workers;
        for (int32_t t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                ready.fetch_add(1);
                while (!go.load()) std::this_thread::yield();
                values[t] = fma_loop(lanes, iterations);
            });
        }
        while (ready.load() < threads) std::this_thread::yield();
        const auto start = std::chrono::steady_clock::now();
        go.store(true);
        for (auto &worker : workers) worker.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (lane_value != nullptr) *lane_value = values[0];
        return seconds;
    } catch (const std::exception &exception) {
        report_failure(error, exception.what());
    } catch (...) {
        report_failure(error, "unknown C++ exception in the FMA loop");
    }
    return -1;
}

// MARK: - Operator profile

struct ctorch_profile_impl {
    struct Record {
        std::string name;
        double microseconds = 0;
        int64_t allocatedBytes = 0;
        std::vector<std::vector<int64_t>> shapes;
    };
    std::vector<Record> records;
};

int ctorch_profiler_start(char **error) {
    try {
        torch::profiler::impl::ProfilerConfig config(torch::profiler::impl::ProfilerState::CPU,
                                                     /*report_input_shapes=*/true, /*profile_memory=*/true);
        torch::autograd::profiler::enableProfilerLegacy(config);
        return 0;
    } catch (const c10::Error &exception) {
        report_failure(error, exception.what_without_backtrace());
    } catch (const std::exception &exception) {
        report_failure(error, exception.what());
    } catch (...) {
        report_failure(error, "unknown C++ exception starting libtorch's profiler");
    }
    return 1;
}

ctorch_profile ctorch_profiler_stop(char **error) {
    using torch::autograd::profiler::EventKind;
    using torch::autograd::profiler::LegacyEvent;
    try {
        auto lists = torch::autograd::profiler::disableProfilerLegacy();
        auto profile = new ctorch_profile_impl;
        const auto caller = at::RecordFunction::currentThreadId();
        for (const auto &events : lists) {
            // Ranges open on this list: the outermost one is an operator the caller ran (a top-level op);
            // nested ones are the kernels it dispatched to, already inside its time.
            std::vector<const LegacyEvent *> open;
            for (const auto &event : events) {
                if (event.threadId() != caller) break;
                switch (event.kind()) {
                case EventKind::PushRange:
                    if (open.empty()) {
                        ctorch_profile_impl::Record record;
                        record.name = event.name();
                        record.shapes = event.shapes();
                        profile->records.push_back(std::move(record));
                    }
                    open.push_back(&event);
                    break;
                case EventKind::PopRange:
                    if (open.empty()) break;
                    if (open.size() == 1) profile->records.back().microseconds = open.back()->cpuElapsedUs(event);
                    open.pop_back();
                    break;
                case EventKind::MemoryAlloc:
                    if (!open.empty() && event.cpuMemoryUsage() > 0) {
                        profile->records.back().allocatedBytes += event.cpuMemoryUsage();
                    }
                    break;
                default:
                    break;
                }
            }
        }
        return profile;
    } catch (const c10::Error &exception) {
        report_failure(error, exception.what_without_backtrace());
    } catch (const std::exception &exception) {
        report_failure(error, exception.what());
    } catch (...) {
        report_failure(error, "unknown C++ exception stopping libtorch's profiler");
    }
    return nullptr;
}

void ctorch_profile_free(ctorch_profile profile) { delete profile; }

int64_t ctorch_profile_count(ctorch_profile profile) { return static_cast<int64_t>(profile->records.size()); }

const char *ctorch_profile_name(ctorch_profile profile, int64_t index) {
    return profile->records[index].name.c_str();
}

double ctorch_profile_microseconds(ctorch_profile profile, int64_t index) {
    return profile->records[index].microseconds;
}

int64_t ctorch_profile_allocated_bytes(ctorch_profile profile, int64_t index) {
    return profile->records[index].allocatedBytes;
}

int64_t ctorch_profile_input_count(ctorch_profile profile, int64_t index) {
    return static_cast<int64_t>(profile->records[index].shapes.size());
}

int64_t ctorch_profile_input_shape(ctorch_profile profile, int64_t index, int64_t input, int64_t *sizes,
                                   int64_t capacity) {
    const auto &shape = profile->records[index].shapes[input];
    for (size_t d = 0; d < shape.size() && static_cast<int64_t>(d) < capacity; ++d) sizes[d] = shape[d];
    return static_cast<int64_t>(shape.size());
}
