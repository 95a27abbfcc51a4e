// libpng 1.6 from the system.
#include <png.h>
