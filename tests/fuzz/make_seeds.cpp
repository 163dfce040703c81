// make_seeds.cpp — the fuzzers' seed corpora, written from real files and by the engine's own
// writers (scripts/fuzz.sh runs it; nothing here is committed data):
//   idx/             the first images and labels of the real MNIST files (raw and gzip), and small
//                    arrays of every element type the reader knows
//   csv/             toy data sets written as a user's spreadsheet would: header or not, labels,
//                    ',' ';' tab, quotes, CRLF, a byte-order mark
//   model/           every kind of model file serialize_model writes: autoencoders (plain, tied,
//                    k-sparse, denoising, contractive; float32 and float64), a VAE, a classifier
//   url_query/       links the page writes and old ones it still reads
//   own_data/        drops as the page gets them: a CSV with a "label" header, IDX images + labels
//                    (one gzipped), pictures in a zip; files cut apart by "\n--FILE--\n"
//   images/          pictures written by stb_image_write (PNG grey and RGBA, BMP, JPEG), a zip of
//                    two class folders, a gzip file; the first byte picks fuzz_images' reader
// The lesson and worked-example corpora are the files in assets/ (copied by scripts/fuzz.sh).
//
//   make_seeds OUT_DIR [MNIST_DIR]
#include "ae/core.h"
#include "ae/idx.h"
#include "ae/images.h"
#include "ae/mnist.h"
#include "ae/model_io.h"
#include "ae/toy_data.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

namespace {

void write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw ae::Error("cannot write " + path);
}

