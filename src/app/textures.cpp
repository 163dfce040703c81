// textures.cpp — GL textures for images (see textures.h).
#include "textures.h"

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <SDL_opengl.h>
#endif

#include <algorithm>

namespace app {

void texture_update(Texture& t, const std::vector<uint32_t>& rgba, int width, int height) {
  if (width <= 0 || height <= 0 || rgba.size() < size_t(width) * size_t(height)) return;
  GLint previous = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
  if (t.id == 0) {
    GLuint id = 0;
    glGenTextures(1, &id);
    t.id = id;
  }
  glBindTexture(GL_TEXTURE_2D, t.id);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  glBindTexture(GL_TEXTURE_2D, GLuint(previous));
  t.width = width;
  t.height = height;
}

void texture_destroy(Texture& t) {
  if (t.id) {
    GLuint id = t.id;
    glDeleteTextures(1, &id);
  }
  t = Texture();
}

void grey_to_rgba(const float* values, int width, int height, std::vector<uint32_t>& out, int out_stride, int x0, int y0) {
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const int v = int(std::clamp(values[y * width + x], 0.0f, 1.0f) * 255.0f + 0.5f);
      out[size_t(y0 + y) * size_t(out_stride) + size_t(x0 + x)] = 0xFF000000u | uint32_t(v) << 16 | uint32_t(v) << 8 | uint32_t(v);
    }
}

}  // namespace app
