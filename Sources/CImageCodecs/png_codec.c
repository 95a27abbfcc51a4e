// libpng behind return codes: every entry point sets a jump target for the library's error callback.
#include "image_codecs.h"
#include "encoded_support.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// The most libpng may allocate for one chunk's data; PLTE and tRNS, the only chunks kept, need under 1 KiB.
#define IC_PNG_MAX_CHUNK_ALLOCATION (1 << 20)

struct ic_png_decoder {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    int header_read;
    ic_header header;
    char message[IC_MESSAGE_CAPACITY];
};

static void ic_png_error(png_structp png, png_const_charp text) {
    char *message = png_get_error_ptr(png);
    snprintf(message, IC_MESSAGE_CAPACITY, "%s", text);
    png_longjmp(png, 1);
}

static void ic_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void ic_png_read(png_structp png, png_bytep destination, size_t length) {
    ic_png_decoder *decoder = png_get_io_ptr(png);
    if (length > decoder->size - decoder->offset) png_error(png, "file is truncated");
    memcpy(destination, decoder->data + decoder->offset, length);
    decoder->offset += length;
}

ic_png_decoder *ic_png_decoder_create(void) {
    ic_png_decoder *decoder = calloc(1, sizeof(ic_png_decoder));
    if (decoder == NULL) return NULL;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder->message, ic_png_error, ic_png_warning);
    if (decoder->png == NULL) {
        free(decoder);
        return NULL;
    }
    decoder->info = png_create_info_struct(decoder->png);
    if (decoder->info == NULL) {
        png_destroy_read_struct(&decoder->png, NULL, NULL);
        free(decoder);
        return NULL;
    }
    png_set_read_fn(decoder->png, decoder, ic_png_read);
    // Only IHDR, PLTE, tRNS, IDAT and IEND matter here; every other chunk is skipped unread. libpng 1.6 allocates
    // a text or other ancillary chunk whole before reading it, so a 56-byte file could otherwise make it allocate
    // the 2 GB its length field declares (found by scripts/fuzz-decoders.sh).
    png_set_keep_unknown_chunks(decoder->png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_set_chunk_malloc_max(decoder->png, IC_PNG_MAX_CHUNK_ALLOCATION);
    return decoder;
}

void ic_png_decoder_destroy(ic_png_decoder *decoder) {
    if (decoder == NULL) return;
    png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
    free(decoder);
}

const char *ic_png_decoder_message(const ic_png_decoder *decoder) {
    return decoder->message;
}

int ic_png_decoder_read_header(ic_png_decoder *decoder, const uint8_t *data, size_t size, ic_header *header) {
    png_structp png = decoder->png;
    png_infop info = decoder->info;
    if (decoder->header_read) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "header already read");
        return -1;
    }
    decoder->data = data;
    decoder->size = size;
    decoder->offset = 0;
    if (setjmp(png_jmpbuf(png))) return -1;
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, NULL, NULL, NULL);
    int has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
    int is_gray = !(color_type & PNG_COLOR_MASK_COLOR);
    if (bit_depth == 16) png_set_scale_16(png);
    // Palette to RGB, gray below 8 bits to 8, tRNS to an alpha channel.
    png_set_expand(png);
    // Gray with alpha has no 2-channel Image; RGBA keeps the alpha.
    if (is_gray && has_alpha) png_set_gray_to_rgb(png);

    header->width = (int)width;
    header->height = (int)height;
    header->channels = is_gray && !has_alpha ? 1 : has_alpha ? 4 : 3;
    header->stored_bit_depth = bit_depth;
    header->stored_channels = png_get_channels(png, info);
    decoder->header = *header;
    decoder->header_read = 1;
    return 0;
}

int ic_png_decoder_read_pixels(ic_png_decoder *decoder, uint8_t *pixels, size_t capacity) {
    png_structp png = decoder->png;
    png_infop info = decoder->info;
    if (!decoder->header_read) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "header not read");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) return -1;
    int passes = png_set_interlace_handling(png);
    // Allocates libpng's row buffers; the caller has checked the dimensions by now.
    png_read_update_info(png, info);
    size_t stride = (size_t)decoder->header.width * (size_t)decoder->header.channels;
    if (png_get_channels(png, info) != decoder->header.channels || png_get_bit_depth(png, info) != 8 ||
        png_get_rowbytes(png, info) != stride) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "unexpected pixel layout after conversion");
        return -1;
    }
    if (stride * (size_t)decoder->header.height > capacity) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "output buffer too small");
        return -1;
    }
    // With interlace handling, every pass visits every row; libpng fills in that pass's pixels in place.
    for (int pass = 0; pass < passes; pass++) {
        for (int y = 0; y < decoder->header.height; y++) png_read_row(png, pixels + (size_t)y * stride, NULL);
    }
    // Reads on to IEND, so that a truncated file fails however much of its image data it kept.
    png_read_end(png, NULL);
    return 0;
}

// MARK: Encoding

typedef struct {
    png_structp png;
    png_infop info;
    uint8_t *buffer;
    size_t size;
    size_t capacity;
} ic_png_encode_job;

static void ic_png_write(png_structp png, png_bytep source, size_t length) {
    ic_png_encode_job *job = png_get_io_ptr(png);
    if (length > job->capacity - job->size) {
        size_t capacity = job->capacity == 0 ? 4096 : job->capacity;
        while (length > capacity - job->size) {
            if (capacity > SIZE_MAX / 2) png_error(png, "out of memory");
            capacity *= 2;
        }
        uint8_t *grown = realloc(job->buffer, capacity);
        if (grown == NULL) png_error(png, "out of memory");
        job->buffer = grown;
        job->capacity = capacity;
    }
    memcpy(job->buffer + job->size, source, length);
    job->size += length;
}

static void ic_png_flush(png_structp png) {
    (void)png;
}

static int ic_png_run_encode(ic_png_encode_job *job, const uint8_t *pixels, int width, int height, int channels,
                             int compression_level) {
    png_structp png = job->png;
    if (setjmp(png_jmpbuf(png))) return -1;
    png_set_write_fn(png, job, ic_png_write, ic_png_flush);
    int color_type = channels == 1 ? PNG_COLOR_TYPE_GRAY : channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA;
    png_set_IHDR(png, job->info, (png_uint_32)width, (png_uint_32)height, 8, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, compression_level);
    png_write_info(png, job->info);
    size_t stride = (size_t)width * (size_t)channels;
    for (int y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, NULL);
    return 0;
}

int ic_png_encode(const uint8_t *pixels, int width, int height, int channels, int compression_level,
                  ic_encoded *out) {
    if (ic_encoded_start(out, channels) != 0) return -1;
    ic_png_encode_job *job = calloc(1, sizeof(ic_png_encode_job));
    if (job == NULL) {
        snprintf(out->message, IC_MESSAGE_CAPACITY, "out of memory");
        return -1;
    }
    job->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, out->message, ic_png_error, ic_png_warning);
    job->info = job->png == NULL ? NULL : png_create_info_struct(job->png);
    int status = -1;
    if (job->info == NULL) {
        snprintf(out->message, IC_MESSAGE_CAPACITY, "out of memory");
    } else {
        status = ic_png_run_encode(job, pixels, width, height, channels, compression_level);
    }
    if (job->png != NULL) png_destroy_write_struct(&job->png, &job->info);
    if (status == 0) {
        out->data = job->buffer;
        out->size = job->size;
    } else {
        free(job->buffer);
    }
    free(job);
    return status;
}
