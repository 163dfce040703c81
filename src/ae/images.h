// images.h — a data set from the user's own pictures: PNG, JPEG or BMP files (one by one, a
// folder, or a .zip archive), decoded, cut to a centred square, resized and turned to grey.
//
// What a student has: photos from a phone, digits drawn in a paint program, a Kaggle folder of
// classes. They become what the MNIST views draw:
//   - each picture is decoded (stb_image, from Debian's libstb-dev), its alpha composited over
//     black, turned to grey by luminance Y = 0.299 R + 0.587 G + 0.114 B, the centred square of
//     side min(width, height) cut out, and that square resized to side × side (stb_image_resize,
//     a Mitchell filter when shrinking); pixel (r, c) is feature r·side + c, in [0, 1];
//   - labels come from folders, as in the usual "one folder per class" layout: pictures in
//     cats/… and dogs/… get labels 0 and 1 (classes sorted by name); when one picture is not in a
//     folder, or all are in the same one, there are no labels;
//   - invert = true turns dark-on-light drawings (ink on paper) into MNIST's light-on-dark.
//
// A .zip archive is read here too (stored or deflate entries, the format every zip tool writes by
// default), so the page and the CLI read the same files without zlib. Every reader trusts nothing:
// a picture's size is read from its header and checked BEFORE it is decoded, an entry's size from
// the central directory before it is inflated (into a buffer of exactly that size, so a "zip bomb"
// stops at the first byte too many), each entry's CRC-32 is checked, and every failure is an
// ae::Error naming the file (and the entry) and what is wrong.
#pragma once

#include "idx.h"  // Dataset

#include <cstdint>
#include <string>
#include <vector>

namespace ae {

// A file handed over whole: dropped on the page, picked in a dialog, an entry of an archive.
struct NamedBytes {
  std::string name;            // as the user knows it ("digits/3/img_12.png")
  std::vector<uint8_t> bytes;
};

struct ImageOptions {
  int side = 28;               // pictures are resized to side × side (4..128)
  bool invert = false;         // 1 − grey: dark strokes on a light page become light on dark
  int max_images = 60000;      // more is refused (the message says how many there were)
  uint64_t max_pixels = uint64_t(1) << 24;  // per picture, before resizing (16 megapixels)
  uint64_t max_dataset_bytes = uint64_t(1) << 30;  // the decoded data set (side² × N values)
};
constexpr int kImageMinSide = 4, kImageMaxSide = 128;

// Is this the start of a picture AE Lab decodes (PNG, JPEG, BMP)? By content, not by name.
bool looks_like_image(const uint8_t* bytes, size_t size);
// Is this a zip archive ("PK\3\4" or an empty archive's "PK\5\6")?
bool looks_like_zip(const uint8_t* bytes, size_t size);

// The entries of a zip archive that are files (folders, and the __MACOSX/ and dot-file clutter that
// macOS adds, are left out), in the archive's order. `max_bytes` caps the total inflated size.
std::vector<NamedBytes> read_zip(const uint8_t* bytes, size_t size, const std::string& name_for_errors,
                                 uint64_t max_bytes = uint64_t(1) << 30);

// Decodes the pictures (zip archives among `files` are opened and their pictures taken; other
// files that are not pictures are refused by name) into a Dataset: x is (side², N): the loose
// pictures in the order given, then each archive's pictures in its order (its other files skipped). image_width = image_height = side. `classes` receives the folder name
// of each label (empty when there are no labels).
template <typename T>
Dataset<T> dataset_from_images(const std::vector<NamedBytes>& files, const ImageOptions& options,
                               const std::string& name, std::vector<std::string>* classes = nullptr);

// The pictures of a folder and of its sub-folders one level deep (the class folders), sorted by
// their names relative to it ("cats/1.png"); other files and dot files are left out.
std::vector<NamedBytes> read_picture_folder(const std::string& path, int max_images = 60000);

// A folder (searched one level of sub-folders deep, for the class folders) or a .zip file on disk.
template <typename T>
Dataset<T> load_images(const std::string& path, const ImageOptions& options = {},
                       std::vector<std::string>* classes = nullptr);

// Inflates a gzip file (one member, RFC 1952) into at most max_bytes, checking its CRC-32 and
// length. The same decoder as the zip reader (stb_image's), so it works in WebAssembly too.
std::vector<uint8_t> gunzip(const uint8_t* bytes, size_t size, const std::string& name_for_errors,
                            uint64_t max_bytes);

// CRC-32 (IEEE 802.3, as zip, gzip and PNG use it).
uint32_t crc32(const uint8_t* bytes, size_t size, uint32_t crc = 0);

}  // namespace ae
