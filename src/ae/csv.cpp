// csv.cpp — the numeric CSV reader. See csv.h for what is accepted.
//
// One pass over the text. Line i of the data goes to column i of x: the file is row-major
// (N, features), which is exactly the memory of a column-major (features, N) matrix, so the
// values are appended in file order and the matrix is filled with one flat copy.
#include "csv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <string_view>
#include <vector>

namespace ae {

namespace {

std::string base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return trim(s.substr(1, s.size() - 2));
  return s;
}

const char* separator_name(char sep) {
  switch (sep) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
  }
  return "?";
}

// Split a line into trimmed, unquoted fields.
void split_fields(std::string_view line, char sep, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  for (;;) {
    const size_t end = line.find(sep, start);
    fields.push_back(unquote(trim(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start))));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

enum class NumberStatus { ok, empty, not_a_number, not_finite, out_of_range };

// strtod in the "C" locale (the engine never calls setlocale), so the decimal mark is '.'.
// std::from_chars would be locale-proof but libc++ in Emscripten 3.1.6 has no floating-point
// from_chars.
NumberStatus parse_number(std::string_view field, std::string& scratch, double& out) {
  if (field.empty()) return NumberStatus::empty;
  scratch.assign(field.data(), field.size());
  const char* begin = scratch.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0') return NumberStatus::not_a_number;
  if (std::isnan(v)) return NumberStatus::not_finite;
  if (std::isinf(v)) return errno == ERANGE ? NumberStatus::out_of_range : NumberStatus::not_finite;
  out = v;
  return NumberStatus::ok;
}

struct ParsedTable {
  std::vector<double> values;  // (N, n_features) row-major = (n_features, N) column-major
  std::vector<int> labels;
  int n_features = 0;
  int n_rows = 0;
};

ParsedTable parse_table(std::string_view text, const CsvOptions& options, const std::string& name, double max_abs) {
  if (options.separator != 0 && options.separator != ',' && options.separator != ';' && options.separator != '\t')
    throw Error(name + ": the separator must be comma, semicolon or tab");
  if (options.label_column < kCsvLastColumn) throw Error(name + ": invalid label column option");
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM

  ParsedTable t;
  char sep = options.separator;
  int n_fields = 0;         // fields per line, set by the first non-blank line
  int first_line_no = 0;    // the line that set it
  int label_col = -1;       // resolved 0-based label column, or -1
  bool saw_header = false;
  std::vector<std::string_view> fields;
  std::string scratch;
  int line_no = 0;
  size_t pos = 0;
  auto where = [&](int col) { return name + ", line " + std::to_string(line_no) + ", column " + std::to_string(col + 1); };

  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty()) continue;

    if (n_fields == 0) {  // the first non-blank line: separator, field count, header or data
      if (sep == 0) sep = line.find('\t') != std::string_view::npos ? '\t'
                        : line.find(';') != std::string_view::npos  ? ';'
                                                                     : ',';
      split_fields(line, sep, fields);
      n_fields = int(fields.size());
      first_line_no = line_no;
      if (options.label_column == kCsvLastColumn) label_col = n_fields - 1;
      else if (options.label_column >= 0) {
        if (options.label_column >= n_fields)
          throw Error(name + ": the label column is column " + std::to_string(options.label_column + 1) +
                      ", but line " + std::to_string(line_no) + " has only " + std::to_string(n_fields) +
                      " fields (separated by " + separator_name(sep) + ")");
        label_col = options.label_column;
      }
      if (n_fields - (label_col >= 0 ? 1 : 0) < 1)
        throw Error(name + ": the only column is the label column; there are no features left");
      // A header has a field that is text. (An empty field, NaN or Inf on the first line is a
      // data line with a bad value, reported below as such.)
      bool has_text = false;
      double ignored;
      for (std::string_view f : fields) has_text |= parse_number(f, scratch, ignored) == NumberStatus::not_a_number;
      if (has_text) {  // a header line: names, not data
        saw_header = true;
        continue;
      }
    } else {
      split_fields(line, sep, fields);
      if (int(fields.size()) != n_fields)
        throw Error(name + ", line " + std::to_string(line_no) + ": " + std::to_string(fields.size()) +
                    " fields, but line " + std::to_string(first_line_no) + " has " + std::to_string(n_fields) +
                    " (separated by " + separator_name(sep) + "); every line needs the same number of fields");
    }

    for (int c = 0; c < n_fields; ++c) {
      double v = 0;
      const NumberStatus status = parse_number(fields[c], scratch, v);
      const std::string field = "\"" + std::string(fields[c]) + "\"";
      switch (status) {
        case NumberStatus::ok: break;
        case NumberStatus::empty: throw Error(where(c) + ": the field is empty (a missing value?)");
        case NumberStatus::not_finite:
          throw Error(where(c) + ": " + field + " is not a finite number (NaN and Inf are not allowed)");
        case NumberStatus::out_of_range: throw Error(where(c) + ": " + field + " is too large");
        case NumberStatus::not_a_number: {
          std::string hint;
          std::string dotted(fields[c]);
          for (char& ch : dotted)
            if (ch == ',') ch = '.';
          double probe;
          if (sep != ',' && dotted != fields[c] && parse_number(dotted, scratch, probe) == NumberStatus::ok)
            hint = " (a decimal comma? write " + dotted + ")";
          else if (fields[c].find(' ') != std::string_view::npos)
            hint = std::string(" (separated by spaces? the separator here is ") + separator_name(sep) +
                   "; use comma, semicolon or tab)";
          throw Error(where(c) + ": " + field + " is not a number" + hint);
        }
      }
      if (c == label_col) {
        if (v < 0 || v != std::floor(v) || v > double(std::numeric_limits<int>::max()))
          throw Error(where(c) + ": the label " + field + " is not a whole number >= 0");
        t.labels.push_back(int(v));
      } else {
        if (std::fabs(v) > max_abs) throw Error(where(c) + ": " + field + " is too large for single precision");
        t.values.push_back(v);
      }
    }
    ++t.n_rows;
  }
  if (n_fields == 0) throw Error(name + " is empty" + (text.empty() ? "" : " (only blank lines)"));
  if (t.n_rows == 0 && saw_header) throw Error(name + " has a header line but no data lines");
  t.n_features = n_fields - (label_col >= 0 ? 1 : 0);
  return t;
}

}  // namespace

