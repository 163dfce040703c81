// i18n.cpp — see i18n.h.
#include "i18n.h"

#include "ae/core.h"
#include "embedded.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <unordered_map>

namespace app {

namespace {

Language g_language = Language::en;

struct Lookup {
  StringTable table;
  std::unordered_map<std::string, const std::string*> korean;  // English → entry in table
  std::vector<std::string> missing;
};

Lookup& lookup() {
  static Lookup l = [] {
    Lookup built;
    const EmbeddedFile* file = find_embedded(kStringFiles, kStringFilesCount, "ko.json");
    if (file) built.table = parse_string_table(file->text, "assets/i18n/ko.json");
    for (const auto& [english, korean] : built.table.entries) built.korean[english] = &korean;
    return built;
  }();
  return l;
}

}  // namespace

const char* language_code(Language language) { return language == Language::ko ? "ko" : "en"; }
const char* language_name(Language language) { return language == Language::ko ? "한국어" : "English"; }

bool parse_language(const std::string& code, Language& out) {
  std::string primary = code.substr(0, code.find_first_of("-_"));
  std::transform(primary.begin(), primary.end(), primary.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (primary == "en") out = Language::en;
  else if (primary == "ko") out = Language::ko;
  else return false;
  return true;
}

Language ui_language() { return g_language; }
void set_ui_language(Language language) { g_language = language; }

const char* tr(const char* english) {
  if (g_language == Language::en) return english;
  Lookup& l = lookup();
  const auto it = l.korean.find(english);
  if (it != l.korean.end()) return it->second->c_str();
  if (std::find(l.missing.begin(), l.missing.end(), english) == l.missing.end()) l.missing.emplace_back(english);
  return english;
}

namespace {
// The engine's messages that the page and the desktop app show, with their numbers as %d (the
// Korean is in assets/i18n/ko.json like every other string).
[[maybe_unused]] const char* const kEngineMessages[] = {
    tr_noop("training stopped at step %d: the loss became NaN or infinite (is the learning rate too large?). The weights are "
            "those of the last good step."),
    tr_noop("training stopped at step %d: the weights became NaN or infinite (is the learning rate too large?). The weights are "
            "those of the last good step."),
    tr_noop("training stopped at step %d: the objective or the weights became NaN or infinite (is the learning rate too large?). "
            "The weights are those of the last good step."),
    tr_noop("classifier training stopped at step %d: the loss became NaN or infinite (learning rate too large?)"),
    tr_noop("KL sparsity compares mean activations with ρ in (0, %d): it needs a sigmoid code (--code-activation sigmoid)"),
    tr_noop("k-sparse: k must be in %d..%d (the code size)"),
    tr_noop("contractive: the exact penalty needs a one-layer encoder"),
};
}  // namespace

std::string tr_message(const std::string& message) {
  if (g_language == Language::en) return message;
  // The message with each run of digits replaced by %d, and the runs.
  std::string key;
  std::vector<std::string> numbers;
  for (size_t i = 0; i < message.size();) {
    if (std::isdigit(static_cast<unsigned char>(message[i]))) {
      size_t j = i;
      while (j < message.size() && std::isdigit(static_cast<unsigned char>(message[j]))) ++j;
      numbers.push_back(message.substr(i, j - i));
      key += "%d";
      i = j;
    } else {
      key += message[i++];
    }
  }
  Lookup& l = lookup();
  const auto it = l.korean.find(key);
  if (it == l.korean.end()) return message;
  std::string out;
  size_t next = 0;
  const std::string& korean = *it->second;
  for (size_t i = 0; i < korean.size(); ++i) {
    if (korean.compare(i, 2, "%d") == 0 && next < numbers.size()) {
      out += numbers[next++];
      ++i;
    } else {
      out += korean[i];
    }
  }
  return out;
}

StringTable parse_string_table(const std::string& json_text, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw ae::Error(name + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw ae::Error(name + ": expected one JSON object {\"English\": \"translation\", …}");
  StringTable table;
  for (const auto& [english, translated] : j.items()) {
    if (!translated.is_string()) throw ae::Error(name + ": the entry \"" + english + "\" must be a string");
    table.entries.emplace_back(english, translated.get<std::string>());
  }
  return table;
}

const StringTable& string_table() { return lookup().table; }

std::vector<std::string> missing_translations() { return lookup().missing; }

}  // namespace app
