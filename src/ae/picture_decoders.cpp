// picture_decoders.cpp — where the implementation of stb_image and stb_image_resize (Debian's libstb-dev) is
// compiled, in a file of its own: the sanitized builds (native-debug, fuzz) leave one check out for it alone
// (src/ae/CMakeLists.txt), and every other check, in every other file, stays.
//
// The check left out is UBSan's shift-exponent. Debian's stb_image 2.27 reads a JPEG's entropy-coded
// bits past a marker (a corrupt file) into a negative bit count, and stbi__grow_buffer_unsafe then
// shifts the next byte, 0 once the marker was seen, by 32 or more (stb_image.h:2065; upstream issue
// nothings/stb#1293, fixed after 2.27: it stops reading there). The 10-second CI fuzz run of
// `images` found it. The byte shifted is always 0 by then, so the picture is rejected or decoded the
// same whatever the shift gives; stb's own checks then report the JPEG as corrupt, or its garbage
// pixels are read as a picture, as for any other corrupt file that decodes. The input checks that
// stb lacks stay in images.cpp (Huffman counts, empty IDAT chunks).
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include "picture_formats.h"
