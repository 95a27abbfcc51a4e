// Internal to CImageCodecs: the common start of every encoder.
#ifndef IC_ENCODED_SUPPORT_H
#define IC_ENCODED_SUPPORT_H

#include "image_codecs.h"

/// Empties `out` and checks that `channels` is 1, 3 or 4; returns -1 with a message otherwise.
int ic_encoded_start(ic_encoded *out, int channels);

#endif