int csv_label_column_from_string(const std::string& text) {
  if (text.empty() || text == "none") return kCsvNoLabel;
  if (text == "last") return kCsvLastColumn;
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (end != text.c_str() && *end == '\0' && errno == 0 && v >= 0 && v < 1'000'000) return int(v);
  throw Error("label column \"" + text + "\": use a column index counted from 0, \"last\" or \"none\"");
}

template <typename T>
Dataset<T> parse_csv(const std::string& text, const CsvOptions& options, const std::string& name_for_errors) {
  Dataset<T> ds;
  try {
    ParsedTable t = parse_table(text, options, name_for_errors, double(std::numeric_limits<T>::max()));
    ds.x.resize(t.n_features, t.n_rows);
    for (size_t j = 0; j < t.values.size(); ++j) ds.x.data()[j] = T(t.values[j]);
    ds.labels = std::move(t.labels);
  } catch (const std::bad_alloc&) {
    throw Error("not enough memory to load " + name_for_errors);
  }
  ds.name = name_for_errors;
  return ds;
}

template <typename T>
Dataset<T> read_csv(const std::string& path, const CsvOptions& options) {
  const std::vector<uint8_t> bytes = read_file_bytes(path, kCsvMaxBytes);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
    throw Error(path + " is gzip-compressed; decompress it first (e.g. `gunzip -k " + base_name(path) + "`)");
  Dataset<T> ds = parse_csv<T>(std::string(bytes.begin(), bytes.end()), options, path);
  ds.name = base_name(path);
  return ds;
}

template Dataset<float> parse_csv<float>(const std::string&, const CsvOptions&, const std::string&);
template Dataset<double> parse_csv<double>(const std::string&, const CsvOptions&, const std::string&);
template Dataset<float> read_csv<float>(const std::string&, const CsvOptions&);
template Dataset<double> read_csv<double>(const std::string&, const CsvOptions&);

}  // namespace ae
