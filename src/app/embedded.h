// embedded.h — text files from assets/ compiled into the app (see cmake/EmbedFiles.cmake).
#pragma once

namespace app {

struct EmbeddedFile {
  const char* name;  // file name, e.g. "backprop-2-2-2.json"
  const char* text;
};

extern const EmbeddedFile kLessonFiles[];  // assets/lessons/*.json
extern const int kLessonFilesCount;

// The embedded file with this name, or nullptr.
inline const EmbeddedFile* find_embedded(const char* name) {
  for (int i = 0; i < kLessonFilesCount; ++i) {
    const char *a = kLessonFiles[i].name, *b = name;
    while (*a && *a == *b) ++a, ++b;
    if (*a == *b) return &kLessonFiles[i];
  }
  return nullptr;
}

}  // namespace app
