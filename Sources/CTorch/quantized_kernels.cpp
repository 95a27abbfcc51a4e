// The quantized block of ctorch.h: 8-bit kernels that libtorch 1.13 runs slowly on the small maps and channel
// counts of face networks. Each runs its own loop only where its result is exactly libtorch's and falls back to
// libtorch's operator everywhere else (other element types, layouts or parameters), so callers never choose.
#include "shim_support.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace {

/// libtorch's pooling output size (`pooling_output_shape` in ATen/native/Pool.h): with `ceil_mode` the last
/// window may hang over the end, but must start inside the input or its left padding.
int64_t pooled_size(int64_t input, int64_t kernel, int64_t stride, int64_t padding, bool ceil_mode) {
    int64_t numerator = input + 2 * padding - kernel + (ceil_mode ? stride - 1 : 0);
    int64_t output = (numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)) + 1;
    if (ceil_mode && (output - 1) * stride >= input + padding) --output;
    return output;
}

/// `q = clamp(zero_point + nearbyint(x × (1 / scale)), 0, 255)` as libtorch's `quantize_val` computes it (the
/// reciprocal in float32, round half to even), in a loop the compiler vectorizes: adding and subtracting 1.5 × 2²³
/// rounds half to even for |v| ≤ 2²², and clamping to ±512 first changes nothing after the final clamp.
/// A NaN becomes 0.
void quantize_uint8(const float *__restrict source, uint8_t *__restrict target, int64_t count, float inverse_scale,
                    float zero_point) {
    constexpr float kRounder = 12582912.0f;
    for (int64_t i = 0; i < count; ++i) {
        float v = source[i] * inverse_scale;
        v = v > -512.0f ? v : -512.0f;
        v = v < 512.0f ? v : 512.0f;
        v = (v + kRounder) - kRounder;
        v += zero_point;
        v = v > 0.0f ? v : 0.0f;
        v = v < 255.0f ? v : 255.0f;
        target[i] = static_cast<uint8_t>(v);
    }
}

/// `out[k]` = the maximum of channel k over `rows` × `columns` pixels of `channels` bytes from `corner`, rows
/// `row_stride` bytes apart: 16 channels at a time in a vector register (SSE2, x86-64's baseline), the rest one
/// by one.
void window_maximum(const uint8_t *corner, int64_t rows, int64_t columns, int64_t row_stride, int64_t channels,
                    uint8_t *out) {
    int64_t k = 0;
#if defined(__SSE2__)
    for (; k + 16 <= channels; k += 16) {
        __m128i maximum = _mm_loadu_si128(reinterpret_cast<const __m128i *>(corner + k));
        for (int64_t i = 0; i < rows; ++i) {
            const uint8_t *row = corner + i * row_stride + k;
            for (int64_t j = 0; j < columns; ++j) {
                maximum = _mm_max_epu8(maximum, _mm_loadu_si128(reinterpret_cast<const __m128i *>(row + j * channels)));
            }
        }
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + k), maximum);
    }
#endif
    for (; k < channels; ++k) {
        uint8_t maximum = corner[k];
        for (int64_t i = 0; i < rows; ++i) {
            for (int64_t j = 0; j < columns; ++j) {
                const uint8_t value = corner[i * row_stride + j * channels + k];
                maximum = value > maximum ? value : maximum;
            }
        }
        out[k] = maximum;
    }
}

}  // namespace

