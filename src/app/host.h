// host.h — what the app needs from the platform it runs on, and nothing else: the page's address
// (links carry the scene), the user's language, and saving a file (a download in the page, a file
// on the desktop). src/platform fills it in at start-up (browser_main.cpp, desktop_main.cpp), so the
// app itself has no #if for the browser; every hook may be left empty (tests, the desktop has no
// address bar).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace app {

struct Host {
  std::function<std::string()> read_query;                         // "lesson=4&seed=2" (no '?')
  std::function<void(const std::string& query)> publish_query;     // into the address bar
  // Puts the page's address with `query` on the clipboard (and in the address bar); returns the
  // address. Empty natively: the app copies "?query" with ImGui's clipboard (SDL's) instead.
  std::function<std::string(const std::string& query)> copy_link;
  std::function<std::string()> preferred_language;                 // "ko-KR" (navigator.language)
  std::function<void(const std::string& language)> remember_language;  // for the next visit
  // Fetches data files from the page's own server (data/NAME), all or nothing: `done` gets their
  // bytes in order, `failed` the name of the first that could not be had, `progress` the bytes in so
  // far and the total announced (0 while unknown), summed over the files. Empty natively (the
  // scenes read the data from disk).
  std::function<void(const std::vector<std::string>& names,
                     std::function<void(const std::vector<std::vector<uint8_t>>& files)> done,
                     std::function<void(const std::string& name)> failed,
                     std::function<void(uint64_t loaded, uint64_t total)> progress)>
      fetch_data_files;
  // Lets the user pick files (the page's file dialog: lessons, models, data); the platform then
  // calls app_open_files. Empty where there is no dialog (the desktop takes dropped files).
  std::function<void()> choose_files;
  // Creates (id 0) or replaces the texture `id` with rgba (width × height, 0xAABBGGRR, row-major,
  // nearest-neighbour filtering) and returns its id; deletes one. Set by the platform's renderer.
  std::function<unsigned(unsigned id, const uint32_t* rgba, int width, int height)> upload_texture;
  std::function<void(unsigned id)> delete_texture;
  // Saves `bytes` (text or binary) as a file named `name`; returns where it went (or "" on failure).
  std::function<std::string(const std::string& name, const std::string& bytes)> save_file;
};

// The one host of the running program.
inline Host& host() {
  static Host h;
  return h;
}

}  // namespace app
