#include "image_codecs.h"
#include "encoded_support.h"

#include <stdio.h>
#include <stdlib.h>

void ic_encoded_free(ic_encoded *encoded) {
    if (encoded == NULL) return;
    free(encoded->data);
    encoded->data = NULL;
    encoded->size = 0;
}

int ic_encoded_start(ic_encoded *out, int channels) {
    out->data = NULL;
    out->size = 0;
    out->message[0] = '\0';
    if (channels != 1 && channels != 3 && channels != 4) {
        snprintf(out->message, IC_MESSAGE_CAPACITY, "cannot encode %d channels", channels);
        return -1;
    }
    return 0;
}
