// libjpeg(-turbo) behind return codes: every entry point sets a jump target for the library's error_exit.
#include "image_codecs.h"
#include "encoded_support.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

// A progressive or multi-scan file can carry thousands of tiny scans, each a full pass over the coefficient
// buffers; real encoders write at most a few dozen. libjpeg-turbo's own TurboJPEG API offers the same guard.
#define IC_JPEG_MAX_SCANS 500
// Whole-image buffers (multi-scan coefficients) beyond this fail instead of exhausting memory.
#define IC_JPEG_MAX_MEMORY (1L << 30)

// The error manager; libjpeg calls it through `cinfo->err`, which points at `manager`.
typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char *message;
} ic_jpeg_errors;

struct ic_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    ic_jpeg_errors errors;
    struct jpeg_progress_mgr progress;
    int created;
    int header_read;
    // CMYK (or YCCK) files decode as CMYK and are converted to RGB row by row through `row`.
    int cmyk;
    unsigned char *row;
    char message[IC_MESSAGE_CAPACITY];
};

static void ic_jpeg_store_message(j_common_ptr cinfo) {
    ic_jpeg_errors *errors = (ic_jpeg_errors *)cinfo->err;
    if (errors->manager.msg_code == JERR_NO_BACKING_STORE) {
        snprintf(errors->message, IC_MESSAGE_CAPACITY, "image needs more than %ld MiB of decoder memory",
                 IC_JPEG_MAX_MEMORY >> 20);
        return;
    }
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    snprintf(errors->message, IC_MESSAGE_CAPACITY, "%s", buffer);
}

static void ic_jpeg_error_exit(j_common_ptr cinfo) {
    ic_jpeg_store_message(cinfo);
    longjmp(((ic_jpeg_errors *)cinfo->err)->jump, 1);
}

// Warnings are silent, except running out of data: the library would otherwise pad the image with gray and
// report success, so a truncated file would train as a real face.
static void ic_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        cinfo->err->num_warnings++;
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
            snprintf(((ic_jpeg_errors *)cinfo->err)->message, IC_MESSAGE_CAPACITY, "file is truncated");
            longjmp(((ic_jpeg_errors *)cinfo->err)->jump, 1);
        }
    }
}

static void ic_jpeg_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > IC_JPEG_MAX_SCANS) {
        ic_jpeg_errors *errors = (ic_jpeg_errors *)cinfo->err;
        snprintf(errors->message, IC_MESSAGE_CAPACITY, "more than %d scans", IC_JPEG_MAX_SCANS);
        longjmp(errors->jump, 1);
    }
}

static void ic_jpeg_install_errors(ic_jpeg_errors *errors, char *message) {
    jpeg_std_error(&errors->manager);
    errors->manager.error_exit = ic_jpeg_error_exit;
    errors->manager.emit_message = ic_jpeg_emit_message;
    errors->message = message;
    message[0] = '\0';
}

ic_jpeg_decoder *ic_jpeg_decoder_create(void) {
    ic_jpeg_decoder *decoder = calloc(1, sizeof(ic_jpeg_decoder));
    if (decoder == NULL) return NULL;
    ic_jpeg_install_errors(&decoder->errors, decoder->message);
    decoder->cinfo.err = &decoder->errors.manager;
    if (setjmp(decoder->errors.jump)) {
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->cinfo);
    decoder->created = 1;
    decoder->cinfo.mem->max_memory_to_use = IC_JPEG_MAX_MEMORY;
    decoder->progress.progress_monitor = ic_jpeg_progress;
    decoder->cinfo.progress = &decoder->progress;
    return decoder;
}

void ic_jpeg_decoder_destroy(ic_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->created) jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder->row);
    free(decoder);
}

const char *ic_jpeg_decoder_message(const ic_jpeg_decoder *decoder) {
    return decoder->message;
}

int ic_jpeg_decoder_read_header(ic_jpeg_decoder *decoder, const uint8_t *data, size_t size, ic_header *header) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    if (decoder->header_read) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "header already read");
        return -1;
    }
    if (setjmp(decoder->errors.jump)) return -1;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo->out_color_space = JCS_GRAYSCALE;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo->out_color_space = JCS_RGB;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK;
        decoder->cmyk = 1;
        break;
    default:
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "unsupported colour space (%d components)",
                 cinfo->num_components);
        return -1;
    }
    // Computes output_width/height/components without allocating image buffers.
    jpeg_calc_output_dimensions(cinfo);
    header->width = (int)cinfo->output_width;
    header->height = (int)cinfo->output_height;
    header->channels = decoder->cmyk ? 3 : cinfo->output_components;
    header->stored_bit_depth = cinfo->data_precision;
    header->stored_channels = cinfo->num_components;
    decoder->header_read = 1;
    return 0;
}

