// i18n.cpp — see i18n.h.
#include "i18n.h"

#include "ae/core.h"
#include "embedded.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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
