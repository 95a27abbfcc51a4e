// The C shim's two int8 kernels (Sources/CTorch/quantized_kernels.cpp) against libtorch's own operators on the
// bridge student's tensors at batch 256, one thread (issue 21; docs/experiments/precision.md). Build and run from the
// repository root with the Swift toolchain's clang++:
//
//   clang++ -O2 -std=c++17 -ISources/CTorch/include -ISources/CTorch scripts/experiments/quantized-kernels.cpp \
//       Sources/CTorch/quantized_kernels.cpp -o /tmp/quantized-kernels -ltorch -ltorch_cpu -lc10 && \
//       MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2147483647 /tmp/quantized-kernels
//
// Prints milliseconds per call: quantizing a 256×3×16×16 input, and 2×2 ceil-mode max pooling of channels-last
// quint8 maps of 16 to 96 channels.
#include "shim_support.hpp"

#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>

/// Milliseconds per call of `body`, over `calls` calls after two untimed ones.
template <class Body>
double milliseconds(Body body, int calls = 200) {
    body();
    body();
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) body();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / calls;
}

int main() {
    at::set_num_threads(1);
    at::Tensor faces = at::randn({256, 3, 16, 16});
    ctorch_tensor_impl input{faces};
    char *error = nullptr;
    std::printf("quantize 256×3×16×16: shim %.3f ms, libtorch %.3f ms\n", milliseconds([&] {
                    ctorch_tensor result = nullptr;
                    ctorch_quantize_per_tensor_quint8(&input, 0.02, 128, &result, &error);
                    delete result;
                }),
                milliseconds([&] { at::quantize_per_tensor(faces, 0.02, 128, at::kQUInt8); }));
    for (int channels : {16, 32, 48, 64, 96}) {
        const int side = channels == 16 ? 16 : channels <= 48 ? 8 : 4;
        at::Tensor map = at::quantize_per_tensor(at::randn({256, channels, side, side}).relu(), 0.02, 0, at::kQUInt8)
                             .contiguous(at::MemoryFormat::ChannelsLast);
        ctorch_tensor_impl pooled{map};
        const int64_t kernel[2] = {2, 2}, stride[2] = {2, 2}, padding[2] = {0, 0};
        std::printf("max pool 256×%d×%d×%d: shim %.3f ms, libtorch %.3f ms\n", channels, side, side, milliseconds([&] {
                        ctorch_tensor result = nullptr;
                        ctorch_quantized_max_pool2d(&pooled, kernel, stride, padding, true, &result, &error);
                        delete result;
                    }),
                    milliseconds([&] { at::max_pool2d(map, {2, 2}, {2, 2}, {0, 0}, {1, 1}, true); }));
    }
}