int ctorch_quantize_per_tensor_quint8(ctorch_tensor input, double scale, int64_t zero_point, ctorch_tensor *result,
                                      char **error) {
    CTORCH_GUARD(error, 1, {
        const at::Tensor &x = unwrap(input);
        const at::MemoryFormat format = x.defined() ? x.suggest_memory_format() : at::MemoryFormat::Contiguous;
        const bool dense = x.defined() && x.scalar_type() == at::kFloat && x.device().is_cpu() &&
                           x.is_contiguous(format);
        const bool representable = scale > 0 && static_cast<float>(scale) > 0 &&
                                   std::isfinite(1.0f / static_cast<float>(scale)) &&
                                   zero_point >= 0 && zero_point <= 255;
        if (!dense || !representable) {
            *result = wrap(at::quantize_per_tensor(x, scale, zero_point, at::kQUInt8));
            return 0;
        }
        at::Tensor q = at::_empty_affine_quantized(x.sizes(), x.options().dtype(at::kQUInt8), scale, zero_point,
                                                   format);
        const float *source = x.data_ptr<float>();
        auto *target = reinterpret_cast<uint8_t *>(q.data_ptr<c10::quint8>());
        const float inverse_scale = 1.0f / static_cast<float>(scale);
        at::parallel_for(0, x.numel(), 65536, [&](int64_t begin, int64_t end) {
            quantize_uint8(source + begin, target + begin, end - begin, inverse_scale,
                           static_cast<float>(zero_point));
        });
        *result = wrap(std::move(q));
        return 0;
    })
}

int ctorch_quantized_max_pool2d(ctorch_tensor input, const int64_t *kernel, const int64_t *stride,
                                const int64_t *padding, bool ceil_mode, ctorch_tensor *result, char **error) {
    CTORCH_GUARD(error, 1, {
        const at::Tensor &x = unwrap(input);
        const int64_t kh = kernel[0], kw = kernel[1], sh = stride[0], sw = stride[1], ph = padding[0],
                      pw = padding[1];
        const bool ours = x.defined() && x.device().is_cpu() && x.scalar_type() == at::kQUInt8 && x.dim() == 4 &&
                          x.is_contiguous(at::MemoryFormat::ChannelsLast) && x.size(1) % 32 != 0 && kh > 0 &&
                          kw > 0 && sh > 0 && sw > 0 && ph >= 0 && pw >= 0 && ph <= kh / 2 && pw <= kw / 2;
        const int64_t n = ours ? x.size(0) : 0, c = ours ? x.size(1) : 0, h = ours ? x.size(2) : 0,
                      w = ours ? x.size(3) : 0;
        const int64_t oh = ours ? pooled_size(h, kh, sh, ph, ceil_mode) : 0;
        const int64_t ow = ours ? pooled_size(w, kw, sw, pw, ceil_mode) : 0;
        if (!ours || oh <= 0 || ow <= 0 || c == 0) {
            *result = wrap(at::max_pool2d(x, {kh, kw}, {sh, sw}, {ph, pw}, {1, 1}, ceil_mode));
            return 0;
        }
        at::Tensor pooled = at::_empty_affine_quantized({n, c, oh, ow}, x.options(), x.q_scale(), x.q_zero_point(),
                                                        at::MemoryFormat::ChannelsLast);
        const auto *source = reinterpret_cast<const uint8_t *>(x.data_ptr<c10::quint8>());
        auto *target = reinterpret_cast<uint8_t *>(pooled.data_ptr<c10::quint8>());
        // One output row per task; each output pixel is the channel-wise maximum of its window's pixels, whose
        // channels lie side by side (channels-last), so the maximum runs across channels in vectors.
        at::parallel_for(0, n * oh, 1, [&](int64_t begin, int64_t end) {
            for (int64_t row = begin; row < end; ++row) {
                const int64_t image = row / oh, y = row % oh;
                const int64_t top = std::max<int64_t>(y * sh - ph, 0), bottom = std::min(y * sh - ph + kh, h);
                for (int64_t xo = 0; xo < ow; ++xo) {
                    const int64_t left = std::max<int64_t>(xo * sw - pw, 0), right = std::min(xo * sw - pw + kw, w);
                    window_maximum(source + ((image * h + top) * w + left) * c, bottom - top, right - left, w * c, c,
                                   target + (row * ow + xo) * c);
                }
            }
        });
        *result = wrap(std::move(pooled));
        return 0;
    })
}
