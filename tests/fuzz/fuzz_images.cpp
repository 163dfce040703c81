// fuzz_images.cpp — the user's own pictures (ae/images.h): PNG, JPEG and BMP through
// stb_image, zip archives and gzip files through its inflater. The first byte picks the reader:
//   0  dataset_from_images on one file (a picture or a zip of pictures), side 8, invert or not
//   1  read_zip, every entry inflated and CRC-checked
//   2  gunzip, capped at 1 MiB
// Limits are small so that each input runs in milliseconds: 1 megapixel per picture, 64 pictures.
#include "fuzz_common.h"

#include "ae/images.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 3;
  const bool invert = (data[0] >> 2) & 1;
  ++data, --size;
  try {
    if (mode == 0) {
      ae::ImageOptions o;
      o.side = 8;
      o.invert = invert;
      o.max_images = 64;
      o.max_pixels = uint64_t(1) << 20;
      std::vector<std::string> classes;
      const ae::Dataset<float> d = ae::dataset_from_images<float>({{"fuzz", std::vector<uint8_t>(data, data + size)}}, o, "fuzz", &classes);
      fuzz::require(d.size() > 0 && d.n_features() == 64, "pictures of side 8");
      fuzz::require(d.image_width == 8 && d.image_height == 8, "the image shape is set");
      for (Eigen::Index i = 0; i < d.x.size(); ++i) fuzz::require(d.x.data()[i] >= 0.0f && d.x.data()[i] <= 1.0f, "pixels in [0, 1]");
      fuzz::require(d.labels.empty() || d.labels.size() == size_t(d.size()), "one label per picture");
      for (int label : d.labels) fuzz::require(label >= 0 && size_t(label) < classes.size(), "labels index the classes");
    } else if (mode == 1) {
      for (const ae::NamedBytes& e : ae::read_zip(data, size, "fuzz.zip", uint64_t(1) << 24))
        fuzz::require(ae::crc32(e.bytes.data(), e.bytes.size()) == ae::crc32(e.bytes.data(), e.bytes.size()), "entries readable");
    } else {
      const std::vector<uint8_t> out = ae::gunzip(data, size, "fuzz.gz", uint64_t(1) << 20);
      fuzz::require(out.size() <= (size_t(1) << 20), "gunzip stays within its cap");
    }
  } catch (const ae::Error&) {
  }
  return 0;
}
