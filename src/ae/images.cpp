// images.cpp — pictures, zip archives and gzip files into data sets. See images.h for the rules.
#include "images.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "picture_formats.h"

namespace ae {

namespace {

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24); }

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "a/b/c.png" → "b" (the folder the picture is in), "c.png" → "".
std::string parent_folder(const std::string& name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash == std::string::npos) return "";
  const size_t start = name.find_last_of("/\\", slash == 0 ? std::string::npos : slash - 1);
  return name.substr(start == std::string::npos ? 0 : start + 1, slash - (start == std::string::npos ? 0 : start + 1));
}

// Raw deflate data into exactly `expected` bytes (stb_image's inflater, into a fixed buffer: it
// stops with an error rather than write past it). stb reads up to 16 bits ahead and reports a
// stream that ends exactly at the end of its input as truncated (PNG's zlib streams always have
// a checksum after them), so callers pass the bytes that follow the data too (`size` may exceed
// the compressed length: the decoder stops at the last block).
std::vector<uint8_t> inflate_exact(const uint8_t* data, size_t size, uint64_t expected, const std::string& what) {
  if (size > size_t(INT_MAX) || expected > uint64_t(INT_MAX))
    throw Error(what + " is too large to inflate here (over 2 GiB)");
  std::vector<uint8_t> out(static_cast<size_t>(expected));
  if (expected == 0) return out;
  const int got = stbi_zlib_decode_noheader_buffer(reinterpret_cast<char*>(out.data()), int(expected),
                                                   reinterpret_cast<const char*>(data), int(size));
  if (got < 0) throw Error(what + ": the compressed data are corrupt, or inflate to more than the " + std::to_string(expected) + " bytes declared");
  if (uint64_t(got) != expected)
    throw Error(what + ": the compressed data inflate to " + std::to_string(got) + " bytes, but " + std::to_string(expected) + " were declared");
  return out;
}

}  // namespace

