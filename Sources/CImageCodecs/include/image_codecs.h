// Setjmp-safe wrappers over libjpeg(-turbo) and libpng.
//
// Both libraries report errors by longjmp, which must never cross a Swift frame. Every function here sets its
// own jump target, catches the library's error and returns -1 with a message instead; 0 means success.
// Decoding is split in two so that the caller can check the declared dimensions before any pixel memory exists:
// `*_read_header` parses up to the image data, then `*_read_pixels` decodes straight into the caller's buffer.
#ifndef VISAGE_IMAGE_CODECS_H
#define VISAGE_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IC_MESSAGE_CAPACITY 256

/// What a header declares, and how the decoder will deliver it (8-bit samples, `channels` per pixel).
typedef struct {
    int width;
    int height;
    /// 1 (gray), 3 (RGB) or 4 (RGBA) after the decoder's conversions.
    int channels;
    /// Bits per sample as stored in the file (PNG: 1 to 16; JPEG: 8).
    int stored_bit_depth;
    /// Samples per pixel as stored in the file (PNG palette: 1).
    int stored_channels;
} ic_header;

/// Encoded bytes owned by the C side (free with `ic_encoded_free`), or a message when encoding failed.
typedef struct {
    uint8_t *data;
    size_t size;
    char message[IC_MESSAGE_CAPACITY];
} ic_encoded;

void ic_encoded_free(ic_encoded *encoded);

// MARK: JPEG

typedef struct ic_jpeg_decoder ic_jpeg_decoder;

/// A decoder for one image; NULL only when out of memory.
ic_jpeg_decoder *ic_jpeg_decoder_create(void);
void ic_jpeg_decoder_destroy(ic_jpeg_decoder *decoder);
/// The reason for the last failure (an empty string before any).
const char *ic_jpeg_decoder_message(const ic_jpeg_decoder *decoder);
/// Reads markers up to the first scan. `data` must stay valid until `ic_jpeg_decoder_read_pixels` returns.
int ic_jpeg_decoder_read_header(ic_jpeg_decoder *decoder, const uint8_t *data, size_t size, ic_header *header);
/// Decodes into `pixels` (`capacity` bytes, at least width * height * channels), rows tightly packed.
int ic_jpeg_decoder_read_pixels(ic_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity);

/// Baseline JPEG at `quality` (1...100) from 1 (gray), 3 (RGB) or 4 (RGBA, alpha ignored) channels.
int ic_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality, ic_encoded *out);

// MARK: PNG

typedef struct ic_png_decoder ic_png_decoder;

/// A decoder for one image; NULL only when out of memory.
ic_png_decoder *ic_png_decoder_create(void);
void ic_png_decoder_destroy(ic_png_decoder *decoder);
/// The reason for the last failure (an empty string before any).
const char *ic_png_decoder_message(const ic_png_decoder *decoder);
/// Reads chunks up to the image data. `data` must stay valid until `ic_png_decoder_read_pixels` returns.
int ic_png_decoder_read_header(ic_png_decoder *decoder, const uint8_t *data, size_t size, ic_header *header);
/// Decodes into `pixels` (`capacity` bytes, at least width * height * channels), rows tightly packed, any bit
/// depth scaled to 8 bits, palettes expanded, transparency turned into an alpha channel, interlacing undone.
int ic_png_decoder_read_pixels(ic_png_decoder *decoder, uint8_t *pixels, size_t capacity);

/// 8-bit PNG (gray, RGB or RGBA by `channels`) at zlib level `compression_level` (0...9).
int ic_png_encode(const uint8_t *pixels, int width, int height, int channels, int compression_level,
                  ic_encoded *out);

#ifdef __cplusplus
}
#endif

#endif
