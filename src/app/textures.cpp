// textures.cpp — images for ImGui, made by the platform (see textures.h).
#include "textures.h"

#include "host.h"

#include <algorithm>

namespace app {

void texture_update(Texture& t, const std::vector<uint32_t>& rgba, int width, int height) {
  if (width <= 0 || height <= 0 || rgba.size() < size_t(width) * size_t(height) || !host().upload_texture) return;
  t.id = host().upload_texture(t.id, rgba.data(), width, height);
  t.width = width;
  t.height = height;
}

void texture_destroy(Texture& t) {
  if (t.id && host().delete_texture) host().delete_texture(t.id);
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