uint32_t crc32(const uint8_t* bytes, size_t size, uint32_t crc) {
  static const std::vector<uint32_t> table = [] {
    std::vector<uint32_t> t(256);
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

bool looks_like_image(const uint8_t* b, size_t n) {
  static const uint8_t png[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (n >= 8 && std::memcmp(b, png, 8) == 0) return true;
  if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return true;                    // JPEG
  if (n >= 14 && b[0] == 'B' && b[1] == 'M') return true;                                     // BMP
  return false;
}

bool looks_like_zip(const uint8_t* b, size_t n) {
  return n >= 4 && b[0] == 'P' && b[1] == 'K' && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
}

// The central directory at the end of the archive lists every entry with its sizes, CRC and where
// its local header is; the local header gives the length of the name and extra field before the
// data. Sizes are taken from the central directory (a local header may defer them to a trailing
// data descriptor).
std::vector<NamedBytes> read_zip(const uint8_t* b, size_t n, const std::string& zip_name, uint64_t max_bytes) {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  if (n < 22) throw Error(zip_name + " is not a zip archive (" + std::to_string(n) + " bytes, less than the 22 of an empty one)");
  size_t eocd = std::string::npos;
  const size_t lowest = n > 22 + 65535 ? n - 22 - 65535 : 0;
  for (size_t at = n - 22 + 1; at-- > lowest;) {
    if (le32(b + at) == 0x06054b50u && at + 22 + le16(b + at + 20) == n) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string::npos) throw Error(zip_name + " is not a zip archive, or it is truncated (no end-of-central-directory record)");
  const uint32_t count = le16(b + eocd + 10), cd_size = le32(b + eocd + 12), cd_offset = le32(b + eocd + 16);
  if (le16(b + eocd + 4) != 0 || le16(b + eocd + 6) != 0 || le16(b + eocd + 8) != count)
    throw Error(zip_name + " is a multi-part zip archive; join the parts into one archive first");
  if (count == 0xFFFF || cd_offset == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu)
    throw Error(zip_name + " is a ZIP64 archive (over 4 GiB or 65,535 entries), which AE Lab does not read");
  if (uint64_t(cd_offset) + cd_size > eocd) throw Error(zip_name + ": the central directory lies outside the archive (corrupt or truncated)");

  std::vector<NamedBytes> out;
  uint64_t total = 0;
  size_t at = cd_offset;
  for (uint32_t e = 0; e < count; ++e) {
    const std::string where = zip_name + ", entry " + std::to_string(e + 1);
    if (at + 46 > size_t(cd_offset) + cd_size || le32(b + at) != 0x02014b50u)
      throw Error(where + ": the central directory is corrupt (expected an entry at byte " + std::to_string(at) + ")");
    const uint16_t flags = le16(b + at + 8), method = le16(b + at + 10);
    const uint32_t crc = le32(b + at + 16), csize = le32(b + at + 20), usize = le32(b + at + 24);
    const uint16_t name_len = le16(b + at + 28), extra_len = le16(b + at + 30), comment_len = le16(b + at + 32);
    const uint32_t local = le32(b + at + 42);
    if (at + 46 + name_len > size_t(cd_offset) + cd_size) throw Error(where + ": its name runs past the central directory");
    const std::string name(reinterpret_cast<const char*>(b + at + 46), name_len);
    at += 46 + size_t(name_len) + extra_len + comment_len;
    const std::string entry = zip_name + ": " + name;
    if (name.empty() || name.back() == '/' || name.back() == '\\') continue;  // a folder
    const std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
    if (name.rfind("__MACOSX/", 0) == 0 || base.empty() || base[0] == '.') continue;  // macOS's resource forks, dot files
    if (flags & 1) throw Error(entry + " is encrypted; AE Lab reads only archives without a password");
    if (method != 0 && method != 8)
      throw Error(entry + " uses compression method " + std::to_string(method) + "; AE Lab reads stored (0) and deflate (8) entries");
    if (csize == 0xFFFFFFFFu || usize == 0xFFFFFFFFu || local == 0xFFFFFFFFu)
      throw Error(entry + " is a ZIP64 entry (over 4 GiB), which AE Lab does not read");
    total += usize;
    if (total > max_bytes)
      throw Error(zip_name + " inflates to more than " + std::to_string(max_bytes) + " bytes, the most AE Lab takes (at " + name + ")");
    if (uint64_t(local) + 30 > n || le32(b + local) != 0x04034b50u) throw Error(entry + ": its local header is missing (corrupt archive)");
    const uint64_t data = uint64_t(local) + 30 + le16(b + local + 26) + le16(b + local + 28);
    if (data + csize > n) throw Error(entry + ": its data run past the end of the archive (truncated?)");
    NamedBytes file;
    file.name = name;
    if (method == 0) {
      if (csize != usize) throw Error(entry + ": a stored entry whose sizes differ (" + std::to_string(csize) + " and " + std::to_string(usize) + ")");
      file.bytes.assign(b + data, b + data + csize);
    } else {
      file.bytes = inflate_exact(b + data, std::min<uint64_t>(uint64_t(csize) + 8, n - data), usize, entry);  // +8: see inflate_exact
    }
    if (crc32(file.bytes.data(), file.bytes.size()) != crc) throw Error(entry + ": its CRC-32 does not match (the archive is corrupt)");
    out.push_back(std::move(file));
  }
  return out;
}

std::vector<uint8_t> gunzip(const uint8_t* b, size_t n, const std::string& name, uint64_t max_bytes) {
  if (n < 18 || b[0] != 0x1f || b[1] != 0x8b) throw Error(name + " is not a gzip file (no 1f 8b header, or shorter than 18 bytes)");
  if (b[2] != 8) throw Error(name + ": gzip compression method " + std::to_string(b[2]) + " (only deflate, 8, exists)");
  const uint8_t flags = b[3];
  size_t at = 10;
  if (flags & 4) {  // FEXTRA
    if (at + 2 > n) throw Error(name + ": its gzip header is truncated");
    at += 2 + size_t(le16(b + at));
  }
  for (uint8_t zero_terminated : {uint8_t(8), uint8_t(16)})  // FNAME, FCOMMENT
    if (flags & zero_terminated) {
      while (at < n && b[at] != 0) ++at;
      ++at;
    }
  if (flags & 2) at += 2;  // FHCRC
  if (at + 8 > n) throw Error(name + ": its gzip header is truncated");
  const uint32_t crc = le32(b + n - 8), size = le32(b + n - 4);
  if (size > max_bytes)
    throw Error(name + " inflates to " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) + " AE Lab takes here");
  std::vector<uint8_t> out = inflate_exact(b + at, n - at, size, name);  // the trailer too: see inflate_exact
  if (crc32(out.data(), out.size()) != crc) throw Error(name + ": its CRC-32 does not match (the gzip file is corrupt or holds several members)");
  return out;
}

namespace {

// Debian's stb_image (2.27) trusts a JPEG's Huffman table counts: sixteen bytes whose sum may reach
// 4,080 while its tables hold 256 symbols (fixed upstream later). Every "FF C4" (define Huffman
// table) in the file — a superset of those stb will process — is checked the way stb reads it.
bool jpeg_huffman_counts_ok(const uint8_t* b, size_t n) {
  for (size_t at = 0; at + 4 <= n; ++at) {
    if (b[at] != 0xFF || b[at + 1] != 0xC4) continue;
    long left = long((b[at + 2] << 8) | b[at + 3]) - 2;
    size_t p = at + 4;
    while (left > 0 && p < n) {
      int count = 0;  // stb reads zeros past the end of the data
      for (size_t i = 0; i < 16; ++i) count += p + 1 + i < n ? b[p + 1 + i] : 0;
      if (count > 256) return false;
      p += 17 + size_t(count);
      left -= 17 + count;
    }
  }
  return true;
}

// Debian's stb_image (2.27) copies a zero-length IDAT chunk that comes before any image data into
// its still-null buffer (memcpy(NULL, …, 0): undefined behaviour, found by the fuzzer). Such chunks
// carry no data, so the picture is the same without them: returns the PNG with them left out, or
// an empty vector when there is none (or the bytes are not a PNG).
std::vector<uint8_t> png_without_empty_idat(const uint8_t* b, size_t n) {
  static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (n < 8 || std::memcmp(b, signature, 8) != 0) return {};
  const auto be32 = [](const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]); };
  const auto empty_idat = [&](size_t at) { return at + 12 <= n && be32(b + at) == 0 && std::memcmp(b + at + 4, "IDAT", 4) == 0; };
  bool found = false;
  for (size_t at = 8; at + 12 <= n && !found; at += 12 + size_t(be32(b + at))) {
    found = empty_idat(at);
    if (be32(b + at) > n) break;  // a length past the end: stb reports it
  }
  if (!found) return {};
  std::vector<uint8_t> out(b, b + 8);
  size_t at = 8;
  while (at + 12 <= n) {
    const size_t chunk = 12 + size_t(be32(b + at));
    if (!empty_idat(at)) out.insert(out.end(), b + at, b + std::min(n, at + chunk));
    if (chunk > n - at) return out;  // truncated: what is there goes on, for stb's own message
    at += chunk;
  }
  out.insert(out.end(), b + at, b + n);
  return out;
}

// One picture → side² grey values in [0, 1]. stb_image gives grey + alpha (its luminance is
// (77 R + 150 G + 29 B) / 256); the alpha is composited over black, then the centred square is cut.
void decode_picture(const NamedBytes& file, const ImageOptions& o, float* out) {
  if (file.bytes.size() > size_t(INT_MAX)) throw Error(file.name + " is over 2 GiB");
  const std::vector<uint8_t> cleaned = png_without_empty_idat(file.bytes.data(), file.bytes.size());
  if (!cleaned.empty()) return decode_picture(NamedBytes{file.name, cleaned}, o, out);
  const int len = int(file.bytes.size());
  if (file.bytes.size() >= 3 && file.bytes[0] == 0xFF && file.bytes[1] == 0xD8 && !jpeg_huffman_counts_ok(file.bytes.data(), file.bytes.size()))
    throw Error(file.name + ": the JPEG is corrupt (a Huffman table with more than 256 codes)");
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(file.bytes.data(), len, &w, &h, &channels))
    throw Error(file.name + ": not a picture AE Lab can read (" + stbi_failure_reason() + "; PNG, JPEG and BMP are read)");
  if (w <= 0 || h <= 0 || uint64_t(w) * uint64_t(h) > o.max_pixels)
    throw Error(file.name + " is " + std::to_string(w) + " × " + std::to_string(h) + " pixels; AE Lab takes pictures of at most " +
                std::to_string(o.max_pixels) + " pixels");
  int dw = 0, dh = 0;
  stbi_uc* pixels = stbi_load_from_memory(file.bytes.data(), len, &dw, &dh, &channels, 2);
  if (!pixels) throw Error(file.name + ": the picture is corrupt (" + std::string(stbi_failure_reason()) + ")");
  const int s = std::min(dw, dh), x0 = (dw - s) / 2, y0 = (dh - s) / 2;
  std::vector<uint8_t> square(size_t(s) * size_t(s));
  for (int r = 0; r < s; ++r)
    for (int c = 0; c < s; ++c) {
      const stbi_uc* p = pixels + 2 * (size_t(y0 + r) * size_t(dw) + size_t(x0 + c));
      square[size_t(r) * size_t(s) + size_t(c)] = uint8_t((unsigned(p[0]) * unsigned(p[1]) + 127) / 255);
    }
  stbi_image_free(pixels);
  std::vector<uint8_t> resized(size_t(o.side) * size_t(o.side));
  if (s == o.side) resized = square;
  else if (!stbir_resize_uint8(square.data(), s, s, 0, resized.data(), o.side, o.side, 0, 1))
    throw Error(file.name + ": could not resize the picture (out of memory?)");
  for (size_t i = 0; i < resized.size(); ++i) {
    const float v = float(resized[i]) / 255.0f;
    out[i] = o.invert ? 1.0f - v : v;
  }
}

}  // namespace