int ic_jpeg_decoder_read_pixels(ic_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    if (!decoder->header_read) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "header not read");
        return -1;
    }
    if (decoder->cmyk && decoder->row == NULL) {
        // Allocated before setjmp, so a longjmp cannot leak it; freed with the decoder.
        decoder->row = malloc((size_t)cinfo->output_width * 4);
        if (decoder->row == NULL) {
            snprintf(decoder->message, IC_MESSAGE_CAPACITY, "out of memory");
            return -1;
        }
    }
    if (setjmp(decoder->errors.jump)) return -1;
    jpeg_start_decompress(cinfo);
    size_t stride = (size_t)cinfo->output_width * (size_t)(decoder->cmyk ? 3 : cinfo->output_components);
    if (stride * cinfo->output_height > capacity) {
        snprintf(decoder->message, IC_MESSAGE_CAPACITY, "output buffer too small");
        return -1;
    }
    // Adobe's files (marked by its APP14 segment) store inverted ink values: there 255 means no ink.
    int inverted = cinfo->saw_Adobe_marker;
    while (decoder->cmyk && cinfo->output_scanline < cinfo->output_height) {
        uint8_t *out = pixels + (size_t)cinfo->output_scanline * stride;
        JSAMPROW row = decoder->row;
        jpeg_read_scanlines(cinfo, &row, 1);
        for (JDIMENSION x = 0; x < cinfo->output_width; x++) {
            const unsigned char *ink = decoder->row + 4 * x;
            unsigned k = inverted ? ink[3] : 255u - ink[3];
            for (int c = 0; c < 3; c++) {
                unsigned paper = inverted ? ink[c] : 255u - ink[c];
                out[3 * x + c] = (uint8_t)((paper * k + 127) / 255);
            }
        }
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW rows[16];
        JDIMENSION count = cinfo->output_height - cinfo->output_scanline;
        if (count > 16) count = 16;
        for (JDIMENSION i = 0; i < count; i++) rows[i] = pixels + (cinfo->output_scanline + i) * stride;
        jpeg_read_scanlines(cinfo, rows, count);
    }
    // Reads on to the end marker, so that a truncated file fails however much of its last scan it kept.
    jpeg_finish_decompress(cinfo);
    return 0;
}

// State for one encode; it lives in the caller's frame so that nothing the library changes after setjmp sits in
// a register of the function that catches the longjmp.
typedef struct {
    struct jpeg_compress_struct cinfo;
    ic_jpeg_errors errors;
    unsigned char *buffer;
    unsigned long size;
    int created;
} ic_jpeg_encode_job;

static int ic_jpeg_run_encode(ic_jpeg_encode_job *job, const uint8_t *pixels, int width, int height,
                              int channels, int quality) {
    j_compress_ptr cinfo = &job->cinfo;
    if (setjmp(job->errors.jump)) return -1;
    jpeg_create_compress(cinfo);
    job->created = 1;
    jpeg_mem_dest(cinfo, &job->buffer, &job->size);
    cinfo->image_width = (JDIMENSION)width;
    cinfo->image_height = (JDIMENSION)height;
    cinfo->input_components = channels;
    cinfo->in_color_space = channels == 1 ? JCS_GRAYSCALE : channels == 3 ? JCS_RGB : JCS_EXT_RGBX;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    jpeg_start_compress(cinfo, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (cinfo->next_scanline < cinfo->image_height) {
        // libjpeg's API takes non-const rows but only reads them when compressing.
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo->next_scanline * stride);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    return 0;
}

int ic_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality, ic_encoded *out) {
    if (ic_encoded_start(out, channels) != 0) return -1;
    ic_jpeg_encode_job *job = calloc(1, sizeof(ic_jpeg_encode_job));
    if (job == NULL) {
        snprintf(out->message, IC_MESSAGE_CAPACITY, "out of memory");
        return -1;
    }
    ic_jpeg_install_errors(&job->errors, out->message);
    job->cinfo.err = &job->errors.manager;
    int status = ic_jpeg_run_encode(job, pixels, width, height, channels, quality);
    if (job->created) jpeg_destroy_compress(&job->cinfo);
    if (status == 0) {
        out->data = job->buffer;
        out->size = job->size;
    } else {
        free(job->buffer);
    }
    free(job);
    return status;
}
