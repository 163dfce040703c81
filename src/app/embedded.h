// embedded.h — text files from assets/ compiled into the app (see cmake/EmbedFiles.cmake), so the
// page and the desktop app carry their lessons and string table without a file system.
#pragma once

#include <cstring>

namespace app {

struct EmbeddedFile {
  const char* name;  // file name, e.g. "backprop-2-2-2.json"
  const char* text;
};

extern const EmbeddedFile kLessonFiles[];         // assets/lessons/*.json, sorted by name
extern const int kLessonFilesCount;
extern const EmbeddedFile kWorkedExampleFiles[];  // assets/worked-examples/*.json
extern const int kWorkedExampleFilesCount;
extern const EmbeddedFile kStringFiles[];         // assets/i18n/*.json
extern const int kStringFilesCount;

// The file of the set with this name, or nullptr.
inline const EmbeddedFile* find_embedded(const EmbeddedFile* files, int count, const char* name) {
  for (int i = 0; i < count; ++i)
    if (std::strcmp(files[i].name, name) == 0) return &files[i];
  return nullptr;
}

}  // namespace app
