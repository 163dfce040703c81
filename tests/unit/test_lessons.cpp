// Lesson files and the string table: every built-in lesson reads, is written back byte for byte,
// and has its Korean; every kind of damage to a lesson file is an error that names the field; and
// every string the UI passes through tr() has a Korean entry with the same printf conversions and
// the same ImGui ID.
#include "app/embedded.h"
#include "app/i18n.h"
#include "app/lesson.h"
#include "app/scene_settings.h"
#include "ae/memory.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace app;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The string literals passed to tr("…" "…") or tr_noop("…") in a C++ source, escapes resolved.
std::vector<std::string> tr_literals(const std::string& source) {
  std::vector<std::string> out;
  for (const std::string call : {"tr(\"", "tr_noop(\""}) {
  size_t at = 0;
  while ((at = source.find(call, at)) != std::string::npos) {
    const bool word_start = at == 0 || !(std::isalnum((unsigned char)source[at - 1]) || source[at - 1] == '_');
    size_t p = at + call.size() - 1;
    at += call.size();
    if (!word_start) continue;
    std::string text;
    while (p < source.size() && source[p] == '"') {
      for (++p; p < source.size() && source[p] != '"'; ++p) {
        if (source[p] != '\\') {
          text += source[p];
          continue;
        }
        const char e = source[++p];
        text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      }
      ++p;
      while (p < source.size() && std::isspace((unsigned char)source[p])) ++p;
    }
    if (p < source.size() && source[p] == ')') out.push_back(text);
  }
  }
  return out;
}

// "%d", "%.3f", "%lld", "%s" … in order ("%%" is text).
std::vector<std::string> conversions(const std::string& format) {
  std::vector<std::string> out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < format.size() && std::strchr("0123456789.-+ #*lhzjt", format[j])) ++j;
    out.push_back(format.substr(i, j + 1 - i));
    i = j;
  }
  return out;
}

std::string id_suffix(const std::string& label) {
  const size_t at = label.find("##");
  return at == std::string::npos ? "" : label.substr(at);
}

// Parses `text` as a lesson and returns the error message ("" when it reads).
std::string lesson_error(const std::string& text) {
  try {
    parse_lesson(text, "test.json");
    return "";
  } catch (const ae::Error& e) {
    return e.what();
  }
}

const char* kMinimal = R"({"aelab_lesson": 1, "id": "mine", "scene": "toy",
  "title": {"en": "My lesson"}, "text": {"en": "Some text."}})";

}  // namespace

