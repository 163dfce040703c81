// fuzz_url_query.cpp — the page's link (?lesson=…&seed=…): read_url_query never throws, and what it
// accepts is inside the ranges the page applies without further checks.
#include "fuzz_common.h"

#include "app/lesson.h"
#include "app/url_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const app::UrlRequest r = app::read_url_query(fuzz::text_of(data, size));
  fuzz::require(r.lesson >= -1 && r.lesson < int(app::built_in_lessons().size()), "lesson index");
  fuzz::require(r.seed == -1 || (r.seed >= 0 && r.seed <= (1 << 30)), "seed range");
  fuzz::require(r.scale == 0 || (r.scale >= 0.75 && r.scale <= 2.5), "scale range");
  fuzz::require(r.corruption == -1 || (r.corruption >= 0 && r.corruption <= 1), "corruption range");
  fuzz::require(r.theme.empty() || r.theme == "dark" || r.theme == "light", "theme");
  return 0;
}
