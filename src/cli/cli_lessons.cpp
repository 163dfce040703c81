// aelab lessons — for lecturers who write lesson files: check them (every field, with a message
// that names the field and what was expected), list the built-in ones, or print a lesson with
// every field of its preset written out (a file to start a new lesson from).
#include "cli.h"

#include "app/lesson.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cli {

namespace {

struct LessonsOptions {
  std::vector<std::string> check;  // files or folders
  std::string print;               // a built-in lesson's id or number, or a file
  bool list = false;
};

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ae::Error(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The .json files of a folder (sorted), or the file itself.
std::vector<std::string> lesson_paths(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw ae::Error(path + ": no .json lesson files in this folder");
  return files;
}

int run_check(const std::vector<std::string>& targets) {
  int bad = 0, good = 0, warned = 0;
  std::vector<std::string> ids;
  for (const auto& target : targets) {
    std::vector<std::string> paths;
    try {
      paths = lesson_paths(target);
    } catch (const ae::Error& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
      ++bad;
      continue;
    }
    for (const auto& path : paths) {
      try {
        const app::Lesson lesson = app::parse_lesson(read_text_file(path), path);
        for (const auto& w : app::lesson_warnings(lesson)) {
          std::printf("warning: %s\n", w.c_str());
          ++warned;
        }
        if (std::find(ids.begin(), ids.end(), lesson.id) != ids.end())
          throw ae::Error(path + ": id: \"" + lesson.id + "\" is used by another lesson checked here");
        ids.push_back(lesson.id);
        std::printf("ok: %s (%s, %s)\n", path.c_str(), lesson.id.c_str(), app::scene_key(lesson.scene));
        ++good;
      } catch (const ae::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        ++bad;
      }
    }
  }
  std::printf("%d lesson file%s ok, %d with errors, %d warning%s\n", good, good == 1 ? "" : "s", bad, warned, warned == 1 ? "" : "s");
  return bad ? 1 : 0;
}

int run_list() {
  for (const auto& e : app::built_in_lesson_errors()) std::fprintf(stderr, "error in a built-in lesson: %s\n", e.c_str());
  const auto& lessons = app::built_in_lessons();
  for (size_t i = 0; i < lessons.size(); ++i)
    std::printf("%2zu  %-22s %-13s %s\n", i + 1, lessons[i].id.c_str(), app::scene_key(lessons[i].scene), lessons[i].title.en.c_str());
  return app::built_in_lesson_errors().empty() ? 0 : 1;
}

int run_print(const std::string& which) {
  const auto& lessons = app::built_in_lessons();
  for (size_t i = 0; i < lessons.size(); ++i)
    if (lessons[i].id == which || std::to_string(i + 1) == which) {
      std::fputs(app::lesson_to_json(lessons[i]).c_str(), stdout);
      return 0;
    }
  std::fputs(app::lesson_to_json(app::parse_lesson(read_text_file(which), which)).c_str(), stdout);
  return 0;
}

}  // namespace

void add_lessons_command(CLI::App& app) {
  auto o = std::make_shared<LessonsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "lessons", "check lesson files (assets/lessons/README.md describes the format), list the built-in lessons, "
                 "or print one with every field written out");
  cmd->add_option("--check", o->check, "lesson files or folders of them to check; exit status 1 if any has an error");
  cmd->add_flag("--list", o->list, "the built-in lessons, in menu order");
  cmd->add_option("--print", o->print,
                  "a built-in lesson (its id or number) or a lesson file, printed with every field of its preset "
                  "(a start for a new lesson)");
  cmd->callback([o]() {
    if (!o->check.empty()) exit_status() = run_check(o->check);
    else if (!o->print.empty()) exit_status() = run_print(o->print);
    else exit_status() = run_list();
  });
}

}  // namespace cli
