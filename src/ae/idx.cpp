// idx.cpp — reading IDX files (raw or gzip) and turning them into data sets. See idx.h for the
// format and for what is checked. The order of the checks matters: everything that can be decided
// from the header (magic, type, dims, overflow, the size cap) is decided before a single byte of
// data is allocated, and the data's length is compared with what the header declares before it
// is used.
#include "idx.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <new>

#ifdef AELAB_HAVE_ZLIB
#include <zlib.h>
#endif

namespace ae {

namespace {

// The longest header we accept: magic (4) + kIdxMaxDims × uint32.
constexpr size_t kIdxMaxHeaderBytes = 4 + 4 * kIdxMaxDims;

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string hex_byte(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", unsigned(b));
  return buf;
}

// "47040016 bytes (44.9 MiB)" — exact for comparing with `ls -l`, rounded for a human.
std::string describe_bytes(uint64_t n) {
  std::string s = std::to_string(n) + (n == 1 ? " byte" : " bytes");
  if (n >= (uint64_t(1) << 20)) {
    char buf[48];
    if (n >= (uint64_t(1) << 30))
      std::snprintf(buf, sizeof buf, " (%.1f GiB)", double(n) / double(uint64_t(1) << 30));
    else
      std::snprintf(buf, sizeof buf, " (%.1f MiB)", double(n) / double(uint64_t(1) << 20));
    s += buf;
  }
  return s;
}

std::string describe_dims(const std::vector<uint32_t>& dims) {
  std::string s;
  for (size_t k = 0; k < dims.size(); ++k) s += (k ? " x " : "") + std::to_string(dims[k]);
  return s;
}

bool is_gzip(const uint8_t* bytes, size_t size) { return size >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b; }

size_t element_size_of(IdxType type) {
  switch (type) {
    case IdxType::u8:
    case IdxType::i8: return 1;
    case IdxType::i16: return 2;
    case IdxType::i32:
    case IdxType::f32: return 4;
    case IdxType::f64: return 8;
  }
  return 0;
}

bool is_known_type(uint8_t code) {
  return code == 0x08 || code == 0x09 || code == 0x0B || code == 0x0C || code == 0x0D || code == 0x0E;
}

// a × b, or false when it does not fit in 64 bits.
bool checked_mul(uint64_t a, uint64_t b, uint64_t& out) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return false;
  out = a * b;
  return true;
}

uint32_t read_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// The first 4 bytes: magic, type code, ndims. `size` >= 4.
void check_idx_prefix(const uint8_t* b, const std::string& name) {
  if (b[0] != 0 || b[1] != 0)
    throw Error(name + ": not an IDX file (an IDX file starts with two zero bytes; this one starts with " +
                hex_byte(b[0]) + " " + hex_byte(b[1]) + ")");
  if (!is_known_type(b[2]))
    throw Error(name + ": unknown IDX element type " + hex_byte(b[2]) +
                " (known: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)");
  if (b[3] == 0) throw Error(name + ": the IDX header declares 0 dimensions; an array needs at least one");
  if (b[3] > kIdxMaxDims)
    throw Error(name + ": the IDX header declares " + std::to_string(b[3]) + " dimensions; this lab reads at most " +
                std::to_string(kIdxMaxDims) + " (labels N, table N x features, images N x rows x cols [x channels])");
}

struct IdxHeader {
  IdxType type = IdxType::u8;
  std::vector<uint32_t> dims;
  size_t header_bytes = 0;  // 4 + 4 ndims
  uint64_t data_bytes = 0;  // prod(dims) × element size, checked against the cap
};

// Everything the header alone can tell. Throws on any problem; allocates only the dims.
IdxHeader parse_idx_header(const uint8_t* b, size_t size, const std::string& name, uint64_t max_bytes) {
  if (size < 4)
    throw Error(name + ": too short to be an IDX file (" + describe_bytes(size) +
                "; even the smallest header is 8 bytes)");
  check_idx_prefix(b, name);
  IdxHeader h;
  h.type = IdxType(b[2]);
  const int ndims = b[3];
  h.header_bytes = 4 + 4 * size_t(ndims);
  if (size < h.header_bytes)
    throw Error(name + ": too short for its IDX header (" + std::to_string(ndims) + " dimensions need a " +
                std::to_string(h.header_bytes) + "-byte header; the file has " + describe_bytes(size) + ")");
  h.dims.resize(ndims);
  for (int k = 0; k < ndims; ++k) h.dims[k] = read_be32(b + 4 + 4 * k);
  for (int k = 0; k < ndims; ++k)
    if (h.dims[k] == 0)
      throw Error(name + ": dimension " + std::to_string(k + 1) + " of " + std::to_string(ndims) +
                  " is 0 (dims " + describe_dims(h.dims) + "): the file holds no data");
  uint64_t count = 1;
  for (uint32_t d : h.dims)
    if (!checked_mul(count, d, count))
      throw Error(name + ": the IDX header's dimensions " + describe_dims(h.dims) +
                  " multiply to more than 2^64 elements: the header is corrupt");
  if (!checked_mul(count, element_size_of(h.type), h.data_bytes))
    throw Error(name + ": the IDX header's dimensions " + describe_dims(h.dims) + " of " + idx_type_name(h.type) +
                " need more than 2^64 bytes: the header is corrupt");
  if (h.data_bytes > max_bytes)
    throw Error(name + ": the IDX header declares " + describe_dims(h.dims) + " " + idx_type_name(h.type) + " = " +
                describe_bytes(h.data_bytes) + " of data, more than the " + describe_bytes(max_bytes) +
                " this lab will load (a corrupt header, or not a data set for this lab)");
  return h;
}

// The bytes after the header must be exactly what the header declares.
void check_data_length(const IdxHeader& h, uint64_t available, const std::string& name) {
  if (available == h.data_bytes) return;
  const std::string declared = "the header declares " + describe_dims(h.dims) + " " + idx_type_name(h.type) + " = " +
                               describe_bytes(h.data_bytes) + " of data";
  if (available < h.data_bytes)
    throw Error(name + ": truncated: " + declared + ", but only " + describe_bytes(available) +
                " follow the header (" + describe_bytes(h.data_bytes - available) +
                " missing; an interrupted download or copy?)");
  throw Error(name + ": " + describe_bytes(available - h.data_bytes) + " of unexpected trailing data: " + declared +
              ", but " + describe_bytes(available) + " follow the header (a different format, or two files joined?)");
}

bool host_is_little_endian() {
  const uint16_t probe = 1;
  uint8_t first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

// IDX stores multi-byte numbers big-endian; IdxArray::data holds them in host order.
void to_host_order(IdxArray& a) {
  const size_t es = a.element_size();
  if (es == 1 || !host_is_little_endian()) return;
  for (size_t i = 0; i + es <= a.data.size(); i += es) std::reverse(a.data.begin() + i, a.data.begin() + i + es);
}

// An IDX array from a buffer holding exactly one uncompressed IDX file; the buffer's storage
// becomes the array's data (no second copy of a 47 MB file).
IdxArray idx_from_plain(std::vector<uint8_t>&& bytes, const std::string& name, uint64_t max_bytes) {
  const IdxHeader h = parse_idx_header(bytes.data(), bytes.size(), name, max_bytes);
  check_data_length(h, bytes.size() - h.header_bytes, name);
  IdxArray a;
  a.type = h.type;
  a.dims = h.dims;
  bytes.erase(bytes.begin(), bytes.begin() + std::ptrdiff_t(h.header_bytes));
  a.data = std::move(bytes);
  to_host_order(a);
  return a;
}

// Inflate a gzip stream holding one IDX file. The output may grow only as far as the IDX header
// (the first bytes of the output) says the file is long, plus one byte to notice trailing data;
// before the header is known, only as far as the longest header. So a small file that inflates to
// gigabytes (a "gzip bomb"), or one whose header lies, is stopped early, with memory that grows
// with the data actually produced, never with what the header claims.
std::vector<uint8_t> gunzip_idx(const uint8_t* bytes, size_t size, const std::string& name, uint64_t max_bytes) {
#ifndef AELAB_HAVE_ZLIB
  (void)bytes;
  (void)size;
  (void)max_bytes;
  throw Error(name + " is gzip-compressed, and gzip is not supported in this build (WebAssembly has no zlib). "
                     "Decompress it first (e.g. `gunzip -k " +
              base_name(name) + "`) and load the uncompressed file.");
#else
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 16) != Z_OK)  // 15: the largest window; +16: expect a gzip wrapper
    throw Error(name + ": could not start the gzip decompressor (out of memory?)");
  struct InflateGuard {
    z_stream* zs;
    ~InflateGuard() { inflateEnd(zs); }
  } guard{&zs};

