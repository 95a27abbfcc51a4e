#include "image_codecs.h"

#include <stdlib.h>

void ic_encoded_free(ic_encoded *encoded) {
    if (encoded == NULL) return;
    free(encoded->data);
    encoded->data = NULL;
    encoded->size = 0;
}
