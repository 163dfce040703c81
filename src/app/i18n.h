// i18n.h — the page's and the desktop app's two languages, English and Korean.
//
// Every user-visible string goes through tr(): the English text is the key, and the Korean comes
// from the string table in assets/i18n/ko.json (embedded at build time), one object
// {"English": "한국어", …}. Conventions for the table:
//   - a printf format keeps the same conversions in the same order ("epoch %d" → "에폭 %d");
//   - an ImGui label keeps what follows "##" or "###" unchanged ("Keep##filters" → "저장##filters");
//     "###id" makes the widget's identity independent of the language (windows use it), "##id"
//     keeps two labels with the same text apart;
//   - math notation (z = W a + b, δˡ, η, ‖∂h/∂x‖²_F) stays as it is.
// A string missing from the table shows in English and is recorded (missing_translations()); the
// tests fail on any. Lesson titles and texts are not here: each lesson file carries both languages.
//
// No ImGui, SDL or GL here: the CLI (`aelab lessons --check`) and the unit tests use it too.
#pragma once

#include <string>
#include <vector>

namespace app {

enum class Language { en, ko };
constexpr Language kLanguages[] = {Language::en, Language::ko};

// "en", "ko".
const char* language_code(Language language);
// The language's own name, for the menu: "English", "한국어".
const char* language_name(Language language);
// Reads "en", "ko" and browser tags such as "ko-KR" or "en-US". False for anything else.
bool parse_language(const std::string& code, Language& out);

// The UI language (View → Language, ?lang=, or the browser's language on a first visit).
Language ui_language();
void set_ui_language(Language language);

// `english` in the UI language. The pointer stays valid for the life of the program.
const char* tr(const char* english);
inline const char* tr(const std::string& english) { return tr(english.c_str()); }
// Marks a string for the table without translating it here (it is passed to tr() later, e.g. a
// name kept in English for the state hook): the test that checks the table finds it by this mark.
constexpr const char* tr_noop(const char* english) { return english; }

// A message from the engine (src/ae speaks English: the CLI prints the same texts) in the UI
// language. Numbers are taken out first: "training stopped at step 812: …" is looked up as
// "training stopped at step %d: …" and the numbers go back in, in order. Messages of the engine that
// can reach the screen are listed in i18n.cpp (kEngineMessages); any other stays English.
std::string tr_message(const std::string& message);

// A text in both languages (lesson titles and texts); an empty Korean text falls back to English.
struct LocalText {
  std::string en, ko;
  const std::string& in(Language language) const { return language == Language::ko && !ko.empty() ? ko : en; }
  const std::string& operator()() const { return in(ui_language()); }
};

// The Korean string table, parsed once from the embedded assets/i18n/ko.json.
struct StringTable {
  std::vector<std::pair<std::string, std::string>> entries;  // (English, Korean), sorted by the English
};
// Parses a table's JSON text; throws ae::Error naming the entry that is not a string.
StringTable parse_string_table(const std::string& json_text, const std::string& name);
// The table in use (the embedded one, parsed on first use).
const StringTable& string_table();

// English strings tr() was asked for in Korean and did not find, in the order first seen.
std::vector<std::string> missing_translations();

}  // namespace app