template <typename T>
Dataset<T> dataset_from_images(const std::vector<NamedBytes>& files, const ImageOptions& o, const std::string& name,
                               std::vector<std::string>* classes) {
  if (o.side < kImageMinSide || o.side > kImageMaxSide)
    throw Error("picture side " + std::to_string(o.side) + " is outside " + std::to_string(kImageMinSide) + ".." + std::to_string(kImageMaxSide));
  // Loose pictures first, in the order given, then the pictures of each archive in its own order
  // (an archive's other files — a README, a CSV — are skipped and counted).
  std::vector<NamedBytes> opened;
  std::vector<const NamedBytes*> pictures;
  for (const NamedBytes& f : files) {
    if (looks_like_zip(f.bytes.data(), f.bytes.size())) {
      for (NamedBytes& entry : read_zip(f.bytes.data(), f.bytes.size(), f.name)) opened.push_back(std::move(entry));
    } else if (looks_like_image(f.bytes.data(), f.bytes.size())) {
      pictures.push_back(&f);
    } else {
      throw Error(f.name + " is not a picture (PNG, JPEG or BMP), nor a zip archive of pictures");
    }
  }
  size_t skipped = 0;
  for (const NamedBytes& e : opened) {
    if (looks_like_image(e.bytes.data(), e.bytes.size())) pictures.push_back(&e);
    else ++skipped;
  }
  if (pictures.empty())
    throw Error(name + ": no pictures found" + (skipped ? " (" + std::to_string(skipped) + " other files were skipped)" : std::string()));
  if (int64_t(pictures.size()) > o.max_images)
    throw Error(name + " holds " + std::to_string(pictures.size()) + " pictures; AE Lab takes at most " + std::to_string(o.max_images));
  const uint64_t features = uint64_t(o.side) * uint64_t(o.side);
  const uint64_t need = features * pictures.size() * sizeof(T);
  if (need > o.max_dataset_bytes)
    throw Error(name + ": " + std::to_string(pictures.size()) + " pictures of " + std::to_string(o.side) + " × " + std::to_string(o.side) +
                " need " + std::to_string(need >> 20) + " MiB, more than the " + std::to_string(o.max_dataset_bytes >> 20) +
                " MiB AE Lab has for them here; use fewer pictures or a smaller side");

  Dataset<T> d;
  d.name = name;
  d.image_width = d.image_height = o.side;
  d.x.resize(Eigen::Index(features), Eigen::Index(pictures.size()));
  std::vector<float> grey(features);
  for (size_t i = 0; i < pictures.size(); ++i) {
    decode_picture(*pictures[i], o, grey.data());
    for (uint64_t p = 0; p < features; ++p) d.x(Eigen::Index(p), Eigen::Index(i)) = T(grey[p]);
  }
  // Labels from the class folders: only when every picture is in a folder and there are two or more.
  std::set<std::string> folders;
  bool all_in_folders = true;
  for (const NamedBytes* p : pictures) {
    const std::string folder = parent_folder(p->name);
    all_in_folders &= !folder.empty();
    folders.insert(folder);
  }
  if (classes) classes->clear();
  if (all_in_folders && folders.size() >= 2) {
    std::map<std::string, int> index;
    for (const std::string& f : folders) {
      const int next = int(index.size());
      index[f] = next;
      if (classes) classes->push_back(f);
    }
    for (const NamedBytes* p : pictures) d.labels.push_back(index[parent_folder(p->name)]);
  }
  return d;
}

