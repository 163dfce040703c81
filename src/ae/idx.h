// idx.h — the IDX file format (MNIST, Fashion-MNIST) and the Dataset every loader returns.
//
// An IDX file is a tiny header followed by one big array, all big-endian:
//   bytes 0–1   0x00 0x00                  (magic, always zero)
//   byte  2     element type               0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
//                                          0x0D float32, 0x0E float64
//   byte  3     ndims                      number of dimensions
//   then        ndims × uint32             the dimensions, slowest-varying first
//   then        prod(dims) × element size  the data, row-major (C order)
// MNIST's images are (N, 28, 28) uint8 and its labels (N) uint8. Files may be gzip-compressed
// (they are on Debian and on the original web site); we detect that by the gzip magic 1f 8b and
// inflate with zlib natively. The WebAssembly build has no zlib: there a gzip file is refused with
// a message saying to decompress it first.
//
// A file is input from outside, so this reader trusts nothing: every field of the header is
// checked, the size the header declares is computed with overflow checks and compared with a hard
// cap and with the actual length BEFORE anything is allocated, and a gzip stream is inflated only
// up to the size its own header declares (a gzip bomb stops at the first byte too many). Each
// failure is an ae::Error that says which file, what is wrong, and what was expected.
//
// This file is NOT a general tensor library: the array comes back as bytes plus its dims, and
// dataset_from_idx() turns uint8 images into the (n_features, N) matrix the engine trains on.
#pragma once

#include "core.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ae {

// ---------------------------------------------------------------------------------------------
// The raw array
// ---------------------------------------------------------------------------------------------

enum class IdxType : uint8_t { u8 = 0x08, i8 = 0x09, i16 = 0x0B, i32 = 0x0C, f32 = 0x0D, f64 = 0x0E };

// The largest data block we are willing to allocate: 2 GiB (all of MNIST's training images are
// 47 MB). Also the largest file read_idx / read_file_bytes will read.
constexpr uint64_t kIdxMaxBytes = uint64_t(2) << 30;

// IDX allows up to 255 dimensions; we accept 1..4: labels (N), a table (N, features), grey images
// (N, rows, cols), colour images (N, rows, cols, channels). More is certainly not a data set for
// this lab, and a small bound keeps a garbage header from looking plausible.
constexpr int kIdxMaxDims = 4;

struct IdxArray {
  std::vector<uint32_t> dims;  // (ndims), slowest-varying first; dims[0] is the sample count N
  std::vector<uint8_t> data;   // prod(dims) × element_size() bytes, row-major, in HOST byte order
                               // (multi-byte types are byte-swapped from the file's big-endian)
  IdxType type = IdxType::u8;

  size_t count() const;         // prod(dims), the number of elements
  size_t element_size() const;  // 1, 2, 4 or 8 bytes
  double value(size_t i) const; // element i converted to double, whatever the type
};

const char* idx_type_name(IdxType type);  // "uint8", "int16", ...

// Parse an IDX file already in memory (e.g. bytes handed over by the browser), raw or gzip.
// `name_for_errors` is how messages refer to it (a file name). `max_bytes` caps the data block.
IdxArray parse_idx(const uint8_t* bytes, size_t size, const std::string& name_for_errors,
                   uint64_t max_bytes = kIdxMaxBytes);

// Read and parse an IDX file, raw or gzip (by content, not by the file name's .gz).
IdxArray read_idx(const std::string& path, uint64_t max_bytes = kIdxMaxBytes);

// True when this build can inflate gzip (native builds, with zlib); false in WebAssembly.
bool idx_gzip_supported();

// The whole file as bytes. Refuses (ae::Error) a missing or unreadable file, a folder, a device or
// pipe, and a file longer than max_bytes — checked on the file's size before reading, and again
// while reading.
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes = kIdxMaxBytes);

// Does the file exist (and is it a regular file)?
bool file_exists(const std::string& path);

// ---------------------------------------------------------------------------------------------
// Data sets
// ---------------------------------------------------------------------------------------------

// What every loader (IDX, MNIST, CSV) returns: the samples as the COLUMNS of x, as the engine
// trains on them (see core.h), optional integer labels, and the image shape when the features
// are the pixels of an image.
template <typename T>
struct Dataset {
  Matrix<T> x;              // (n_features, N); images: pixel (r, c) is feature r·width + c,
                            // scaled from 0..255 to [0, 1]; CSV: the values as written
  std::vector<int> labels;  // (N) class of each sample, or empty when the data has no labels
  int image_width = 0;      // > 0 when the features are an image (n_features = width × height)
  int image_height = 0;
  std::string name;         // for titles and messages, e.g. "MNIST test"

  int size() const { return int(x.cols()); }
  int n_features() const { return int(x.rows()); }
};

// uint8 images (N, rows, cols) — or (N, features) — into a Dataset, pixels scaled by 1/255.
// `labels` may be null (no labels); otherwise it must be uint8 (N) with the same N as the images
// and every label in 0..num_classes−1 (the message names the first offending sample).
// max_count > 0 keeps only the first max_count samples; max_count <= 0 keeps all of them.
template <typename T>
Dataset<T> dataset_from_idx(const IdxArray& images, const IdxArray* labels, int max_count, const std::string& name,
                            int num_classes = 10);

// Read an images file and a labels file (each raw or gzip) into a Dataset. labels_path may be
// empty for unlabelled images.
template <typename T>
Dataset<T> load_idx_images_labels(const std::string& images_path, const std::string& labels_path, int max_count = 0,
                                  int num_classes = 10);

}  // namespace ae
