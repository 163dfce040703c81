// fuzz_csv.cpp — the CSV reader (`aelab --data csv:`, and files dropped on the page). The first byte
// picks the options (separator, label column) so that every combination is reached.
#include "fuzz_common.h"

#include "ae/csv.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ae::CsvOptions options;
  constexpr char kSeparators[] = {0, ',', ';', '\t'};
  options.separator = kSeparators[data[0] & 3];
  const int label_choice = (data[0] >> 2) & 3;
  options.label_column = label_choice == 0 ? ae::kCsvNoLabel : label_choice == 1 ? ae::kCsvLastColumn : label_choice - 2;
  const std::string text = fuzz::text_of(data + 1, size - 1);
  try {
    const ae::Dataset<double> d = ae::parse_csv<double>(text, options, "fuzz.csv");
    fuzz::require(d.size() > 0 && d.n_features() > 0, "a parsed table has samples and features");
    for (Eigen::Index i = 0; i < d.x.size(); ++i) fuzz::require(std::isfinite(d.x.data()[i]), "finite values");
    fuzz::require(d.labels.empty() || d.labels.size() == size_t(d.size()), "one label per sample");
    for (int label : d.labels) fuzz::require(label >= 0, "labels >= 0");
  } catch (const ae::Error&) {
  }
  try {
    (void)ae::csv_label_column_from_string(text.substr(0, 32));
  } catch (const ae::Error&) {
  }
  return 0;
}
