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

  // What gl_window_draw needs, set by gl_window_build: it runs without the App (a training thread
  // may train meanwhile), so it reads none of the App's fields.
  struct Draw {
    int width = 0, height = 0;  // the drawable, in device pixels
    float pixel_ratio = 1;      // device pixels per UI pixel
    float clear[4] = {0, 0, 0, 1};
  } draw;
  // A picture the App asked for (File ▸ Save the window as PNG, a view's right-click menu), taken
  // by gl_window_draw from the frame it draws; what came of it reaches the App in the next build.
  struct Capture {
    bool due = false;
    std::string name;
    app::WidgetRect rect;
    bool done = false, saved = false;
    std::string where;  // where it was saved
  } capture;
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
// A frame in two parts. gl_window_build reads the events and builds the UI (app_frame, then
// ImGui::Render): the calling thread must hold the App (training_thread.h). gl_window_draw draws
// what was built with GL (and takes a picture asked for) without touching the App, so a training
// thread may train meanwhile: the desktop lets it go for the draw and the swap together
// (app::TrainingWindow), the page from the end of its turn (app::UiTurn) to the next frame's.
void gl_window_build(GlWindow& w);
void gl_window_draw(GlWindow& w);
// Both, one after the other (no training thread, or the App held throughout).
void gl_window_frame(GlWindow& w);
void gl_window_destroy(GlWindow& w);

}  // namespace platform
