// sdl_gl_app.h — what the browser and desktop main loops share: an SDL2 window with an OpenGL
// (desktop GL 3.3 core, or WebGL2 = GLES 3.0) context, Dear ImGui on top, and the App.
#pragma once

#include "app/app.h"
#include "app/i18n.h"

#include <vector>

#include <SDL.h>

namespace platform {

struct GlWindow {
  SDL_Window* window = nullptr;
  SDL_GLContext gl = nullptr;
  app::App app;
  bool quit = false;
  // Files dropped on the window arrive one event each between SDL_DROPBEGIN and SDL_DROPCOMPLETE;
  // they are opened together (app_open_files), as one drop.
  std::vector<ae::NamedBytes> dropped;
  bool dropping = false;
};

// The frame just drawn (before the swap), rows top first, RGBA: the rectangle `rect` in UI pixels
// (w = 0: the whole window), read at the screen's pixel density. Empty if the rectangle is off the
// window.
struct FramePixels {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;
};
FramePixels read_frame(const GlWindow& w, app::WidgetRect rect = app::WidgetRect());
// A picture as PNG bytes (stb_image_write), "" on failure.
std::string png_bytes(const FramePixels& pixels);

// Creates the window, the GL context and ImGui. Returns false (after printing why) on failure.
bool gl_window_create(GlWindow& w, const char* title, int width, int height);
// One frame: events, app_frame(), render (not the swap). With an app::TrainingThread, the calling
// thread holds the App (training_thread.h) and lets it go only while GL draws.
void gl_window_frame(GlWindow& w);
void gl_window_destroy(GlWindow& w);

}  // namespace platform
