// fuzz_lesson.cpp — lesson files (dropped on the page, `aelab-desktop --lesson-file`, `aelab lessons
// --check`). Besides "refuse with a message, never crash", the writer's promise is checked: a lesson
// that reads is written in canonical form, and that form reads back to the same canonical text.
#include "fuzz_common.h"

#include "app/lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const app::Lesson lesson = app::parse_lesson(fuzz::text_of(data, size), "fuzz.json");
    const std::string canonical = app::lesson_to_json(lesson);
    const app::Lesson again = app::parse_lesson(canonical, "canonical");
    fuzz::require(app::lesson_to_json(again) == canonical, "lesson_to_json is a fixed point of parse_lesson");
    (void)app::lesson_warnings(lesson);
  } catch (const ae::Error&) {
  }
  return 0;
}
