// The learner's own files (app/own_data.h) and saved models in the scenes (settings_of_model):
// what a dropped file is, the data set a drop makes and its split, every limit, and a model file →
// the panel's settings → the same network.
#include "app/own_data.h"
#include "app/scene_settings.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace app;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes text_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A gzip file of one stored (uncompressed) deflate block, as `gzip` could write it.
Bytes gzip_stored(const Bytes& data) {
  Bytes out = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1};
  const uint16_t n = uint16_t(data.size());
  for (uint16_t v : {n, uint16_t(~n)}) out.push_back(uint8_t(v)), out.push_back(uint8_t(v >> 8));
  out.insert(out.end(), data.begin(), data.end());
  const uint32_t crc = ae::crc32(data.data(), data.size());
  for (uint32_t v : {crc, uint32_t(data.size())})
    for (int k = 0; k < 4; ++k) out.push_back(uint8_t(v >> (8 * k)));
  return out;
}

// An IDX array of uint8 with the given dims and values 0, 1, 2, …
Bytes idx(const std::vector<uint32_t>& dims, int modulo = 256) {
  Bytes out = {0, 0, 0x08, uint8_t(dims.size())};
  size_t count = 1;
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(d >> shift));
    count *= d;
  }
  for (size_t i = 0; i < count; ++i) out.push_back(uint8_t(i % size_t(modulo)));
  return out;
}

