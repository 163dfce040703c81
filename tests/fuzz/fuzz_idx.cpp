// fuzz_idx.cpp — the IDX reader (raw and gzip) and the step that turns its array into a data set,
// as the page does with the MNIST pack and as `aelab --data idx:` does with a user's file.
// Seeds: scripts/fuzz.sh (cuts of the real MNIST files, other element types, gzip).
#include "fuzz_common.h"

#include "ae/idx.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A cap far below the 2 GiB default keeps the fuzzer's memory bounded; the checks are the same.
  constexpr uint64_t kMaxBytes = uint64_t(16) << 20;
  try {
    const ae::IdxArray a = ae::parse_idx(data, size, "fuzz.idx", kMaxBytes);
    fuzz::require(!a.dims.empty() && a.dims.size() <= size_t(ae::kIdxMaxDims), "dims within 1..4");
    fuzz::require(a.data.size() == a.count() * a.element_size(), "data holds prod(dims) elements");
    fuzz::require(a.data.size() <= kMaxBytes, "data within the cap");
    double sum = 0;
    for (size_t i = 0; i < a.count(); i += 1 + a.count() / 64) sum += a.value(i);
    (void)sum;
    // As images without labels, and as its own labels (a 1-D uint8 array is a labels file).
    const ae::Dataset<float> d = ae::dataset_from_idx<float>(a, nullptr, 0, "fuzz");
    fuzz::require(d.size() == int(a.dims[0]), "one sample per entry of dims[0]");
    for (Eigen::Index i = 0; i < d.x.size(); ++i) fuzz::require(std::isfinite(d.x.data()[i]), "finite pixels");
    const ae::Dataset<float> labelled = ae::dataset_from_idx<float>(a, &a, 3, "fuzz");
    fuzz::require(labelled.labels.size() == size_t(labelled.size()), "one label per sample");
  } catch (const ae::Error&) {
  }
  return 0;
}
