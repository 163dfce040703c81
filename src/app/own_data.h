// own_data.h — the learner's own files, dropped on the window or picked with "Open a file…": what
// each file is, and the data set a drop of data files makes. No ImGui here (the CLI, the unit tests
// and the fuzz targets use it); app_open_files (app.h) puts the result in a scene.
//
// What a file is, by its content first (a name can lie), then by its name:
//   model     "AELAB-MODEL\n" (ae/model_io.h: `aelab train --save`, or "Save model" in the lab)
//   pictures  PNG, JPEG or BMP, or a .zip archive of them (ae/images.h)
//   idx       an IDX array (00 00, a known type, 1–4 dimensions), e.g. MNIST's files
//   lesson    a .json file, or text that starts with '{' (app/lesson.h)
//   csv       any other text: a table of numbers (ae/csv.h)
// A gzip file (1f 8b) is inflated first (within the limits below) and then looked at again: MNIST's
// own train-images-idx3-ubyte.gz opens as it comes.
//
// One drop is one data set: pictures (any number, zips included), or one or two IDX files (the
// images or features, and optionally their labels), or one CSV table. The data set is then split
// once, at random with a fixed seed, into a training part and a test part (a sixth, at most 2,000).
#pragma once

#include "ae/csv.h"
#include "ae/images.h"

#include <cstdint>
#include <string>
#include <vector>

namespace app {

enum class FileKind { model, pictures, idx, lesson, csv };
const char* file_kind_name(FileKind kind);  // "model", "pictures", …
FileKind file_kind(const ae::NamedBytes& file);

// What the lab takes from a file, computed from the page's memory (limits::page_memory_bytes, a
// quarter of it for a file's bytes) and the views' reach; the same in the desktop app so a drop
// behaves the same everywhere. Stated in the "Your data" panel and in every refusal.
namespace own_limits {
constexpr uint64_t max_file_bytes = uint64_t(64) << 20;   // a file, before and after gzip
constexpr int min_samples = 12;                           // 10 to train on, 2 to test on at least
constexpr int max_samples = 60000;                        // MNIST's training set
constexpr int max_features = 4096;                        // 64 × 64 pixels
constexpr int max_test_samples = 2000;
constexpr uint64_t max_data_bytes = uint64_t(48) << 20;   // all values as floats: about the page's MNIST pack
}  // namespace own_limits

// CSV: the label column named by the header — the first or last field is "label", "labels",
// "class", "target" or "digit" (any case) — else none. The panel then shows what was chosen.
constexpr int kCsvLabelFromHeader = -3;

struct OwnDataOptions {
  int image_side = 28;                  // pictures are resized to side × side
  bool invert = false;                  // pictures: dark strokes on a light page → light on dark
  int csv_label_column = kCsvLabelFromHeader;  // CSV: which column holds the labels (or ae::kCsvNoLabel, …)
};

struct OwnData {
  ae::Dataset<float> train, test;       // the split (same image shape and name)
  std::vector<std::string> classes;     // pictures in class folders: the folder names
  FileKind kind = FileKind::csv;        // what it was read from
  std::string name;                     // the file's name, or "3 pictures", …
  int samples = 0;                      // before the split
  int csv_label_column = ae::kCsvNoLabel;  // CSV: the label column used (kCsvLabelFromHeader resolved)
  bool has_labels() const { return !train.labels.empty(); }
  int features() const { return int(train.x.rows()); }
  bool is_image() const { return train.image_width > 0 && train.image_height > 0; }
};

// Inflates a gzip file (ae::gunzip, capped at own_limits::max_file_bytes); other bytes pass as they are.
ae::NamedBytes inflate_if_gzip(const ae::NamedBytes& file);

// Reads a drop of data files (none of them a model or a lesson) into a split data set, or throws
// ae::Error with the reader's own message (line and column, entry, byte offset) or a limit.
OwnData read_own_data(const std::vector<ae::NamedBytes>& files, const OwnDataOptions& options);

// The limits as one sentence for the panel and the refusals.
std::string own_limits_text();

}  // namespace app
