// url_query.h — reading the page's link (?lesson=spiral&seed=7&scale=1.5&theme=light) into the
// values it asks for, checked one by one. No App and no ImGui here: the page applies the request
// (url_state.cpp), and the fuzzer and the tests read links without a window.
//
// A link is outside input: every value is range-checked, and a value that is out of range, of the
// wrong kind or unknown is refused with a message naming its key, the rest of the link still applies.
#pragma once
#include <string>

namespace app {

struct UrlRequest {
  int lesson = -1;         // index into built_in_lessons(), or -1 when the link names none
  long legacy_number = 0;  // > 0: the lesson was named by its place in the old menu (said on screen)
  int language = -1;       // a Language, or -1
  long seed = -1;          // 0 … 2^30, or -1
  double scale = 0;        // UI scale 0.75 … 2.5, or 0
  int variant = -1;        // a Variant, or -1
  double corruption = -1;  // corruption level 0 … 1, or -1
  std::string theme;       // "dark", "light" or ""
  int presenter = -1;      // presenter mode: 1 on, 0 off, -1 not named
  int caption = -1;        // presenter mode's caption (the lesson's text): 1, 0 or -1
  std::string problems;    // "key=value ignored: why; …" for every refused value ("" when none)
};

// Reads one query string (without '?'; '+' already turned into spaces). Never throws.
UrlRequest read_url_query(const std::string& query);

}  // namespace app
