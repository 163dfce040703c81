// own_data.cpp — the learner's own files (see own_data.h).
#include "own_data.h"

#include "ae/rng.h"
#include "app/i18n.h"

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <numeric>

namespace app {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  if (s.size() < tail.size()) return false;
  for (size_t i = 0; i < tail.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - tail.size() + i])) != tail[i]) return false;
  return true;
}

// "/home/me/data/points.csv" → "points.csv" (the desktop hands over paths; the page, names).
std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_gzip(const ae::NamedBytes& f) { return f.bytes.size() >= 2 && f.bytes[0] == 0x1f && f.bytes[1] == 0x8b; }

bool looks_like_idx(const ae::NamedBytes& f) {
  const auto& b = f.bytes;
  if (b.size() < 8 || b[0] != 0 || b[1] != 0) return false;
  const uint8_t type = b[2];
  const bool known = type == 0x08 || type == 0x09 || type == 0x0B || type == 0x0C || type == 0x0D || type == 0x0E;
  return known && b[3] >= 1 && b[3] <= ae::kIdxMaxDims;
}

// printf into a string (the messages below are whole sentences for the string table).
std::string format(const char* fmt, ...) {
  char text[1024];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(text, sizeof text, fmt, args);
  va_end(args);
  return text;
}

std::string count_text(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A fixed random split: the same file always gives the same training and test samples.
void split(const ae::Dataset<float>& all, OwnData& out) {
  const int n = all.size();
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  ae::Rng rng(20241127);
  for (int i = n - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.next_u64() % uint64_t(i + 1))]);
  const int n_test = std::clamp(n / 6, 2, own_limits::max_test_samples);
  auto take = [&](ae::Dataset<float>& d, int from, int count) {
    d.name = all.name;
    d.image_width = all.image_width;
    d.image_height = all.image_height;
    d.x.resize(all.x.rows(), count);
    for (int i = 0; i < count; ++i) d.x.col(i) = all.x.col(order[size_t(from + i)]);
    if (!all.labels.empty())
      for (int i = 0; i < count; ++i) d.labels.push_back(all.labels[size_t(order[size_t(from + i)])]);
  };
  take(out.test, 0, n_test);
  take(out.train, n_test, n - n_test);
}

// The label column a CSV header names (kCsvLabelFromHeader): its first or last field, by name.
int label_column_from_header(const std::string& text) {
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const std::string line = text.substr(start, text.find('\n', start) - start);
  const char sep = line.find('\t') != std::string::npos ? '\t' : line.find(';') != std::string::npos ? ';' : ',';
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == sep) fields.emplace_back();
    else if (c != '"' && c != '\r' && c != ' ') fields.back() += char(std::tolower(static_cast<unsigned char>(c)));
  }
  auto is_label = [](const std::string& f) { return f == "label" || f == "labels" || f == "class" || f == "target" || f == "digit"; };
  if (fields.size() >= 2 && is_label(fields.back())) return ae::kCsvLastColumn;
  if (fields.size() >= 2 && is_label(fields.front())) return 0;
  return ae::kCsvNoLabel;
}

}  // namespace

const char* file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::model: return "model";
    case FileKind::pictures: return "pictures";
    case FileKind::idx: return "idx";
    case FileKind::lesson: return "lesson";
    case FileKind::csv: return "csv";
  }
  return "?";
}

FileKind file_kind(const ae::NamedBytes& f) {
  const auto& b = f.bytes;
  static const char kModel[] = "AELAB-MODEL\n";
  if (b.size() >= sizeof kModel - 1 && std::memcmp(b.data(), kModel, sizeof kModel - 1) == 0) return FileKind::model;
  if (ae::looks_like_zip(b.data(), b.size()) || ae::looks_like_image(b.data(), b.size())) return FileKind::pictures;
  if (looks_like_idx(f)) return FileKind::idx;
  size_t first = 0;
  if (b.size() >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) first = 3;  // UTF-8 byte-order mark
  while (first < b.size() && std::isspace(b[first])) ++first;
  if (ends_with(f.name, ".json") || (first < b.size() && b[first] == '{')) return FileKind::lesson;
  return FileKind::csv;
}

ae::NamedBytes inflate_if_gzip(const ae::NamedBytes& file) {
  if (!is_gzip(file)) return file;
  ae::NamedBytes out;
  out.name = ends_with(file.name, ".gz") ? file.name.substr(0, file.name.size() - 3) : file.name;
  out.bytes = ae::gunzip(file.bytes.data(), file.bytes.size(), file.name, own_limits::max_file_bytes);
  return out;
}

