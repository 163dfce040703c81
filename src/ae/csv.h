// csv.h — a table of numbers, one sample per line, with an optional column of integer labels.
//
// What a user exports from a spreadsheet or numpy (np.savetxt(..., delimiter=",")):
//   x1,x2,x3,label          <- optional header: a first line with a field that is text
//   0.12,0.50,0.33,0
//   0.80,0.10,0.95,1
// - separator: ',' ';' or tab, detected from the first line (tab if it has one, else ';' if it has
//   one, else ','); or set it in CsvOptions. With ';' a decimal comma ("0,5") is NOT accepted:
//   the error says so.
// - every line has the same number of fields (the header too); blank lines are skipped; a field
//   may be wrapped in double quotes; spaces around a field are ignored; a UTF-8 byte-order mark
//   and Windows line ends (\r\n) are fine.
// - every feature field is a finite number; an empty field, text, NaN or Inf is an error naming
//   the line and the column (both counted from 1, as in an editor or a spreadsheet).
// - the label column holds whole numbers >= 0.
// The values are taken as written (no rescaling): a sigmoid decoder can only reach [0, 1], so
// scale the data yourself if it is not already in that range.
//
// Not supported, deliberately: quoted fields containing the separator or a newline, comment lines,
// missing values. This is a reader for numeric tables, not a general CSV library.
#pragma once

#include "idx.h"  // Dataset

#include <string>

namespace ae {

constexpr int kCsvNoLabel = -1;     // label_column: the file has no label column
constexpr int kCsvLastColumn = -2;  // label_column: the last column holds the labels
constexpr uint64_t kCsvMaxBytes = uint64_t(1) << 30;  // 1 GiB of text: far more than a lab data set

struct CsvOptions {
  char separator = 0;              // ',', ';' or '\t'; 0 = detect from the first line
  int label_column = kCsvNoLabel;  // 0-based column index, kCsvNoLabel or kCsvLastColumn
};

// "none" or "" → kCsvNoLabel, "last" → kCsvLastColumn, "0", "1", ... → that 0-based index.
// Anything else is an ae::Error saying what is accepted.
int csv_label_column_from_string(const std::string& text);

// Parse CSV text (e.g. a file dropped on the page). x is (n_features, N): line i of the data is
// column i. labels is filled when options.label_column says there is a label column.
template <typename T>
Dataset<T> parse_csv(const std::string& text, const CsvOptions& options = {},
                     const std::string& name_for_errors = "CSV data");

// Read a CSV file (at most kCsvMaxBytes) and parse it; the Dataset is named after the file.
template <typename T>
Dataset<T> read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace ae