TEST_SUITE("lessons") {
  TEST_CASE("every built-in lesson reads, in both languages, and is written back byte for byte") {
    REQUIRE(built_in_lesson_errors().empty());
    const auto& lessons = built_in_lessons();
    REQUIRE(int(lessons.size()) == kLessonFilesCount);
    CHECK(lessons.size() >= 14);
    std::set<std::string> ids;
    for (int i = 0; i < kLessonFilesCount; ++i) {
      const Lesson& l = lessons[size_t(i)];
      INFO(kLessonFiles[i].name);
      CHECK(ids.insert(l.id).second);
      CHECK(!l.title.en.empty());
      CHECK(!l.title.ko.empty());
      CHECK(!l.text.ko.empty());
      CHECK(lesson_warnings(l).empty());
      // The files are kept in the canonical form: reading and writing gives the same bytes.
      CHECK(lesson_to_json(l) == std::string(kLessonFiles[i].text));
      // …and writing then reading gives the same preset.
      CHECK(lesson_to_json(parse_lesson(lesson_to_json(l), "again")) == lesson_to_json(l));
    }
  }

  TEST_CASE("a short lesson file takes the scene's defaults") {
    const Lesson l = parse_lesson(kMinimal, "mine.json");
    CHECK(l.id == "mine");
    CHECK(l.scene == Scene::toy);
    CHECK(l.toy.manifold == ae::ToyManifold::spiral);
    CHECK(l.toy.training.learning_rate == doctest::Approx(0.01));
    CHECK(l.title.in(Language::ko) == "My lesson");  // no Korean: the English is shown
    CHECK(lesson_warnings(l).size() == 2);
  }

  TEST_CASE("Hangul and math typed by a lecturer survive the round trip") {
    std::string text = kMinimal;
    text.replace(text.find("\"My lesson\"}"), 12, "\"My lesson\", \"ko\": \"똠얌꿍과 ‖∂h/∂x‖²_F\"}");
    const Lesson l = parse_lesson(text, "mine.json");
    CHECK(l.title.ko == "똠얌꿍과 ‖∂h/∂x‖²_F");
    CHECK(parse_lesson(lesson_to_json(l), "again").title.ko == l.title.ko);
  }

  TEST_CASE("every kind of damage is an error that names the field and what was expected") {
    auto with = [](const std::string& fields) {
      std::string text = kMinimal;
      return text.substr(0, text.size() - 1) + ", " + fields + "}";
    };
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "not valid JSON"},
        {"[1, 2]", "expected an object"},
        {"{\"aelab_lesson\": 1", "not valid JSON"},
        {R"({"id": "x", "scene": "toy", "title": {"en": "t"}, "text": {"en": "t"}})", "aelab_lesson: missing"},
        {R"({"aelab_lesson": 2, "id": "x", "scene": "toy", "title": {"en": "t"}, "text": {"en": "t"}})", "aelab_lesson: expected a whole number from 1 to 1"},
        {R"({"aelab_lesson": 1, "id": "a b", "scene": "toy", "title": {"en": "t"}, "text": {"en": "t"}})", "id: expected 1 to 64 letters"},
        {R"({"aelab_lesson": 1, "id": "x", "scene": "movie", "title": {"en": "t"}, "text": {"en": "t"}})", "scene: expected toy, step_through, mnist, stacked or descent, got \"movie\""},
        {R"({"aelab_lesson": 1, "id": "x", "scene": "toy", "text": {"en": "t"}})", "title: missing"},
        {R"({"aelab_lesson": 1, "id": "x", "scene": "toy", "title": {"ko": "제목"}, "text": {"en": "t"}})", "title.en: missing"},
        {R"({"aelab_lesson": 1, "id": "x", "scene": "toy", "title": {"en": "t", "fr": "t"}, "text": {"en": "t"}})", "title.fr: unknown field"},
        {R"({"aelab_lesson": 1, "id": "x", "scene": "step_through", "title": {"en": "t"}, "text": {"en": "t"}})", "worked_example: missing"},
        {with(R"("trainig": {})"), "trainig: unknown field (expected one of:"},
        {with(R"("training": {"learning_rate": 5})"), "training.learning_rate: expected a number from 1e-05 to 1, got 5"},
        {with(R"("training": {"learning_rate": "fast"})"), "training.learning_rate: expected a number"},
        {with(R"("training": {"batch_size": 2.5})"), "training.batch_size: expected a whole number from 1 to 512, got 2.5"},
        {with(R"("training": {"variant": "vae"})"), "training.variant: expected plain, l1, kl, k-sparse, denoising or contractive (the VAE is in MNIST scenes)"},
        {with(R"("training": {"variant": "k-sparse"})"), "training.sparsity.k: expected the number of code units kept"},
        {with(R"("training": {"sparsity": {"k": 5}})"), "training.sparsity.k: expected a whole number from 0 to 1, got 5"},
        {with(R"("training": {"corruption": {"kind": "fog"}})"), "training.corruption.kind: expected none, masking, gaussian or salt_and_pepper, got \"fog\""},
        {with(R"("training": {"corruption": {"level": 1.5}})"), "training.corruption.level: expected a number from 0 to 1, got 1.5"},
        {with(R"("training": {"optimizer": "lbfgs"})"), "training.optimizer: expected sgd, momentum or adam"},
        {with(R"("data": {"manifold": "torus"})"), "data.manifold: expected circle, spiral"},
        {with(R"("data": {"points": 1e9})"), "data.points: expected a whole number from 50 to 4000"},
        {with(R"("network": {"hidden": [{"size": 0}]})"), "network.hidden[0].size: expected a whole number from 1 to 128, got 0"},
        {with(R"("network": {"hidden": [{"activation": "relu"}]})"), "network.hidden[0].size: missing"},
        {with(R"("network": {"hidden": [{"size": 8}, {"size": 8}, {"size": 8}, {"size": 8}]})"), "network.hidden: expected a list of at most 3 layers"},
        {with(R"("network": {"code": {"size": 9}})"), "network.code.size: expected a whole number from 1 to 8, got 9"},
        {with(R"("network": {"code": {"activation": "swish"}})"), "network.code.activation: expected linear, sigmoid, tanh, relu, leaky_relu or softplus, got \"swish\""},
        {with(R"("network": {"tied_weights": "yes"})"), "network.tied_weights: expected true or false"},
        {with(R"("view": {"jacobian": 1})"), "view.jacobian: expected true or false"},
        {with(R"("training": {"learning_rate": 1e400})"), "not valid JSON"},
    };
    for (const auto& c : cases) {
      const std::string& text = c.first;
      const std::string& expected = c.second;
      INFO(text);
      const std::string error = lesson_error(text);
      CHECK(error.find(expected) != std::string::npos);
      if (!text.empty() && error.find("not valid JSON") == std::string::npos) CHECK(error.rfind("test.json: ", 0) == 0);
    }
  }

  TEST_CASE("mnist and stacked scenes have their own ranges") {
    const std::string mnist = R"({"aelab_lesson": 1, "id": "m", "scene": "mnist", "title": {"en": "t"}, "text": {"en": "t"},
      "network": {"hidden": [{"size": 512, "activation": "relu"}], "code": {"size": 128, "activation": "linear"}},
      "training": {"variant": "vae", "vae_beta": 4}})";
    const Lesson l = parse_lesson(mnist, "m.json");
    CHECK(l.mnist.net.code_size == 128);
    CHECK(l.mnist.training.variant == Variant::vae);
    CHECK(l.mnist.training.vae_beta == 4.0);
    const std::string stacked = R"({"aelab_lesson": 1, "id": "s", "scene": "stacked", "title": {"en": "t"}, "text": {"en": "t"},
      "stacked": {"layers": [], "labels": 100}})";
    CHECK(lesson_error(stacked).find("stacked.layers: expected at least one layer") != std::string::npos);
  }

  TEST_CASE("stacked: the classifiers' own optimizer, and files from before it existed") {
    const auto stacked = [](const std::string& fields) {
      return R"({"aelab_lesson": 1, "id": "s", "scene": "stacked", "title": {"en": "t"}, "text": {"en": "t"},
        "stacked": {"layers": [{"size": 32, "activation": "sigmoid"}], )" + fields + "}}";
    };
    // Before: one η and batch, Adam for everything. Such a file means the same now.
    const Lesson old_file = parse_lesson(stacked(R"("learning_rate": 0.01, "batch_size": 32)"), "s.json");
    CHECK(old_file.stacked.finetune_optimizer == ae::OptimizerKind::adam);
    CHECK(old_file.stacked.finetune_learning_rate == doctest::Approx(0.01));
    CHECK(old_file.stacked.finetune_batch_size == 32);
    CHECK(old_file.stacked.unrolled_epochs == 0);
    const Lesson l = parse_lesson(stacked(R"("learning_rate": 0.01, "finetune_optimizer": "sgd", "finetune_learning_rate": 0.5,
      "finetune_batch_size": 10, "unrolled_epochs": 2)"), "s.json");
    CHECK(l.stacked.finetune_optimizer == ae::OptimizerKind::sgd);
    CHECK(l.stacked.finetune_learning_rate == doctest::Approx(0.5));
    CHECK(l.stacked.finetune_batch_size == 10);
    CHECK(l.stacked.unrolled_epochs == 2);
    CHECK(parse_lesson(lesson_to_json(l), "s.json").stacked.finetune_optimizer == ae::OptimizerKind::sgd);
    CHECK(lesson_error(stacked(R"("finetune_optimizer": "rmsprop")")).find("stacked.finetune_optimizer: expected sgd, momentum or adam, got \"rmsprop\"") != std::string::npos);
    CHECK(lesson_error(stacked(R"("unrolled_epochs": 50)")).find("stacked.unrolled_epochs: expected a whole number from 0 to 20, got 50") != std::string::npos);
  }
}

