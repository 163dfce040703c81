// sdl_gl_app.cpp — SDL2 + OpenGL 3 / WebGL2 + Dear ImGui, shared by both main loops (see
// the Dear ImGui examples example_sdl_opengl3 and example_emscripten_opengl3 for the pattern).
#include "sdl_gl_app.h"

#include "app/textures.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#if defined(__EMSCRIPTEN__)
#include <SDL_opengles2.h>
#else
#include <SDL_opengl.h>
#endif

#include <cmath>
#include <cstdio>

namespace platform {

namespace {

// The app's images (app/textures.h) as GL textures: the same calls on OpenGL 3 and WebGL2.
unsigned upload_texture(unsigned id, const uint32_t* rgba, int width, int height) {
  GLint previous = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
  GLuint name = id;
  if (name == 0) glGenTextures(1, &name);
  glBindTexture(GL_TEXTURE_2D, name);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  glBindTexture(GL_TEXTURE_2D, GLuint(previous));
  return name;
}

void delete_texture(unsigned id) {
  GLuint name = id;
  glDeleteTextures(1, &name);
}

}  // namespace

bool gl_window_create(GlWindow& w, const char* title, int width, int height) {
  app::host().upload_texture = upload_texture;
  app::host().delete_texture = delete_texture;
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "aelab: SDL_Init failed: %s\n", SDL_GetError());
    return false;
  }
#if defined(__EMSCRIPTEN__)
  // WebGL2 is OpenGL ES 3.0; the page refuses to start without it (web/index.html).
  const char* glsl_version = "#version 300 es";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
  const char* glsl_version = "#version 330 core";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
#endif
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
  const auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  w.window = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
  if (!w.window) {
    std::fprintf(stderr, "aelab: cannot create a window: %s\n", SDL_GetError());
    return false;
  }
  w.gl = SDL_GL_CreateContext(w.window);
  if (!w.gl) {
    std::fprintf(stderr, "aelab: cannot create an OpenGL context (%s): %s\n", glsl_version, SDL_GetError());
    return false;
  }
  SDL_GL_MakeCurrent(w.window, w.gl);
  SDL_GL_SetSwapInterval(1);  // vsync

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed, nothing to persist; no file writes in the browser
  ImGui_ImplSDL2_InitForOpenGL(w.window, w.gl);
  ImGui_ImplOpenGL3_Init(glsl_version);

  // imgui_impl_sdl (1.86) indexes keys by SDL scancode.
  w.app.keys = {SDL_SCANCODE_SPACE, SDL_SCANCODE_S, SDL_SCANCODE_R, SDL_SCANCODE_H, SDL_SCANCODE_SLASH,
                SDL_SCANCODE_EQUALS, SDL_SCANCODE_MINUS, SDL_SCANCODE_KP_PLUS, SDL_SCANCODE_KP_MINUS, SDL_SCANCODE_C,
                SDL_SCANCODE_LEFT, SDL_SCANCODE_RIGHT, SDL_SCANCODE_RETURN, SDL_SCANCODE_P, SDL_SCANCODE_N, SDL_SCANCODE_F};

  int ww = 0, wh = 0, dw = 0, dh = 0;
  SDL_GetWindowSize(w.window, &ww, &wh);
  SDL_GL_GetDrawableSize(w.window, &dw, &dh);
  w.app.pixel_ratio = ww > 0 ? float(dw) / float(ww) : 1.0f;
  app::app_setup_style(w.app);
  app::app_reset(w.app);
  return true;
}

namespace {
// A file dropped on the window: read whole (at most the lab's file limit), opened with the rest of its drop.
void add_dropped_file(GlWindow& w, const char* path) {
  try {
    ae::NamedBytes file;
    file.name = path;
    file.bytes = ae::read_file_bytes(path, app::own_limits::max_file_bytes);
    w.dropped.push_back(std::move(file));
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    w.app.error = std::string(app::tr("This file cannot be opened: ")) + app::failure_text(e);
  }
  if (!w.dropping) {  // a platform that sends no SDL_DROPBEGIN: each file is its own drop
    app::app_open_files(w.app, std::move(w.dropped));
    w.dropped.clear();
  }
}
}  // namespace