  const std::string gz = name + ": corrupt gzip data";
  std::vector<uint8_t> out;
  size_t produced = 0;
  uint64_t limit = kIdxMaxHeaderBytes;  // output bytes allowed; raised once the header is known
  bool header_known = false;
  size_t consumed = 0;                  // input bytes handed to zlib so far
  for (;;) {
    if (produced == out.size()) {
      if (produced > limit) break;  // reported below
      const uint64_t want = std::min<uint64_t>(std::max<uint64_t>(2 * uint64_t(out.size()), 1 << 16), limit + 1);
      out.resize(size_t(want));
    }
    if (zs.avail_in == 0 && consumed < size) {  // feed input in chunks: avail_in is 32-bit
      const size_t chunk = std::min<size_t>(size - consumed, size_t(1) << 30);
      zs.next_in = const_cast<Bytef*>(bytes + consumed);
      zs.avail_in = uInt(chunk);
      consumed += chunk;
    }
    const size_t room = std::min<size_t>(out.size() - produced, size_t(1) << 30);
    zs.next_out = out.data() + produced;
    zs.avail_out = uInt(room);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;

    if (!header_known && produced >= 4) {
      check_idx_prefix(out.data(), name + " (decompressed)");
      const size_t header_bytes = 4 + 4 * size_t(out[3]);
      if (produced >= header_bytes) {
        const IdxHeader h = parse_idx_header(out.data(), produced, name + " (decompressed)", max_bytes);
        limit = h.header_bytes + h.data_bytes;
        header_known = true;
      }
    }
    if (produced > limit) break;

    if (ret == Z_STREAM_END) {
      const size_t left = zs.avail_in + (size - consumed);
      if (left == 0) break;
      const uint8_t* rest = bytes + (size - left);
      if (is_gzip(rest, left)) {  // several gzip members one after the other are one valid file
        inflateReset(&zs);
        continue;
      }
      throw Error(name + ": " + describe_bytes(left) + " of unexpected data after the end of the gzip stream");
    }
    if (ret == Z_OK) continue;
    if (ret == Z_BUF_ERROR) {
      if (zs.avail_in == 0 && consumed == size)
        throw Error(name + ": the gzip data ends early (the file is truncated: an interrupted download or copy?)");
      continue;  // no room for output: the next turn of the loop grows the buffer
    }
    if (ret == Z_MEM_ERROR) throw Error(name + ": out of memory while decompressing");
    throw Error(gz + " (zlib: " + (zs.msg ? zs.msg : "error " + std::to_string(ret)) + ")");
  }
  if (produced > limit) {
    if (!header_known)
      throw Error(name + ": the decompressed data does not start with a valid IDX header");
    throw Error(name + ": decompresses to more than the " + describe_bytes(limit) +
                " its IDX header declares (unexpected trailing data, or a corrupt header)");
  }
  out.resize(produced);
  return out;
#endif
}

