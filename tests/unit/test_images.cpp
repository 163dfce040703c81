// The user's own pictures (ae/images.h): PNG decoding, the centred square, grey, resizing,
// inverting, labels from class folders, zip archives (stored and deflate) and gzip, and every
// refusal. Pictures are made here with stb_image_write (Debian's libstb-dev), archives by hand.
#include "ae/images.h"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

using namespace ae;

namespace {

using Bytes = std::vector<uint8_t>;

// An RGBA picture as PNG bytes.
Bytes png(int w, int h, const std::vector<uint8_t>& rgba) {
  Bytes out;
  stbi_write_png_to_func([](void* ctx, void* data, int size) {
    auto* o = static_cast<Bytes*>(ctx);
    o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  }, &out, w, h, 4, rgba.data(), w * 4);
  return out;
}

// One colour all over.
Bytes flat_png(int w, int h, uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
  std::vector<uint8_t> rgba;
  for (int i = 0; i < w * h; ++i) rgba.insert(rgba.end(), {r, g, b, a});
  return png(w, h, rgba);
}

void put16(Bytes& b, uint32_t v) { b.push_back(uint8_t(v)), b.push_back(uint8_t(v >> 8)); }
void put32(Bytes& b, uint32_t v) { put16(b, v & 0xFFFF), put16(b, v >> 16); }

// A zip archive of stored (uncompressed) entries, as `zip -0` writes it.
Bytes stored_zip(const std::vector<NamedBytes>& entries) {
  Bytes out, directory;
  for (const NamedBytes& e : entries) {
    const uint32_t offset = uint32_t(out.size()), crc = crc32(e.bytes.data(), e.bytes.size());
    put32(out, 0x04034b50u), put16(out, 20), put16(out, 0), put16(out, 0), put32(out, 0), put32(out, crc);
    put32(out, uint32_t(e.bytes.size())), put32(out, uint32_t(e.bytes.size())), put16(out, uint16_t(e.name.size())), put16(out, 0);
    out.insert(out.end(), e.name.begin(), e.name.end());
    out.insert(out.end(), e.bytes.begin(), e.bytes.end());
    put32(directory, 0x02014b50u), put16(directory, 20), put16(directory, 20), put16(directory, 0), put16(directory, 0);
    put32(directory, 0), put32(directory, crc), put32(directory, uint32_t(e.bytes.size())), put32(directory, uint32_t(e.bytes.size()));
    put16(directory, uint16_t(e.name.size())), put16(directory, 0), put16(directory, 0), put16(directory, 0), put16(directory, 0);
    put32(directory, 0), put32(directory, offset);
    directory.insert(directory.end(), e.name.begin(), e.name.end());
  }
  const uint32_t cd_offset = uint32_t(out.size());
  out.insert(out.end(), directory.begin(), directory.end());
  put32(out, 0x06054b50u), put16(out, 0), put16(out, 0), put16(out, uint16_t(entries.size())), put16(out, uint16_t(entries.size()));
  put32(out, uint32_t(directory.size())), put32(out, cd_offset), put16(out, 0);
  return out;
}

// Python's zipfile, ZIP_DEFLATED: "notes/readme.txt" = "autoencoder " × 20 (240 bytes, 17 compressed)
// and a folder entry "empty/".
const Bytes kDeflateZip = {
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x8f, 0x3a, 0x7b, 0x5d, 0x4f, 0xa0, 0x2c, 0xb9, 0x11, 0x00, 0x00, 0x00,
    0xf0, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x6e, 0x6f, 0x74, 0x65, 0x73, 0x2f, 0x72, 0x65, 0x61, 0x64, 0x6d, 0x65, 0x2e, 0x74,
    0x78, 0x74, 0x4b, 0x2c, 0x2d, 0xc9, 0x4f, 0xcd, 0x4b, 0xce, 0x4f, 0x49, 0x2d, 0x52, 0x48, 0x1c, 0x01, 0x6c, 0x00, 0x50, 0x4b, 0x03,
    0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x8f, 0x3a, 0x7b, 0x5d, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x06, 0x00, 0x00, 0x00, 0x65, 0x6d, 0x70, 0x74, 0x79, 0x2f, 0x03, 0x00, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00,
    0x00, 0x08, 0x00, 0x8f, 0x3a, 0x7b, 0x5d, 0x4f, 0xa0, 0x2c, 0xb9, 0x11, 0x00, 0x00, 0x00, 0xf0, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6e, 0x6f, 0x74, 0x65, 0x73, 0x2f, 0x72,
    0x65, 0x61, 0x64, 0x6d, 0x65, 0x2e, 0x74, 0x78, 0x74, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x8f,
    0x3a, 0x7b, 0x5d, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x10, 0x00, 0xfd, 0x41, 0x3f, 0x00, 0x00, 0x00, 0x65, 0x6d, 0x70, 0x74, 0x79, 0x2f, 0x50, 0x4b, 0x05, 0x06, 0x00,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x72, 0x00, 0x00, 0x00, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00};
constexpr size_t kDeflateZipUsize = 101 + 24;  // the first central-directory entry's uncompressed size

// Python's gzip.compress(b"autoencoder " * 20, mtime=0).
const Bytes kGzip = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0x2c, 0x2d, 0xc9, 0x4f, 0xcd, 0x4b, 0xce,
                     0x4f, 0x49, 0x2d, 0x52, 0x48, 0x1c, 0x01, 0x6c, 0x00, 0x4f, 0xa0, 0x2c, 0xb9, 0xf0, 0x00, 0x00, 0x00};