void gl_window_build(GlWindow& w) {
  // The picture the last draw took: saved or not, the App says so now.
  if (w.capture.done) {
    if (w.capture.saved) w.app.notice = std::string(app::tr("Saved: ")) + w.capture.where;
    else w.app.error = app::tr("The picture could not be saved.");
    w.capture = GlWindow::Capture();
  }

  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_KEYDOWN) {
      // Arrows auto-repeat (holding → runs through the phases); other shortcuts act once per press.
      const int code = int(event.key.keysym.scancode);
      const bool arrow = code == SDL_SCANCODE_LEFT || code == SDL_SCANCODE_RIGHT;
      if (!event.key.repeat || arrow) w.app.keys_pressed.push_back(code);
    }
    if (event.type == SDL_DROPBEGIN) {
      w.dropped.clear();
      w.dropping = true;
    }
    if (event.type == SDL_DROPFILE) {
      add_dropped_file(w, event.drop.file);
      SDL_free(event.drop.file);
    }
    if (event.type == SDL_DROPCOMPLETE) {
      w.dropping = false;
      if (!w.dropped.empty()) app::app_open_files(w.app, std::move(w.dropped));
      w.dropped.clear();
    }
    if (event.type == SDL_QUIT) w.quit = true;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(w.window))
      w.quit = true;
  }

  // Device pixels per UI pixel can change (window moved to another screen, browser zoom):
  // re-rasterise the fonts at the new density so text stays sharp.
  int ww = 0, wh = 0, dw = 0, dh = 0;
  SDL_GetWindowSize(w.window, &ww, &wh);
  SDL_GL_GetDrawableSize(w.window, &dw, &dh);
  const float ratio = ww > 0 ? float(dw) / float(ww) : 1.0f;
  if (std::abs(ratio - w.app.pixel_ratio) > 0.01f) {
    w.app.pixel_ratio = ratio;
    w.app.fonts_dirty = true;
  }
  if (w.app.fonts_dirty) {
    app::app_setup_style(w.app);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }

  app::textures_upload_pending();  // what the training thread drew since the last frame
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  app::app_frame(w.app);
  ImGui::Render();

  const ImVec4 clear = app::app_clear_colour(w.app);
  w.draw.width = dw;
  w.draw.height = dh;
  w.draw.pixel_ratio = w.app.pixel_ratio;
  w.draw.clear[0] = clear.x;
  w.draw.clear[1] = clear.y;
  w.draw.clear[2] = clear.z;
  w.draw.clear[3] = clear.w;
  // A picture asked for two frames ago: this frame's draw takes it.
  app::App::PictureRequest& picture = w.app.picture;
  if (picture.pending && --picture.frames <= 0) {
    picture.pending = false;
    w.capture.due = true;
    w.capture.name = picture.name;
    w.capture.rect = picture.rect;
  }
}

void gl_window_draw(GlWindow& w) {
  glViewport(0, 0, w.draw.width, w.draw.height);
  glClearColor(w.draw.clear[0], w.draw.clear[1], w.draw.clear[2], w.draw.clear[3]);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (w.capture.due) {
    const std::string png = png_bytes(read_frame(w, w.capture.rect));
    w.capture.where = png.empty() || !app::host().save_file ? "" : app::host().save_file(w.capture.name, png);
    w.capture.due = false;
    w.capture.done = true;
    w.capture.saved = !w.capture.where.empty();
  }
}

void gl_window_frame(GlWindow& w) {
  gl_window_build(w);
  gl_window_draw(w);
}

FramePixels read_frame(const GlWindow& w, app::WidgetRect rect) {
  int dw = 0, dh = 0;
  SDL_GL_GetDrawableSize(w.window, &dw, &dh);
  const float k = w.draw.pixel_ratio;
  int x0 = 0, y0 = 0, x1 = dw, y1 = dh;  // device pixels, top-left origin
  if (rect.w > 0 && rect.h > 0) {
    x0 = std::clamp(int(std::floor(rect.x * k)), 0, dw);
    y0 = std::clamp(int(std::floor(rect.y * k)), 0, dh);
    x1 = std::clamp(int(std::ceil((rect.x + rect.w) * k)), 0, dw);
    y1 = std::clamp(int(std::ceil((rect.y + rect.h) * k)), 0, dh);
  }
  FramePixels out;
  if (x1 <= x0 || y1 <= y0) return out;
  out.width = x1 - x0;
  out.height = y1 - y0;
  std::vector<unsigned char> pixels(size_t(out.width) * size_t(out.height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
#ifndef __EMSCRIPTEN__
  glReadBuffer(GL_BACK);
#endif
  glReadPixels(x0, dh - y1, out.width, out.height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());  // GL: bottom-left origin
  out.rgba.resize(pixels.size());
  const size_t row = size_t(out.width) * 4;
  for (int y = 0; y < out.height; ++y) std::memcpy(&out.rgba[size_t(y) * row], &pixels[size_t(out.height - 1 - y) * row], row);
  for (size_t i = 3; i < out.rgba.size(); i += 4) out.rgba[i] = 255;  // the canvas may be drawn with alpha < 1
  return out;
}

std::string png_bytes(const FramePixels& p) {
  std::string out;
  if (p.width <= 0 || p.height <= 0) return out;
  stbi_write_png_to_func([](void* context, void* data, int size) { static_cast<std::string*>(context)->append(static_cast<const char*>(data), size_t(size)); },
                         &out, p.width, p.height, 4, p.rgba.data(), p.width * 4);
  return out;
}

void gl_window_destroy(GlWindow& w) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  if (w.gl) SDL_GL_DeleteContext(w.gl);
  if (w.window) SDL_DestroyWindow(w.window);
  SDL_Quit();
}

}  // namespace platform