[[noreturn]] void out_of_memory(const std::string& name) {
  throw Error("not enough memory to load " + name);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

size_t IdxArray::count() const {
  size_t n = 1;
  for (uint32_t d : dims) n *= d;
  return dims.empty() ? 0 : n;
}

size_t IdxArray::element_size() const { return element_size_of(type); }

double IdxArray::value(size_t i) const {
  const uint8_t* p = data.data() + i * element_size();
  switch (type) {
    case IdxType::u8: return double(p[0]);
    case IdxType::i8: return double(int8_t(p[0]));
    case IdxType::i16: { int16_t v; std::memcpy(&v, p, 2); return double(v); }
    case IdxType::i32: { int32_t v; std::memcpy(&v, p, 4); return double(v); }
    case IdxType::f32: { float v; std::memcpy(&v, p, 4); return double(v); }
    case IdxType::f64: { double v; std::memcpy(&v, p, 8); return v; }
  }
  return 0.0;
}

const char* idx_type_name(IdxType type) {
  switch (type) {
    case IdxType::u8: return "uint8";
    case IdxType::i8: return "int8";
    case IdxType::i16: return "int16";
    case IdxType::i32: return "int32";
    case IdxType::f32: return "float32";
    case IdxType::f64: return "float64";
  }
  return "?";
}

bool idx_gzip_supported() {
#ifdef AELAB_HAVE_ZLIB
  return true;
#else
  return false;
#endif
}

bool file_exists(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes) {
  if (path.empty()) throw Error("no file name given");
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int e = errno;
    if (e == ENOENT || e == ENOTDIR) throw Error(path + ": file not found");
    throw Error(path + ": cannot read it (" + std::strerror(e) + ")");
  }
  if (S_ISDIR(st.st_mode)) throw Error(path + " is a folder, not a file");
  // A device or a pipe has no size to check beforehand (/dev/zero would fill memory up to the cap).
  if (!S_ISREG(st.st_mode)) throw Error(path + " is not a regular file (a device or a pipe?)");
  const uint64_t expected = uint64_t(st.st_size);
  if (expected > max_bytes)
    throw Error(path + " is " + describe_bytes(expected) + ", more than the " + describe_bytes(max_bytes) +
                " this lab will read");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    const int e = errno;
    throw Error(path + ": cannot open it (" + std::strerror(e) + ")");
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  std::vector<uint8_t> out;
  try {
    out.resize(size_t(expected));
    size_t got = expected ? std::fread(out.data(), 1, out.size(), f) : 0;
    out.resize(got);
    // The file may have grown since stat: read on, within the cap.
    uint8_t chunk[1 << 14];
    while (!std::ferror(f) && !std::feof(f)) {
      const size_t n = std::fread(chunk, 1, sizeof chunk, f);
      if (out.size() + n > max_bytes)
        throw Error(path + " is longer than the " + describe_bytes(max_bytes) + " this lab will read");
      out.insert(out.end(), chunk, chunk + n);
    }
  } catch (const std::bad_alloc&) {
    out_of_memory(path + " (" + describe_bytes(expected) + ")");
  }
  if (std::ferror(f)) throw Error(path + ": read error after " + describe_bytes(out.size()));
  return out;
}