TEST_SUITE("i18n") {
  TEST_CASE("languages by code and by browser tag") {
    Language l = Language::en;
    CHECK(parse_language("ko-KR", l));
    CHECK(l == Language::ko);
    CHECK(parse_language("en_US.UTF-8", l));
    CHECK(l == Language::en);
    CHECK(!parse_language("fr", l));
    CHECK(!parse_language("", l));
  }

  TEST_CASE("the string table is well formed") {
    const StringTable& table = string_table();
    REQUIRE(table.entries.size() > 200);
    for (const auto& entry : table.entries) {
      const std::string& english = entry.first;
      const std::string& korean = entry.second;
      INFO(english);
      CHECK(!korean.empty());
      CHECK(conversions(english) == conversions(korean));  // printf conversions, same order
      CHECK(id_suffix(english) == id_suffix(korean));      // the ImGui ID stays the same
    }
    CHECK_THROWS_WITH_AS(parse_string_table("{\"a\": 1}", "t.json"), "t.json: the entry \"a\" must be a string", ae::Error);
  }

  TEST_CASE("every string the UI passes through tr() has its Korean") {
    std::set<std::string> korean_keys;
    for (const auto& entry : string_table().entries) korean_keys.insert(entry.first);
    std::set<std::string> used;
    int files = 0;
    for (const char* folder : {"/src/app", "/src/platform"}) {
      for (const auto& entry : std::filesystem::directory_iterator(std::string(AELAB_SOURCE_DIR) + folder)) {
        if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
        ++files;
        for (const std::string& text : tr_literals(read_file(entry.path().string()))) {
          used.insert(text);
          INFO(entry.path().filename().string() << ": tr(\"" << text << "\")");
          CHECK(korean_keys.count(text) == 1);
        }
      }
    }
    CHECK(files > 10);
    CHECK(used.size() > 200);
    // And the other way: no stale entry the code no longer asks for.
    for (const auto& key : korean_keys) {
      INFO("assets/i18n/ko.json: \"" << key << "\" is not used by any tr() in src/app or src/platform");
      CHECK(used.count(key) == 1);
    }
  }

  TEST_CASE("the engine's messages keep their numbers in Korean") {
    const std::string stopped = "training stopped at step 812: the loss became NaN or infinite (is the learning rate too large?). "
                                "The weights are those of the last good step.";
    set_ui_language(Language::ko);
    CHECK(tr_message(stopped).rfind("812번째 스텝에서", 0) == 0);
    CHECK(tr_message("k-sparse: k must be in 1..64 (the code size)") == "k-희소: k는 1..64 (코드 크기) 사이여야 합니다");
    CHECK(tr_message("an engine message nobody translated, 42") == "an engine message nobody translated, 42");
    set_ui_language(Language::en);
    CHECK(tr_message(stopped) == stopped);
  }

  TEST_CASE("tr() gives Korean in Korean and English in English") {
    REQUIRE(!string_table().entries.empty());
    const std::string english = string_table().entries.front().first;
    const std::string korean = string_table().entries.front().second;
    set_ui_language(Language::ko);
    CHECK(std::string(tr(english)) == korean);
    CHECK(std::string(tr("a string nobody translated")) == "a string nobody translated");
    set_ui_language(Language::en);
    CHECK(std::string(tr(english)) == english);
  }

  TEST_CASE("the page's limits: every lesson fits its memory; what would not is refused before allocating") {
    // Limits up front (issue 13): the scenes estimate their memory from their settings before they
    // allocate (scene_settings.h) and refuse what is over the page's 256 MB with a message.
    using namespace app::limits;
    for (const Lesson& lesson : built_in_lessons()) {
      CAPTURE(lesson.id);
      if (lesson.scene == Scene::mnist) CHECK(mnist_scene_memory(lesson.mnist) <= page_memory_bytes);
      if (lesson.scene == Scene::stacked) CHECK(stacked_scene_memory(lesson.stacked) <= page_memory_bytes);
    }
    // The largest MNIST network the panel's sliders allow (3 hidden layers of 512 per side, a
    // 128-unit code, batch 512, Adam), as an autoencoder and as a VAE, fits: no slider can exhaust the page.
    MnistSettings largest;
    largest.net.encoder_hidden.assign(size_t(max_hidden_layers), {mnist_max_layer_size, ae::Activation::relu});
    largest.net.code_size = mnist_max_code_size;
    largest.training.batch_size = max_batch_size;
    const uint64_t autoencoder = mnist_scene_memory(largest);
    largest.training.variant = Variant::vae;
    const uint64_t vae = mnist_scene_memory(largest);
    CHECK(autoencoder <= page_memory_bytes);
    CHECK(vae <= page_memory_bytes);
    CHECK(vae > autoencoder);  // the two heads
    // A lesson file may ask the stacked scene for 4 layers of 512 at batch 512: over the page's memory,
    // refused with a message that says how much and what to change.
    StackedSettings big;
    big.layers.assign(4, {mnist_max_layer_size, ae::Activation::sigmoid});
    big.batch_size = big.finetune_batch_size = max_batch_size;
    big.unrolled_epochs = 1;
    const uint64_t stacked = stacked_scene_memory(big);
    MESSAGE("page ", ae::memory_text(page_memory_bytes), "; largest MNIST autoencoder ", ae::memory_text(autoencoder),
            ", VAE ", ae::memory_text(vae), "; stacked 4×512 at batch 512: ", ae::memory_text(stacked));
    CHECK(stacked > page_memory_bytes);
    CHECK_THROWS_WITH_AS(require_page_memory(stacked, "This stack of autoencoders"),
                         doctest::Contains("This stack of autoencoders needs about 444 MB of memory at these settings, more "
                                           "than the page's 268 MB"),
                         ae::Error);
    CHECK_NOTHROW(require_page_memory(autoencoder, "This network"));
  }

  TEST_CASE("what runs out of memory anyway says so, in both languages; other failures keep their message") {
    // The estimates leave out what comes and goes (a file's bytes, the training thread's copy), so
    // the page can still run out: the catches then show failure_text, never "std::bad_alloc".
    CHECK(failure_text(std::bad_alloc()) == "not enough memory left (the page has 268 MB in all)");
    CHECK(failure_text(ae::Error("rings.csv, line 3: 1 fields")) == "rings.csv, line 3: 1 fields");
    set_ui_language(Language::ko);
    CHECK(failure_text(std::bad_alloc()) == "남은 메모리가 부족합니다 (페이지의 메모리는 모두 268 MB)");
    set_ui_language(Language::en);
  }
}