std::string points_csv(int n, bool labels) {
  std::string s = labels ? "x,y,class\n" : "";
  for (int i = 0; i < n; ++i) s += std::to_string(i) + "," + std::to_string(2 * i) + (labels ? "," + std::to_string(i % 3) : "") + "\n";
  return s;
}

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const ae::Error& e) {
    return e.what();
  }
  return "(no error)";
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("own_data") {
  TEST_CASE("what a file is: by content first, then by name") {
    CHECK(file_kind({"m.bin", text_bytes("AELAB-MODEL\n{}")}) == FileKind::model);
    CHECK(file_kind({"a.png", {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}}) == FileKind::pictures);
    CHECK(file_kind({"a.zip", {'P', 'K', 3, 4}}) == FileKind::pictures);
    CHECK(file_kind({"train-images-idx3-ubyte", idx({2, 2, 2})}) == FileKind::idx);
    CHECK(file_kind({"lesson.json", text_bytes("[]")}) == FileKind::lesson);
    CHECK(file_kind({"noname", text_bytes("  \n{\"id\": 1}")}) == FileKind::lesson);
    CHECK(file_kind({"table.txt", text_bytes("1,2\n3,4\n")}) == FileKind::csv);
    // A gzip file is looked at after inflating: IDX inside.
    CHECK(file_kind(inflate_if_gzip({"t.gz", gzip_stored(idx({3, 2}))})) == FileKind::idx);
    CHECK(inflate_if_gzip({"t.gz", gzip_stored(idx({3, 2}))}).name == "t");
  }

  TEST_CASE("a CSV table: labels as chosen, a fixed random split, the same every time") {
    OwnDataOptions o;
    o.csv_label_column = ae::kCsvLastColumn;
    const OwnData d = read_own_data({{"points.csv", text_bytes(points_csv(60, true))}}, o);
    CHECK(d.kind == FileKind::csv);
    CHECK(d.samples == 60);
    CHECK(d.features() == 2);
    CHECK(d.test.size() == 10);  // a sixth
    CHECK(d.train.size() == 50);
    CHECK(d.has_labels());
    CHECK(!d.is_image());
    // Every sample once, its label with it (class = row % 3, x = row).
    std::vector<int> seen(60, 0);
    for (const ae::Dataset<float>* part : {&d.train, &d.test})
      for (int i = 0; i < part->size(); ++i) {
        const int row = int(part->x(0, i));
        CHECK(part->x(1, i) == float(2 * row));
        CHECK(part->labels[size_t(i)] == row % 3);
        ++seen[size_t(row)];
      }
    CHECK(std::count(seen.begin(), seen.end(), 1) == 60);
    const OwnData again = read_own_data({{"points.csv", text_bytes(points_csv(60, true))}}, o);
    CHECK(again.test.x == d.test.x);
    // By default the header names the label column ("class" last here; "Label" first below).
    const OwnData named = read_own_data({{"points.csv", text_bytes(points_csv(60, true))}}, {});
    CHECK(named.csv_label_column == ae::kCsvLastColumn);
    CHECK(named.features() == 2);
    CHECK(named.test.labels == d.test.labels);
    std::string first = "Label;a;b;c\n";
    for (int i = 0; i < 20; ++i) first += std::to_string(i % 2) + ";1;2;3\n";
    const OwnData labelled_first = read_own_data({{"f.csv", text_bytes(first)}}, {});
    CHECK(labelled_first.csv_label_column == 0);
    CHECK(labelled_first.features() == 3);
    const OwnData unnamed = read_own_data({{"u.csv", text_bytes(points_csv(20, false))}}, {});
    CHECK(unnamed.csv_label_column == ae::kCsvNoLabel);
    CHECK(!unnamed.has_labels());
    // The header's text in a label column that is not chosen: the reader's own message.
    o.csv_label_column = ae::kCsvNoLabel;
    CHECK(contains(error_of([&] { read_own_data({{"points.csv", text_bytes("1,2\n3,x\n")}}, o); }), "line 2"));
  }

  TEST_CASE("IDX images and labels, gzipped or not, in either order") {
    const Bytes images = idx({20, 4, 3}), labels = idx({20}, 5);
    const OwnData d = read_own_data({{"labels.idx", labels}, {"images.idx.gz", gzip_stored(images)}}, {});
    CHECK(d.kind == FileKind::idx);
    CHECK(d.name == "images.idx");
    CHECK(d.features() == 12);
    CHECK(d.is_image());
    CHECK(d.train.image_width == 3);
    CHECK(d.train.image_height == 4);
    CHECK(d.has_labels());
    CHECK(d.train.size() + d.test.size() == 20);
    CHECK(contains(error_of([&] { read_own_data({{"a", images}, {"b", labels}, {"c", labels}}, {}); }), "at most one file of labels"));
  }

  TEST_CASE("every limit, stated with the numbers") {
    CHECK(contains(error_of([&] { read_own_data({{"few.csv", text_bytes(points_csv(5, false))}}, {}); }),
                   "few.csv: 5 samples; AE Lab needs at least 12"));
    std::string wide;
    for (int r = 0; r < 12; ++r) {
      for (int c = 0; c < 4097; ++c) wide += c ? ",0" : "0";
      wide += "\n";
    }
    CHECK(contains(error_of([&] { read_own_data({{"wide.csv", text_bytes(wide)}}, {}); }), "4,097 values per sample; AE Lab takes at most 4,096"));
    CHECK(contains(error_of([&] { read_own_data({{"a.csv", text_bytes(points_csv(20, false))}, {"b.idx", idx({20, 2})}}, {}); }),
                   "one data set at a time"));
    ae::NamedBytes huge{"huge.csv", Bytes(size_t(own_limits::max_file_bytes) + 1, '1')};
    CHECK(contains(error_of([&] { read_own_data({huge}, {}); }), "AE Lab takes files of at most 67,108,864 bytes"));
    // A gzip bomb: the trailer's size over the file limit is refused before inflating.
    Bytes bomb = gzip_stored(text_bytes("1,2\n"));
    bomb[bomb.size() - 1] = 0x7f;
    CHECK(contains(error_of([&] { read_own_data({{"bomb.csv.gz", bomb}}, {}); }), "inflates to"));
    CHECK(!own_limits_text().empty());
  }

  TEST_CASE("a saved model gives back the panel's settings for the same network") {
    NetworkSpec net;
    net.encoder_hidden = {{64, ae::Activation::relu}, {16, ae::Activation::tanh}};
    net.code_size = 3;
    net.code_activation = ae::Activation::sigmoid;
    net.output_activation = ae::Activation::sigmoid;
    ae::Rng rng(3);
    const ae::Autoencoder<float> model = ae::make_autoencoder<float>(architecture_for(net, 30), ae::Init::glorot_uniform, rng);
    ae::ModelInfo info;
    info.loss.kind = ae::LossKind::binary_cross_entropy;
    info.regularization.sparsity.kind = ae::SparsityKind::kl;
    info.regularization.sparsity.target = 0.1;
    info.regularization.corruption = {ae::CorruptionKind::masking, 0.3};
    info.dataset = "mine.csv";
    const ae::SavedModel<float> saved = ae::deserialize_any_model<float>(ae::serialize_model(model, info), "mine.aelab");
    NetworkSpec back;
    TrainingSpec training;
    settings_of_model(saved, 512, 128, back, training);
    CHECK(back.encoder_hidden.size() == 2);
    CHECK(back.encoder_hidden[0].size == 64);
    CHECK(back.encoder_hidden[1].activation == ae::Activation::tanh);
    CHECK(back.code_size == 3);
    CHECK(back.code_activation == ae::Activation::sigmoid);
    CHECK(training.variant == Variant::sparse_kl);
    CHECK(training.loss == ae::LossKind::binary_cross_entropy);
    CHECK(training.regularization.sparsity.target == doctest::Approx(0.1));
    CHECK(effective_regularization(training).corruption.level == doctest::Approx(0.3));
    // Larger than the sliders: refused with the numbers.
    CHECK(contains(error_of([&] { settings_of_model(saved, 32, 128, back, training); }), "larger than the lab's sliders reach"));
    // A decoder that does not mirror the encoder.
    ae::Architecture odd = architecture_for(net, 30);
    odd.layers[3].size = 50;
    const ae::Autoencoder<float> lopsided = ae::make_autoencoder<float>(odd, ae::Init::glorot_uniform, rng);
    const ae::SavedModel<float> lop = ae::deserialize_any_model<float>(ae::serialize_model(lopsided, ae::ModelInfo()), "odd.aelab");
    CHECK(contains(error_of([&] { settings_of_model(lop, 512, 128, back, training); }), "does not mirror"));
  }
}