IdxArray parse_idx(const uint8_t* bytes, size_t size, const std::string& name_for_errors, uint64_t max_bytes) {
  const std::string& name = name_for_errors;
  if (size == 0 || bytes == nullptr) throw Error(name + " is empty");
  try {
    if (is_gzip(bytes, size)) return idx_from_plain(gunzip_idx(bytes, size, name, max_bytes), name + " (decompressed)", max_bytes);
    const IdxHeader h = parse_idx_header(bytes, size, name, max_bytes);
    check_data_length(h, size - h.header_bytes, name);
    IdxArray a;
    a.type = h.type;
    a.dims = h.dims;
    a.data.assign(bytes + h.header_bytes, bytes + size);
    to_host_order(a);
    return a;
  } catch (const std::bad_alloc&) {
    out_of_memory(name);
  }
}

IdxArray read_idx(const std::string& path, uint64_t max_bytes) {
  // The file itself may be a little longer than the data cap: the header, or gzip's framing.
  const uint64_t file_cap = max_bytes > kIdxMaxBytes * 4 ? max_bytes : max_bytes + kIdxMaxHeaderBytes;
  std::vector<uint8_t> bytes = read_file_bytes(path, file_cap);
  if (bytes.empty()) throw Error(path + " is empty (0 bytes)");
  try {
    if (is_gzip(bytes.data(), bytes.size())) {
      std::vector<uint8_t> plain = gunzip_idx(bytes.data(), bytes.size(), path, max_bytes);
      std::vector<uint8_t>().swap(bytes);  // free the compressed copy before using the plain one
      return idx_from_plain(std::move(plain), path + " (decompressed)", max_bytes);
    }
    return idx_from_plain(std::move(bytes), path, max_bytes);
  } catch (const std::bad_alloc&) {
    out_of_memory(path);
  }
}

// ---------------------------------------------------------------------------------------------
// Data sets
// ---------------------------------------------------------------------------------------------

