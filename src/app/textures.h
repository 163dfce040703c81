// textures.h — small RGBA images (digits, filters, decoded grids) as textures ImGui can draw. The
// platform makes them (host().upload_texture: GL on the desktop and in WebGL2), so the app has no
// GL of its own.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace app {

struct Texture {
  unsigned int id = 0;  // GL name; 0 = not created yet
  int width = 0, height = 0;
  ImTextureID imgui_id() const { return (ImTextureID)(intptr_t)id; }
};

// Uploads rgba (width × height, row-major, 0xAABBGGRR as ImGui packs colours) into the texture,
// creating or resizing it. Nearest-neighbour filtering: pixels stay crisp when scaled up.
// GL belongs to the UI thread (the one that started the program): called on another thread (the
// training thread, which holds the App), the upload waits for textures_upload_pending.
void texture_update(Texture& t, const std::vector<uint32_t>& rgba, int width, int height);
void texture_destroy(Texture& t);
// On the UI thread, holding the App (training_thread.h), before the frame: the uploads and
// deletions the training thread asked for since the last frame.
void textures_upload_pending();

// A grey image (values in [0, 1]) as RGBA pixels, white digit on black like MNIST.
void grey_to_rgba(const float* values, int width, int height, std::vector<uint32_t>& out, int out_stride,
                  int x0 = 0, int y0 = 0);

}  // namespace app