#include "app/url_query.h"

TEST_SUITE("own_data") {
  TEST_CASE("a link carries every setting of the training panel; each bad value is refused by its key") {
    const UrlRequest q = read_url_query(
        "lesson=spiral&ckind=salt_and_pepper&corruption=0.3&l1=0.002&kl=0.5&rho=0.05&k=3&cae=0.1&cae_sigma=0.02&beta=2&lr=0.003"
        "&opt=momentum&batch=16&loss=gaussian&sigma=0.2&arch=64relu-16tanh-4linear&out=linear&tied=1&field=1&jacobian=0&phase=3"
        "&presenter=1&caption=0");
    CHECK(q.problems == "");
    CHECK(q.corruption_kind == ae::CorruptionKind::salt_and_pepper);
    CHECK(q.corruption == doctest::Approx(0.3));
    CHECK(*q.l1 == doctest::Approx(0.002));
    CHECK(*q.kl == doctest::Approx(0.5));
    CHECK(*q.rho == doctest::Approx(0.05));
    CHECK(*q.k == 3);
    CHECK(*q.cae == doctest::Approx(0.1));
    CHECK(*q.cae_sigma == doctest::Approx(0.02));
    CHECK(*q.beta == doctest::Approx(2));
    CHECK(*q.lr == doctest::Approx(0.003f));
    CHECK(*q.optimizer == ae::OptimizerKind::momentum);
    CHECK(*q.batch == 16);
    CHECK(*q.loss == ae::LossKind::gaussian);
    CHECK(*q.sigma == doctest::Approx(0.2f));
    REQUIRE(q.arch->size() == 3);
    CHECK(arch_key(*q.arch) == "64relu-16tanh-4linear");
    CHECK(*q.output == ae::Activation::linear);
    CHECK(*q.tied);
    CHECK(*q.field);
    CHECK(!*q.jacobian);
    CHECK(*q.phase == 3);
    CHECK(q.presenter == 1);
    CHECK(q.caption == 0);
    // Every field out of range or of the wrong kind: each refused by its key, the rest applied.
    const UrlRequest bad = read_url_query(
        "lesson=spiral&ckind=fog&l1=2&kl=-1&rho=0.9&k=0&cae=11&cae_sigma=5&beta=20&lr=3&opt=lbfgs&batch=513&loss=hinge&sigma=0"
        "&arch=64relu-5000linear&out=swish&tied=2&field=yes&phase=-1&seed=7");
    for (const char* key : {"ckind=fog", "l1=2", "kl=-1", "rho=0.9", "k=0", "cae=11", "cae_sigma=5", "beta=20", "lr=3", "opt=lbfgs",
                            "batch=513", "loss=hinge", "sigma=0", "arch=64relu-5000linear", "out=swish", "tied=2", "field=yes", "phase=-1"}) {
      INFO(key);
      CHECK(bad.problems.find(std::string(key) + " ignored") != std::string::npos);
    }
    CHECK(bad.seed == 7);
    CHECK(bad.lesson >= 0);
    CHECK(!bad.l1);
    CHECK(!bad.arch);
    CHECK(arch_key({{32, ae::Activation::tanh}, {1, ae::Activation::linear}}) == "32tanh-1linear");
    CHECK(read_url_query("arch=1relu-1relu-1relu-1relu-1linear").problems.find("arch=") != std::string::npos);  // 4 hidden layers
  }
}