std::vector<NamedBytes> read_picture_folder(const std::string& path, int max_images) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<std::string, fs::path>> found;  // (name relative to the folder, path)
  for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
    const std::string base = e.path().filename().string();
    if (base.empty() || base[0] == '.') continue;
    if (e.is_regular_file(ec)) found.push_back({base, e.path()});
    else if (e.is_directory(ec))
      for (const fs::directory_entry& f : fs::directory_iterator(e.path(), ec)) {
        const std::string inner = f.path().filename().string();
        if (!inner.empty() && inner[0] != '.' && f.is_regular_file(ec)) found.push_back({base + "/" + inner, f.path()});
      }
  }
  if (ec) throw Error(path + ": cannot list the folder (" + ec.message() + ")");
  std::sort(found.begin(), found.end());
  std::vector<NamedBytes> files;
  for (const auto& [name, p] : found) {
    const std::string ext = lower(p.extension().string());
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".bmp") continue;
    if (int64_t(files.size()) >= max_images)
      throw Error(path + " holds more than " + std::to_string(max_images) + " pictures, the most AE Lab takes");
    files.push_back({name, read_file_bytes(p.string(), uint64_t(1) << 28)});
  }
  if (files.empty()) throw Error(path + ": no pictures (.png, .jpg, .jpeg, .bmp) in the folder or its sub-folders");
  return files;
}

template <typename T>
Dataset<T> load_images(const std::string& path, const ImageOptions& o, std::vector<std::string>* classes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<NamedBytes> files;
  if (fs::is_directory(path, ec)) files = read_picture_folder(path, o.max_images);
  else files.push_back({fs::path(path).filename().string(), read_file_bytes(path, uint64_t(1) << 31)});
  return dataset_from_images<T>(files, o, fs::path(path).filename().string(), classes);
}

template Dataset<float> dataset_from_images<float>(const std::vector<NamedBytes>&, const ImageOptions&, const std::string&, std::vector<std::string>*);
template Dataset<double> dataset_from_images<double>(const std::vector<NamedBytes>&, const ImageOptions&, const std::string&, std::vector<std::string>*);
template Dataset<float> load_images<float>(const std::string&, const ImageOptions&, std::vector<std::string>*);
template Dataset<double> load_images<double>(const std::string&, const ImageOptions&, std::vector<std::string>*);

}  // namespace ae
