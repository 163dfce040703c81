// fuzz_own_data.cpp — what the page and the desktop app do with a drop of files (app/own_data.h):
// the file kinds, gzip, the CSV header's label column, IDX images with labels, pictures, the
// limits and the split. The input is cut into up to three files at each "\n--FILE--\n"; the first
// byte picks the options (CSV label column, picture side, invert).
#include "fuzz_common.h"

#include "app/own_data.h"

#include <cmath>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  app::OwnDataOptions options;
  constexpr int kColumns[] = {app::kCsvLabelFromHeader, ae::kCsvNoLabel, ae::kCsvLastColumn, 0};
  options.csv_label_column = kColumns[data[0] & 3];
  options.image_side = 8 + 4 * ((data[0] >> 2) & 3);
  options.invert = (data[0] >> 4) & 1;
  std::vector<ae::NamedBytes> files;
  static const char kCut[] = "\n--FILE--\n";
  const size_t cut = sizeof kCut - 1;
  size_t start = 1;
  for (size_t i = 1; i <= size && files.size() < 3; ++i) {
    if (i == size || (i + cut <= size && std::memcmp(data + i, kCut, cut) == 0)) {
      files.push_back({"file" + std::to_string(files.size()), std::vector<uint8_t>(data + start, data + i)});
      start = i + cut;
      i = start - 1;
    }
  }
  for (const ae::NamedBytes& f : files) (void)app::file_kind(f);
  try {
    const app::OwnData d = app::read_own_data(files, options);
    fuzz::require(d.samples >= app::own_limits::min_samples && d.samples <= app::own_limits::max_samples, "samples within the limits");
    fuzz::require(d.train.size() + d.test.size() == d.samples && d.test.size() >= 2, "the split keeps every sample");
    fuzz::require(d.features() >= 1 && d.features() <= app::own_limits::max_features, "features within the limits");
    fuzz::require(d.test.n_features() == d.features(), "both parts have the same features");
    fuzz::require(d.train.labels.empty() == d.test.labels.empty(), "labels in both parts or neither");
    fuzz::require(d.train.labels.empty() || d.train.labels.size() == size_t(d.train.size()), "one label per sample");
    for (int label : d.train.labels) fuzz::require(label >= 0 && label <= 255, "labels 0..255");
    for (Eigen::Index i = 0; i < d.train.x.size(); ++i) fuzz::require(std::isfinite(d.train.x.data()[i]), "finite values");
  } catch (const ae::Error&) {
  }
  return 0;
}
