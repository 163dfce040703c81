// browser_main.cpp — AE Lab in the browser: SDL2 + WebGL2 through Emscripten.
//
// The browser owns the loop: emscripten_set_main_loop calls one frame per animation frame.
// The canvas is sized by CSS (web/index.html: it fills the window); SDL follows resizes and
// sets the canvas's pixel size to CSS size × devicePixelRatio. After the first frame we call
// the page's aelabReady() (hides the loading screen); aelab_state_json() is exported so the page
// and the browser tests can read the app's state.
#include "sdl_gl_app.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <string>

namespace {

platform::GlWindow g_window;
std::string g_state;

void main_loop() {
  // Follow the canvas's CSS size (the page resizes it with the window) and the pixel ratio.
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  int ww = 0, wh = 0;
  SDL_GetWindowSize(g_window.window, &ww, &wh);
  if (css_w >= 1 && css_h >= 1 && (int(css_w) != ww || int(css_h) != wh)) SDL_SetWindowSize(g_window.window, int(css_w), int(css_h));

  platform::gl_window_frame(g_window);
  if (g_window.app.frame_count == 1) {
    EM_ASM({
      if (typeof aelabReady === 'function') aelabReady();
    });
  }
}

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE const char* aelab_state_json() {
  g_state = app::app_state_json(g_window.app);
  return g_state.c_str();
}

int main(int, char**) {
  g_window.app.font_path = "/assets/DejaVuSans.ttf";  // preloaded by the build (app.data)
  double css_w = 1280, css_h = 800;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  if (!platform::gl_window_create(g_window, "AE Lab", int(css_w), int(css_h))) {
    EM_ASM({
      if (typeof aelabFatal === 'function') aelabFatal('The app could not create its WebGL2 context.');
    });
    return 1;
  }
  emscripten_set_main_loop(main_loop, 0, true);
  return 0;
}