std::string repeated_text() {
  std::string s;
  for (int i = 0; i < 20; ++i) s += "autoencoder ";
  return s;
}

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("images") {
  TEST_CASE("a picture: the centred square, grey by luminance, resized, alpha over black, inverted") {
    // 30 wide, 20 high: left third red, middle white, right third blue. The centred 20×20 square
    // starts at column 5, so it holds 5 red columns, 10 white, 5 blue.
    std::vector<uint8_t> rgba;
    for (int r = 0; r < 20; ++r)
      for (int c = 0; c < 30; ++c) {
        if (c < 10) rgba.insert(rgba.end(), {255, 0, 0, 255});
        else if (c < 20) rgba.insert(rgba.end(), {255, 255, 255, 255});
        else rgba.insert(rgba.end(), {0, 0, 255, 255});
      }
    ImageOptions o;
    o.side = 20;  // no resizing: the values are exactly stb's luminance
    const Dataset<float> d = dataset_from_images<float>({{"flag.png", png(30, 20, rgba)}}, o, "flag");
    REQUIRE(d.x.rows() == 400);
    REQUIRE(d.x.cols() == 1);
    CHECK(d.image_width == 20);
    CHECK(d.image_height == 20);
    CHECK(d.labels.empty());
    CHECK(d.x(0, 0) == doctest::Approx(77.0 * 255 / 256 / 255).epsilon(0.01));   // red: 0.299-ish
    CHECK(d.x(7, 0) == doctest::Approx(1.0).epsilon(0.01));                        // white
    CHECK(d.x(19, 0) == doctest::Approx(29.0 * 255 / 256 / 255).epsilon(0.05));   // blue: 0.114-ish
    // Resized to 10 × 10: still in [0, 1], still white in the middle.
    o.side = 10;
    const Dataset<float> small = dataset_from_images<float>({{"flag.png", png(30, 20, rgba)}}, o, "flag");
    CHECK(small.x.rows() == 100);
    CHECK(small.x.minCoeff() >= 0.0f);
    CHECK(small.x.maxCoeff() <= 1.0f);
    CHECK(small.x(4 * 10 + 5, 0) == doctest::Approx(1.0).epsilon(0.02));
    // A transparent picture is black (over black); inverted, white.
    o.side = 8;
    const Dataset<float> clear = dataset_from_images<float>({{"clear.png", flat_png(8, 8, 255, 255, 255, 0)}}, o, "clear");
    CHECK(clear.x.maxCoeff() == 0.0f);
    o.invert = true;
    const Dataset<float> inverted = dataset_from_images<float>({{"clear.png", flat_png(8, 8, 255, 255, 255, 0)}}, o, "clear");
    CHECK(inverted.x.minCoeff() == 1.0f);
  }

  TEST_CASE("a PNG with empty IDAT chunks reads as without them (stb 2.27 copied them into a null buffer)") {
    std::vector<uint8_t> rgba;
    for (int i = 0; i < 12 * 9; ++i) rgba.insert(rgba.end(), {uint8_t(20 * (i % 12)), uint8_t(i), 90, 255});
    const Bytes plain = png(12, 9, rgba);
    // After the signature (8 bytes) comes IHDR (12 + 13 bytes); an empty IDAT before everything else.
    const uint8_t empty_idat[12] = {0, 0, 0, 0, 'I', 'D', 'A', 'T', 0x35, 0xAF, 0x06, 0x1E};  // CRC-32 of "IDAT"
    Bytes with_empty(plain.begin(), plain.begin() + 33);
    with_empty.insert(with_empty.end(), empty_idat, empty_idat + 12);
    with_empty.insert(with_empty.end(), plain.begin() + 33, plain.end());
    CHECK(crc32(reinterpret_cast<const uint8_t*>("IDAT"), 4) == 0x35AF061Eu);
    ImageOptions o;
    o.side = 9;
    const Dataset<float> a = dataset_from_images<float>({{"a.png", plain}}, o, "a");
    const Dataset<float> b = dataset_from_images<float>({{"b.png", with_empty}}, o, "b");
    CHECK(a.x == b.x);
    // The fuzzer's input: an empty IDAT first, then a corrupt one: refused with a message.
    const uint8_t found[] = {0x89, 0x50, 0x4e, 0x47, 0xd, 0xa, 0x1a, 0xa, 0x0, 0x0, 0x0, 0xd, 0x49, 0x48, 0x44, 0x52, 0x0, 0x0, 0x0, 0xc, 0x0,
                             0x0, 0x0, 0x9, 0x8, 0x6, 0x0, 0x0, 0x0, 0x6, 0xb8, 0xcd, 0x54, 0x0, 0x0, 0x0, 0x0, 0x49, 0x44, 0x41, 0x54, 0xc5,
                             0xa, 0xfa, 0x38, 0x89, 0x61, 0x70, 0x38, 0x9, 0x0, 0x62, 0x3d, 0x71, 0x4, 0xa4, 0x9b, 0x1d, 0x28, 0xca, 0x40, 0x0,
                             0x0, 0x0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    CHECK_THROWS_AS(dataset_from_images<float>({{"found.png", Bytes(found, found + sizeof found)}}, o, "found"), Error);
  }

  TEST_CASE("labels come from class folders, in a zip or loose; not when a picture has no folder") {
    const Bytes dark = flat_png(6, 6, 0, 0, 0), light = flat_png(6, 6, 255, 255, 255);
    ImageOptions o;
    o.side = 6;
    std::vector<std::string> classes;
    const Bytes zip = stored_zip({{"set/dogs/1.png", light}, {"set/cats/1.png", dark}, {"set/cats/2.png", dark}, {"set/README.txt", {'h', 'i'}}});
    const Dataset<float> d = dataset_from_images<float>({{"set.zip", zip}}, o, "set", &classes);
    REQUIRE(d.size() == 3);
    CHECK(classes == std::vector<std::string>{"cats", "dogs"});
    CHECK(d.labels == std::vector<int>{1, 0, 0});  // the archive's order; classes sorted by name
    CHECK(d.x(0, 0) == 1.0f);
    CHECK(d.x(0, 1) == 0.0f);
    // Loose files with one picture outside any folder: no labels at all.
    const Dataset<float> mixed = dataset_from_images<float>({{"a/1.png", light}, {"2.png", dark}}, o, "mixed", &classes);
    CHECK(mixed.labels.empty());
    CHECK(classes.empty());
    // All in one folder: no labels either.
    const Dataset<float> one = dataset_from_images<float>({{"a/1.png", light}, {"a/2.png", dark}}, o, "one", &classes);
    CHECK(one.labels.empty());
  }

  TEST_CASE("a folder on disk, one level of class folders") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("aelab-images-" + std::to_string(long(getpid())));
    fs::remove_all(dir);
    fs::create_directories(dir / "zero");
    fs::create_directories(dir / "one");
    auto write = [](const fs::path& p, const Bytes& b) {
      std::FILE* f = std::fopen(p.string().c_str(), "wb");
      REQUIRE(f);
      std::fwrite(b.data(), 1, b.size(), f);
      std::fclose(f);
    };
    write(dir / "zero" / "a.png", flat_png(5, 5, 0, 0, 0));
    write(dir / "one" / "b.PNG", flat_png(5, 5, 255, 255, 255));
    write(dir / "one" / "notes.txt", {'x'});
    std::vector<std::string> classes;
    ImageOptions o;
    o.side = 5;
    const Dataset<float> d = load_images<float>(dir.string(), o, &classes);
    CHECK(d.size() == 2);
    CHECK(classes == std::vector<std::string>{"one", "zero"});
    CHECK(d.labels == std::vector<int>{0, 1});  // sorted by path: one/b.PNG, zero/a.png
    fs::remove_all(dir);
    CHECK(contains(error_of([&] { load_images<float>(dir.string(), o); }), "file not found"));
  }

  TEST_CASE("zip archives: deflate entries, folders skipped, CRC and size checked") {
    const std::vector<NamedBytes> entries = read_zip(kDeflateZip.data(), kDeflateZip.size(), "notes.zip");
    REQUIRE(entries.size() == 1);  // the folder "empty/" is not a file
    CHECK(entries[0].name == "notes/readme.txt");
    CHECK(std::string(entries[0].bytes.begin(), entries[0].bytes.end()) == repeated_text());
    // The central directory says 100 bytes, the data inflate to 240: stopped at the buffer's end.
    Bytes bomb = kDeflateZip;
    bomb[kDeflateZipUsize] = 100;
    CHECK(contains(error_of([&] { read_zip(bomb.data(), bomb.size(), "bomb.zip"); }), "inflate to more than the 100 bytes declared"));
    // A total over the cap is refused before inflating.
    CHECK(contains(error_of([&] { read_zip(kDeflateZip.data(), kDeflateZip.size(), "notes.zip", 200); }), "more than 200 bytes"));
    // A flipped byte in the compressed data: corrupt data or a CRC mismatch, never silence.
    Bytes flipped = kDeflateZip;
    flipped[50] ^= 0x20;
    const std::string msg = error_of([&] { read_zip(flipped.data(), flipped.size(), "flipped.zip"); });
    CHECK((contains(msg, "CRC-32") || contains(msg, "corrupt") || contains(msg, "inflate to")));
    // Truncated: no end record.
    CHECK(contains(error_of([&] { read_zip(kDeflateZip.data(), 120, "cut.zip"); }), "truncated"));
    // Encrypted.
    Bytes locked = stored_zip({{"a.png", flat_png(4, 4, 1, 2, 3)}});
    const size_t cd = locked.size() - 22 - 46 - 5;
    locked[cd + 8] |= 1;
    CHECK(contains(error_of([&] { read_zip(locked.data(), locked.size(), "locked.zip"); }), "encrypted"));
  }

  TEST_CASE("gzip: inflated with its CRC and length checked, capped before inflating") {
    const Bytes out = gunzip(kGzip.data(), kGzip.size(), "notes.gz", 1000);
    CHECK(std::string(out.begin(), out.end()) == repeated_text());
    CHECK(contains(error_of([&] { gunzip(kGzip.data(), kGzip.size(), "notes.gz", 100); }), "more than the 100"));
    Bytes bad_crc = kGzip;
    bad_crc[kGzip.size() - 8] ^= 1;
    CHECK(contains(error_of([&] { gunzip(bad_crc.data(), bad_crc.size(), "bad.gz", 1000); }), "CRC-32"));
    Bytes lying = kGzip;
    lying[kGzip.size() - 4] = 10;  // says 10 bytes, inflates to 240
    CHECK(contains(error_of([&] { gunzip(lying.data(), lying.size(), "lying.gz", 1000); }), "declared"));
    CHECK(contains(error_of([&] { gunzip(kGzip.data(), 5, "short.gz", 1000); }), "not a gzip file"));
  }

  TEST_CASE("gzip round trips of every length: a stream may end exactly where its data end") {
    // stb_image_write's deflate wrapped as gzip (header, raw deflate, CRC-32, length), for 1..400
    // bytes of mixed data: whatever bit the last block ends on, the file inflates back.
    int failures = 0;
    for (int n = 1; n <= 400; ++n) {
      std::vector<uint8_t> data(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) data[size_t(i)] = uint8_t((i * 7 + (i / 13) * 31) % (i % 5 == 0 ? 251 : 10));
      int zlib_len = 0;
      unsigned char* z = stbi_zlib_compress(data.data(), n, &zlib_len, 8);
      REQUIRE(z != nullptr);
      Bytes gz = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
      gz.insert(gz.end(), z + 2, z + zlib_len - 4);  // raw deflate: no zlib header, no Adler-32
      STBIW_FREE(z);
      const uint32_t crc = crc32(data.data(), data.size());
      for (uint32_t v : {crc, uint32_t(n)}) put32(gz, v);
      try {
        if (gunzip(gz.data(), gz.size(), "x.gz", 1000) != data) ++failures;
      } catch (const Error&) {
        ++failures;
      }
    }
    CHECK(failures == 0);
  }

  TEST_CASE("refusals: not a picture, too many, too large, a corrupt picture, a bad side") {
    ImageOptions o;
    o.side = 8;
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"data.csv", {'1', ',', '2'}}}, o, "x"); }),
                   "data.csv is not a picture"));
    o.max_images = 1;
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"a.png", flat_png(4, 4, 0, 0, 0)}, {"b.png", flat_png(4, 4, 0, 0, 0)}}, o, "two"); }),
                   "two holds 2 pictures; AE Lab takes at most 1"));
    o.max_images = 100;
    o.max_pixels = 15;
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"big.png", flat_png(4, 4, 0, 0, 0)}}, o, "x"); }), "big.png is 4 × 4 pixels"));
    o.max_pixels = 1 << 20;
    Bytes broken = flat_png(16, 16, 9, 9, 9);
    broken.resize(broken.size() / 2);
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"broken.png", broken}}, o, "x"); }), "broken.png"));
    o.side = 3;
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"a.png", flat_png(4, 4, 0, 0, 0)}}, o, "x"); }), "outside 4..128"));
    o.side = 128;
    o.max_dataset_bytes = 1000;
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"a.png", flat_png(4, 4, 0, 0, 0)}}, o, "x"); }), "use fewer pictures or a smaller side"));
    CHECK(contains(error_of([&] { dataset_from_images<float>({{"empty.zip", stored_zip({{"a.txt", {'a'}}})}}, o, "empty"); }),
                   "no pictures found (1 other files were skipped)"));
  }
}
