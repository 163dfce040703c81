// textures.cpp — images for ImGui, made by the platform (see textures.h).
#include "textures.h"

#include "host.h"

#include <algorithm>
#include <thread>

namespace app {

namespace {

// The thread that may call GL: the one that ran the program's static initialisation (main's).
const std::thread::id kUiThread = std::this_thread::get_id();

// What the training thread asked for. Only the App's holder touches these (training_thread.h), so
// they need no lock of their own; a Texture asked for here lives in the App until it is destroyed
// (texture_destroy drops its pending upload).
struct PendingUpload {
  Texture* texture;
  std::vector<uint32_t> rgba;
};
std::vector<PendingUpload> pending_uploads;
std::vector<unsigned> pending_deletions;

bool on_ui_thread() { return std::this_thread::get_id() == kUiThread; }

void drop_pending_upload(const Texture& t) {
  pending_uploads.erase(std::remove_if(pending_uploads.begin(), pending_uploads.end(), [&](const PendingUpload& p) { return p.texture == &t; }),
                        pending_uploads.end());
}

}  // namespace

void texture_update(Texture& t, const std::vector<uint32_t>& rgba, int width, int height) {
  if (width <= 0 || height <= 0 || rgba.size() < size_t(width) * size_t(height) || !host().upload_texture) return;
  t.width = width;
  t.height = height;
  drop_pending_upload(t);  // older pixels than these
  if (!on_ui_thread()) {
    pending_uploads.push_back({&t, std::vector<uint32_t>(rgba.begin(), rgba.begin() + ptrdiff_t(width) * height)});
    return;
  }
  t.id = host().upload_texture(t.id, rgba.data(), width, height);
}

void texture_destroy(Texture& t) {
  drop_pending_upload(t);
  if (t.id && host().delete_texture) {
    if (on_ui_thread()) host().delete_texture(t.id);
    else pending_deletions.push_back(t.id);
  }
  t = Texture();
}

void textures_upload_pending() {
  for (PendingUpload& p : pending_uploads)
    p.texture->id = host().upload_texture(p.texture->id, p.rgba.data(), p.texture->width, p.texture->height);
  pending_uploads.clear();
  if (host().delete_texture)
    for (unsigned id : pending_deletions) host().delete_texture(id);
  pending_deletions.clear();
}

void grey_to_rgba(const float* values, int width, int height, std::vector<uint32_t>& out, int out_stride, int x0, int y0) {
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const int v = int(std::clamp(values[y * width + x], 0.0f, 1.0f) * 255.0f + 0.5f);
      out[size_t(y0 + y) * size_t(out_stride) + size_t(x0 + x)] = 0xFF000000u | uint32_t(v) << 16 | uint32_t(v) << 8 | uint32_t(v);
    }
}

}  // namespace app