OwnData read_own_data(const std::vector<ae::NamedBytes>& dropped, const OwnDataOptions& o) {
  if (dropped.empty()) throw ae::Error(tr("no files"));
  std::vector<ae::NamedBytes> files;
  for (const ae::NamedBytes& f : dropped) {
    if (f.bytes.size() > own_limits::max_file_bytes)
      throw ae::Error(format(tr("%s: %s bytes; AE Lab takes files of at most %s bytes"), f.name.c_str(), count_text(f.bytes.size()).c_str(),
                             count_text(own_limits::max_file_bytes).c_str()));
    files.push_back(inflate_if_gzip(f));
  }
  const FileKind kind = file_kind(files[0]);
  for (const ae::NamedBytes& f : files)
    if (file_kind(f) != kind)
      throw ae::Error(format(tr("one data set at a time: %s (%s), %s (%s)"), files[0].name.c_str(), file_kind_name(kind), f.name.c_str(),
                             file_kind_name(file_kind(f))));

  OwnData out;
  out.kind = kind;
  ae::Dataset<float> all;
  if (kind == FileKind::pictures) {
    ae::ImageOptions io;
    io.side = std::clamp(o.image_side, ae::kImageMinSide, 64);
    io.invert = o.invert;
    io.max_images = own_limits::max_samples;
    io.max_dataset_bytes = own_limits::max_data_bytes;
    out.name = files.size() == 1 ? base_name(files[0].name) : format(tr("%d files"), int(files.size()));
    all = ae::dataset_from_images<float>(files, io, out.name, &out.classes);
  } else if (kind == FileKind::idx) {
    if (files.size() > 2) throw ae::Error(tr("IDX: drop one file of images or features, and at most one file of labels"));
    std::vector<ae::IdxArray> arrays;
    for (const ae::NamedBytes& f : files) arrays.push_back(ae::parse_idx(f.bytes.data(), f.bytes.size(), f.name, own_limits::max_file_bytes));
    int images = 0;
    if (arrays.size() == 2 && arrays[0].dims.size() == 1) images = 1;  // the labels came first
    const ae::IdxArray* labels = arrays.size() == 2 ? &arrays[size_t(1 - images)] : nullptr;
    out.name = base_name(files[size_t(images)].name);
    all = ae::dataset_from_idx<float>(arrays[size_t(images)], labels, 0, out.name, 256);
  } else if (kind == FileKind::csv) {
    if (files.size() != 1) throw ae::Error(tr("CSV: drop one table at a time"));
    ae::CsvOptions co;
    const std::string text(files[0].bytes.begin(), files[0].bytes.end());
    co.label_column = o.csv_label_column == kCsvLabelFromHeader ? label_column_from_header(text) : o.csv_label_column;
    out.csv_label_column = co.label_column;
    out.name = base_name(files[0].name);
    all = ae::parse_csv<float>(text, co, out.name);
  } else {
    throw ae::Error(format(tr("%s is not a data file"), files[0].name.c_str()));
  }
  all.name = out.name;
  const char* name = out.name.c_str();
  if (all.size() < own_limits::min_samples)
    throw ae::Error(format(tr("%s: %d samples; AE Lab needs at least %d"), name, all.size(), own_limits::min_samples));
  if (all.size() > own_limits::max_samples)
    throw ae::Error(format(tr("%s: %s samples; AE Lab takes at most %s"), name, count_text(uint64_t(all.size())).c_str(),
                           count_text(own_limits::max_samples).c_str()));
  if (all.n_features() > own_limits::max_features)
    throw ae::Error(format(tr("%s: %s values per sample; AE Lab takes at most %s"), name, count_text(uint64_t(all.n_features())).c_str(),
                           count_text(own_limits::max_features).c_str()));
  if (uint64_t(all.x.size()) * sizeof(float) > own_limits::max_data_bytes)
    throw ae::Error(format(tr("%s: %s values in all; AE Lab takes at most %s"), name, count_text(uint64_t(all.x.size())).c_str(),
                           count_text(own_limits::max_data_bytes / sizeof(float)).c_str()));
  for (int label : all.labels)
    if (label > 255) throw ae::Error(format(tr("%s: labels above 255 (the views colour up to 256 classes)"), name));
  out.samples = all.size();
  split(all, out);
  return out;
}

std::string own_limits_text() {
  char text[512];
  std::snprintf(text, sizeof text, tr("%d to %s samples of at most %s values each, %s values in all; files of at most %d MB"),
                own_limits::min_samples, count_text(own_limits::max_samples).c_str(), count_text(own_limits::max_features).c_str(),
                count_text(own_limits::max_data_bytes / sizeof(float)).c_str(), int(own_limits::max_file_bytes >> 20));
  return text;
}

}  // namespace app