std::string gzip(const std::string& raw) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw ae::Error("deflateInit2 failed");
  std::string out(deflateBound(&z, uLong(raw.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = uInt(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(&out[0]);
  z.avail_out = uInt(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw ae::Error("deflate failed");
  return out;
}

// An IDX file: header (type, dims) and a payload of prod(dims) elements of `element_size` bytes.
std::string idx_file(uint8_t type, const std::vector<uint32_t>& dims, const std::string& payload) {
  std::string out = {0, 0, char(type), char(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out += char((d >> shift) & 0xFF);
  return out + payload;
}

void idx_seeds(const std::string& dir, const std::string& mnist_dir) {
  // Cuts of the real files: the first 3 images (3, 28, 28) and labels (3), raw and gzip.
  const ae::IdxArray images = ae::read_idx(ae::find_idx_file(mnist_dir, "t10k-images-idx3-ubyte"));
  const ae::IdxArray labels = ae::read_idx(ae::find_idx_file(mnist_dir, "t10k-labels-idx1-ubyte"));
  const std::string cut_images = idx_file(0x08, {3, images.dims[1], images.dims[2]},
                                          std::string(images.data.begin(), images.data.begin() + 3 * 28 * 28));
  const std::string cut_labels = idx_file(0x08, {3}, std::string(labels.data.begin(), labels.data.begin() + 3));
  write(dir + "/mnist-images-3", cut_images);
  write(dir + "/mnist-labels-3", cut_labels);
  write(dir + "/mnist-images-3.gz", gzip(cut_images));
  write(dir + "/mnist-labels-3.gz", gzip(cut_labels));
  // Every element type, big-endian as the format says.
  write(dir + "/int8-3x2", idx_file(0x09, {3, 2}, std::string("\x01\xff\x7f\x80\x00\x05", 6)));
  write(dir + "/int16-2x3", idx_file(0x0B, {2, 3}, std::string("\x00\x01\xff\xff\x7f\xff\x80\x00\x00\x00\x12\x34", 12)));
  write(dir + "/int32-2", idx_file(0x0C, {2}, std::string("\x00\x00\x00\x07\xff\xff\xff\xfe", 8)));
  write(dir + "/float32-2x2x1", idx_file(0x0D, {2, 2, 1}, std::string("\x3f\x80\x00\x00\x00\x00\x00\x00\xbf\x00\x00\x00\x7f\x80\x00\x00", 16)));
  write(dir + "/float64-1", idx_file(0x0E, {1}, std::string("\x3f\xf0\x00\x00\x00\x00\x00\x00", 8)));
  write(dir + "/colour-2x2x2x3", idx_file(0x08, {2, 2, 2, 3}, std::string(24, '\x80')));
}

void csv_seeds(const std::string& dir) {
  ae::Rng rng(7);
  const ae::ToyData<double> spiral = ae::make_toy<double>(ae::toy_from_name("spiral"), 12, 0.05, rng);
  // The first byte of a CSV seed picks the fuzz target's options: bits 0–1 the separator (detect,
  // ',', ';', tab), bits 2–3 the label column (none, last, 0, 1).
  auto table = [&](char sep, bool header, bool labels, const std::string& eol) {
    std::ostringstream out;
    if (header) out << "x" << sep << "\"y\"" << (labels ? std::string(1, sep) + "label" : "") << eol;
    for (Eigen::Index i = 0; i < spiral.points.cols(); ++i) {
      out << spiral.points(0, i) << sep << spiral.points(1, i);
      if (labels) out << sep << (i % 3);
      out << eol;
    }
    return out.str();
  };
  write(dir + "/header-labels-comma", std::string(1, char(0 | 1 << 2)) + table(',', true, true, "\n"));
  write(dir + "/plain-semicolon", std::string(1, char(2)) + table(';', false, false, "\n"));
  write(dir + "/tab-crlf-labels", std::string(1, char(3 | 1 << 2)) + table('\t', true, true, "\r\n"));
  write(dir + "/bom-label-first", std::string(1, char(0 | 2 << 2)) + "\xEF\xBB\xBF" + "label,a,b\n1,0.5,0.25\n0, 1e-3 ,\"2\"\n\n");
  write(dir + "/one-value", std::string(1, char(0)) + "42\n");
}

template <typename T>
ae::Autoencoder<T> toy_autoencoder(bool tied, ae::Activation hidden, uint64_t seed) {
  ae::Architecture arch;
  arch.input_size = 2;
  arch.layers = {{4, hidden}, {1, ae::Activation::linear}, {4, hidden}, {2, ae::Activation::linear}};
  arch.code_layer = 1;
  arch.tied_weights = tied;
  ae::Rng rng(seed);
  return ae::make_autoencoder<T>(arch, ae::Init::glorot_uniform, rng);
}

void model_seeds(const std::string& dir) {
  ae::ModelInfo info;
  info.dataset = "toy:spiral";
  write(dir + "/plain-float32.aelab", ae::serialize_model(toy_autoencoder<float>(false, ae::Activation::tanh, 1), info));
  write(dir + "/tied-float64.aelab", ae::serialize_model(toy_autoencoder<double>(true, ae::Activation::relu, 2), info));
  {
    ae::ModelInfo sparse = info;
    sparse.regularization.sparsity.kind = ae::SparsityKind::top_k;
    sparse.regularization.sparsity.k = 1;
    sparse.loss.kind = ae::LossKind::binary_cross_entropy;
    ae::Autoencoder<float> model = toy_autoencoder<float>(false, ae::Activation::sigmoid, 3);
    model.code_top_k = 1;
    write(dir + "/k-sparse.aelab", ae::serialize_model(model, sparse));
  }
  {
    ae::ModelInfo denoising = info;
    denoising.regularization.corruption.kind = ae::CorruptionKind::masking;
    denoising.regularization.corruption.level = 0.25;
    denoising.regularization.contractive.weight = 1e-3;
    denoising.image_width = 1;
    denoising.image_height = 2;
    write(dir + "/denoising-contractive.aelab", ae::serialize_model(toy_autoencoder<float>(false, ae::Activation::softplus, 4), denoising));
  }
  {
    ae::VaeArchitecture arch;
    arch.input_size = 4;
    arch.encoder_hidden = {{3, ae::Activation::relu}};
    arch.latent_size = 2;
    arch.decoder_hidden = {{3, ae::Activation::relu}};
    ae::Rng rng(5);
    ae::ModelInfo vae = info;
    vae.vae.beta = 0.5;
    write(dir + "/vae.aelab", ae::serialize_model(ae::make_vae<float>(arch, rng), vae));
  }
  {
    ae::Rng rng(6);
    const auto encoders = ae::random_encoders<float>(4, {{3, ae::Activation::sigmoid}, {2, ae::Activation::relu}}, rng);
    ae::ModelInfo classifier = info;
    classifier.pretrained = true;
    write(dir + "/classifier.aelab", ae::serialize_model(ae::make_classifier(encoders, 3, rng), classifier));
  }
}

void url_seeds(const std::string& dir) {
  const char* links[] = {
      "lesson=spiral&seed=7&scale=1.5&theme=light",
      "lesson=4&lang=ko&variant=denoising&corruption=0.25",
      "lesson=mnist-2d-code&seed=1073741824&variant=vae&theme=dark",
      "bench=1&reps=3&mnist=0&unknown=&&=x&lesson",
  };
  int i = 0;
  for (const char* link : links) write(dir + "/link-" + std::to_string(i++), link);
}

void append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), size_t(size));
}

void put16(std::string& b, uint32_t v) { b += char(v & 0xFF), b += char((v >> 8) & 0xFF); }
void put32(std::string& b, uint32_t v) { put16(b, v & 0xFFFF), put16(b, v >> 16); }

// A zip archive of stored entries (as `zip -0` writes it).
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, cd;
  for (const auto& [name, bytes] : entries) {
    const uint32_t offset = uint32_t(out.size());
    const uint32_t crc = ae::crc32(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    put32(out, 0x04034b50u), put16(out, 20), put16(out, 0), put16(out, 0), put32(out, 0), put32(out, crc);
    put32(out, uint32_t(bytes.size())), put32(out, uint32_t(bytes.size())), put16(out, uint32_t(name.size())), put16(out, 0);
    out += name + bytes;
    put32(cd, 0x02014b50u), put16(cd, 20), put16(cd, 20), put16(cd, 0), put16(cd, 0), put32(cd, 0), put32(cd, crc);
    put32(cd, uint32_t(bytes.size())), put32(cd, uint32_t(bytes.size())), put16(cd, uint32_t(name.size()));
    put16(cd, 0), put16(cd, 0), put16(cd, 0), put16(cd, 0), put32(cd, 0), put32(cd, offset);
    cd += name;
  }
  const uint32_t cd_offset = uint32_t(out.size());
  out += cd;
  put32(out, 0x06054b50u), put16(out, 0), put16(out, 0), put16(out, uint32_t(entries.size())), put16(out, uint32_t(entries.size()));
  put32(out, uint32_t(cd.size())), put32(out, cd_offset), put16(out, 0);
  return out;
}

void image_seeds(const std::string& dir) {
  // A 12×9 gradient with a transparent corner, as grey, RGBA, BMP and JPEG.
  std::vector<uint8_t> rgba;
  for (int r = 0; r < 9; ++r)
    for (int c = 0; c < 12; ++c) rgba.insert(rgba.end(), {uint8_t(20 * c), uint8_t(28 * r), 200, uint8_t(r < 3 && c < 3 ? 0 : 255)});
  std::vector<uint8_t> grey;
  for (size_t i = 0; i < rgba.size(); i += 4) grey.push_back(rgba[i]);
  std::string png_rgba, png_grey, bmp, jpg;
  stbi_write_png_to_func(append, &png_rgba, 12, 9, 4, rgba.data(), 12 * 4);
  stbi_write_png_to_func(append, &png_grey, 12, 9, 1, grey.data(), 12);
  stbi_write_bmp_to_func(append, &bmp, 12, 9, 4, rgba.data());
  stbi_write_jpg_to_func(append, &jpg, 12, 9, 4, rgba.data(), 80);
  const std::string zip = stored_zip({{"set/a/1.png", png_grey}, {"set/b/2.png", png_rgba}, {"set/notes.txt", "hello"}});
  // The first byte picks the reader: 0 pictures, 1 zip, 2 gzip.
  write(dir + "/png-rgba", std::string(1, '\0') + png_rgba);
  write(dir + "/png-grey", std::string(1, '\4') + png_grey);
  write(dir + "/bmp", std::string(1, '\0') + bmp);
  write(dir + "/jpeg", std::string(1, '\0') + jpg);
  write(dir + "/zip-pictures", std::string(1, '\0') + zip);
  write(dir + "/zip", std::string(1, '\1') + zip);
  write(dir + "/gzip", std::string(1, '\2') + gzip(png_grey));
  // fuzz_own_data's drops (the first byte: options; files cut apart by "\n--FILE--\n").
  const std::string cut = "\n--FILE--\n", own = dir + "/../own_data";
  mkdir(own.c_str(), 0755);
  std::string csv = "x,y,label\n";
  for (int i = 0; i < 20; ++i) csv += std::to_string(i) + "," + std::to_string(i * i % 7) + "," + std::to_string(i % 3) + "\n";
  write(own + "/csv-label-header", std::string(1, '\0') + csv);
  const std::string images = idx_file(0x08, {14, 2, 3}, std::string(14 * 6, '\x40'));
  const std::string labels = idx_file(0x08, {14}, std::string(14, '\x01'));
  write(own + "/idx-images-labels-gz", std::string(1, '\0') + gzip(images) + cut + labels);
  std::string pictures;
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 12; ++i) entries.push_back({std::string(i % 2 ? "a/" : "b/") + std::to_string(i) + ".png", i % 2 ? png_grey : png_rgba});
  write(own + "/zip-pictures", std::string(1, '\x14') + stored_zip(entries));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_seeds OUT_DIR [MNIST_DIR]\n");
    return 2;
  }
  const std::string out = argv[1];
  try {
    for (const char* target : {"idx", "csv", "model", "url_query", "images"}) mkdir((out + "/" + target).c_str(), 0755);
    idx_seeds(out + "/idx", ae::locate_mnist_dir(argc > 2 ? argv[2] : ""));
    csv_seeds(out + "/csv");
    model_seeds(out + "/model");
    url_seeds(out + "/url_query");
    image_seeds(out + "/images");
  } catch (const ae::Error& e) {
    std::fprintf(stderr, "make_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
