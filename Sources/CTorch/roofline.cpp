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
// The assembly text, for register file R ("zmm", "ymm"): registers 0–11 are the accumulators, 12 the multiplier,
// 13 the addend; `vfmadd213ps c, b, a` is a = a × b + c.
#define FMA_REG(R, k) "%%" #R #k
#define FMA_ZERO(Z, R, k) #Z " " FMA_REG(R, k) ", " FMA_REG(R, k) ", " FMA_REG(R, k) "\n"
#define FMA_STEP(Z, R, k) "vfmadd213ps " FMA_REG(R, 13) ", " FMA_REG(R, 12) ", " FMA_REG(R, k) "\n"
#define FMA_ADD(Z, R, k) "vaddps " FMA_REG(R, k) ", " FMA_REG(R, 0) ", " FMA_REG(R, 0) "\n"
#define FMA_AFTER_FIRST(F, Z, R) \
    F(Z, R, 1) F(Z, R, 2) F(Z, R, 3) F(Z, R, 4) F(Z, R, 5) F(Z, R, 6) F(Z, R, 7) F(Z, R, 8) F(Z, R, 9) F(Z, R, 10) \
    F(Z, R, 11)
#define FMA_ALL(F, Z, R) F(Z, R, 0) FMA_AFTER_FIRST(F, Z, R)
/// A loop function `name` for instruction set `isa`, register file R, zeroing instruction Z, `width` lanes.
#define FMA_LOOP_FUNCTION(name, isa, R, Z, width)                                                             \
    __attribute__((target(isa))) float name(int64_t iterations) {                                             \
        float lanes[width];                                                                                   \
        const float multiplier = kMultiplier, addend = kAddend;                                               \
        __asm__ volatile(FMA_ALL(FMA_ZERO, Z, R) "vbroadcastss %[multiplier], " FMA_REG(R, 12) "\n"           \
                         "vbroadcastss %[addend], " FMA_REG(R, 13) "\n"                                       \
                         "1:\n" FMA_ALL(FMA_STEP, Z, R) "dec %[iterations]\n"                                 \
                         "jnz 1b\n" FMA_AFTER_FIRST(FMA_ADD, Z, R) "vmovups " FMA_REG(R, 0) ", %[lanes]\n"    \
                         "vzeroupper\n"                                                                       \
                         : [iterations] "+r"(iterations), [lanes] "=m"(lanes)                                 \
                         : [multiplier] "m"(multiplier), [addend] "m"(addend)                                 \
                         : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",     \
                           "xmm10", "xmm11", "xmm12", "xmm13", "cc", "memory");                               \
        return lanes[0];                                                                                      \
    }

FMA_LOOP_FUNCTION(fma_loop_avx512, "avx512f", zmm, vpxord, 16)
FMA_LOOP_FUNCTION(fma_loop_avx2, "avx2,fma", ymm, vxorps, 8)
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

double ctorch_fma_peak(int32_t lanes, int32_t threads, int64_t iterations, float *lane_value, char **error) {
    try {
        if (threads < 1 || iterations < 1) {
            report_failure(error, "the FMA loop needs at least one thread and one iteration");
            return -1;
        }
        if (!(lanes == 1 || lanes == 8 || lanes == 16) || lanes > vector_lanes()) {
            report_failure(error, ("this CPU runs the FMA loop in 1" + std::string(vector_lanes() >= 8 ? ", 8" : "")
                                   + std::string(vector_lanes() == 16 ? " or 16" : "") + " lanes, not "
                                   + std::to_string(lanes)).c_str());
            return -1;
        }
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