template <typename T>
Dataset<T> dataset_from_idx(const IdxArray& images, const IdxArray* labels, int max_count, const std::string& name,
                            int num_classes) {
  if (images.dims.size() < 2)
    throw Error(name + ": images need at least 2 dimensions (N x features, or N x rows x cols); this array is " +
                describe_dims(images.dims) + " (is it a labels file?)");
  if (images.type != IdxType::u8)
    throw Error(name + ": images must be unsigned bytes (IDX type 0x08, pixel values 0..255); this file holds " +
                idx_type_name(images.type));
  const uint64_t n_samples = images.dims[0];
  uint64_t n_features = 1;
  for (size_t k = 1; k < images.dims.size(); ++k) n_features *= images.dims[k];  // ≤ the data size: no overflow
  if (images.data.size() != n_samples * n_features)
    throw Error(name + ": the image array's data does not match its dimensions " + describe_dims(images.dims));
  if (n_samples > uint64_t(INT_MAX) || n_features > uint64_t(INT_MAX))
    throw Error(name + ": " + describe_dims(images.dims) + " is more samples or features than the engine handles");
  if (num_classes < 1 || num_classes > 65536) throw Error("the number of classes must be in 1..65536");

  if (labels) {
    if (labels->dims.size() != 1)
      throw Error(name + ": the labels must be one number per sample (1 dimension); the labels array is " +
                  describe_dims(labels->dims) + " (is it an images file?)");
    if (labels->type != IdxType::u8)
      throw Error(name + ": labels must be unsigned bytes (IDX type 0x08); this labels file holds " +
                  idx_type_name(labels->type));
    if (labels->dims[0] != n_samples)
      throw Error(name + ": " + std::to_string(n_samples) + " images but " + std::to_string(labels->dims[0]) +
                  " labels; the two files must come from the same split (e.g. both train or both t10k)");
    for (size_t i = 0; i < labels->data.size(); ++i)
      if (labels->data[i] >= num_classes)
        throw Error(name + ": label of sample " + std::to_string(i) + " is " + std::to_string(labels->data[i]) +
                    "; labels must be 0.." + std::to_string(num_classes - 1));
  }

  const int64_t keep = max_count > 0 ? std::min<int64_t>(max_count, int64_t(n_samples)) : int64_t(n_samples);
  Dataset<T> ds;
  ds.name = name;
  try {
    ds.x.resize(Eigen::Index(n_features), Eigen::Index(keep));
  } catch (const std::bad_alloc&) {
    out_of_memory(name + " (" + describe_bytes(uint64_t(keep) * n_features * sizeof(T)) + " as numbers)");
  }
  // The file is row-major (N, rows, cols): sample i's pixels are contiguous, exactly one column
  // of the column-major (n_features, N) matrix. So the conversion is one flat loop.
  const T scale = T(1) / T(255);
  const uint8_t* src = images.data.data();
  T* dst = ds.x.data();
  const size_t total = size_t(keep) * size_t(n_features);
  for (size_t j = 0; j < total; ++j) dst[j] = T(src[j]) * scale;
  if (labels) ds.labels.assign(labels->data.begin(), labels->data.begin() + std::ptrdiff_t(keep));
  if (images.dims.size() == 3) {
    ds.image_height = int(images.dims[1]);
    ds.image_width = int(images.dims[2]);
  }
  return ds;
}

template <typename T>
Dataset<T> load_idx_images_labels(const std::string& images_path, const std::string& labels_path, int max_count,
                                  int num_classes) {
  const IdxArray images = read_idx(images_path);
  if (labels_path.empty()) return dataset_from_idx<T>(images, nullptr, max_count, base_name(images_path), num_classes);
  const IdxArray labels = read_idx(labels_path);
  return dataset_from_idx<T>(images, &labels, max_count, base_name(images_path), num_classes);
}

template Dataset<float> dataset_from_idx<float>(const IdxArray&, const IdxArray*, int, const std::string&, int);
template Dataset<double> dataset_from_idx<double>(const IdxArray&, const IdxArray*, int, const std::string&, int);
template Dataset<float> load_idx_images_labels<float>(const std::string&, const std::string&, int, int);
template Dataset<double> load_idx_images_labels<double>(const std::string&, const std::string&, int, int);

}  // namespace ae
