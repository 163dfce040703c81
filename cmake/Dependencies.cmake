# Where every third-party dependency comes from (see README.md, "Dependencies"):
#   Eigen, doctest, nlohmann-json, CLI11, stb, zlib, SDL2 (native)  Debian -dev packages
#   Dear ImGui sources, SDL2 for WebAssembly                          the set-up cache, filled by
#                                                                     scripts/setup.sh from Debian
#                                                                     source packages
# Under Emscripten the host's /usr/include must never be on the include path (it would shadow
# the wasm sysroot's libc), so header-only libraries are added by their own folders.

if(DEFINED ENV{AELAB_CACHE})
  set(_aelab_cache_default "$ENV{AELAB_CACHE}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(_aelab_cache_default "$ENV{XDG_CACHE_HOME}/aelab")
else()
  set(_aelab_cache_default "$ENV{HOME}/.cache/aelab")
endif()
set(AELAB_CACHE "${_aelab_cache_default}" CACHE PATH "Set-up cache (third-party sources and builds)")

# --- Eigen (header-only) ---------------------------------------------------------------------
find_path(EIGEN3_INCLUDE_DIR Eigen/Core PATHS /usr/include/eigen3 NO_CMAKE_FIND_ROOT_PATH NO_DEFAULT_PATH)
if(NOT EIGEN3_INCLUDE_DIR)
  message(FATAL_ERROR "Eigen not found in /usr/include/eigen3: run scripts/setup.sh (Debian package libeigen3-dev)")
endif()
add_library(aelab_eigen INTERFACE)
target_include_directories(aelab_eigen SYSTEM INTERFACE ${EIGEN3_INCLUDE_DIR})

# --- header-only libraries from /usr/include, each through its own folder ------------------------
# A folder in the build tree holds symlinks to exactly the header folders we use, so wasm builds
# never see the rest of /usr/include. (Whole folders: Debian's nlohmann-json is split into many
# headers that include each other as <nlohmann/...>.)
set(AELAB_HOST_HEADERS "${CMAKE_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${AELAB_HOST_HEADERS}")
function(aelab_link_host_headers folder package)
  if(NOT IS_DIRECTORY "/usr/include/${folder}")
    message(FATAL_ERROR "/usr/include/${folder} not found: run scripts/setup.sh (Debian package ${package})")
  endif()
  if(NOT IS_SYMLINK "${AELAB_HOST_HEADERS}/${folder}")
    file(REMOVE_RECURSE "${AELAB_HOST_HEADERS}/${folder}")
  endif()
  file(CREATE_LINK "/usr/include/${folder}" "${AELAB_HOST_HEADERS}/${folder}" SYMBOLIC)
endfunction()
aelab_link_host_headers(doctest doctest-dev)
aelab_link_host_headers(nlohmann nlohmann-json3-dev)
aelab_link_host_headers(stb libstb-dev)
add_library(aelab_host_headers INTERFACE)
target_include_directories(aelab_host_headers SYSTEM INTERFACE "${AELAB_HOST_HEADERS}")

# --- Dear ImGui (compiled from the Debian source package in the cache) ---------------------------
if(AELAB_BUILD_APP)
  set(IMGUI_DIR "${AELAB_CACHE}/imgui" CACHE PATH "Dear ImGui source folder (from the Debian source package)")
  if(NOT EXISTS "${IMGUI_DIR}/imgui.cpp")
    message(FATAL_ERROR "Dear ImGui sources not found in ${IMGUI_DIR}: run scripts/setup.sh")
  endif()
  # Not imgui_demo.cpp: the app shows no demo window (IMGUI_DISABLE_DEMO_WINDOWS would compile it
  # to nothing; leaving it out saves ~10 s of compile in each of the three trees that build it).
  add_library(imgui STATIC
    ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
    ${IMGUI_DIR}/imgui_widgets.cpp
    ${IMGUI_DIR}/backends/imgui_impl_sdl.cpp ${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/backends)
  target_compile_definitions(imgui PUBLIC IMGUI_DISABLE_OBSOLETE_FUNCTIONS)

  # --- SDL2 ----------------------------------------------------------------------------------------
  if(AELAB_WEB)
    set(SDL2_WASM_DIR "${AELAB_CACHE}/sdl2-wasm" CACHE PATH "SDL2 built for WebAssembly (scripts/setup.sh)")
    if(NOT EXISTS "${SDL2_WASM_DIR}/lib/libSDL2.a")
      message(FATAL_ERROR "SDL2 for WebAssembly not found in ${SDL2_WASM_DIR}: run scripts/setup.sh")
    endif()
    add_library(aelab_sdl2 INTERFACE)
    target_include_directories(aelab_sdl2 SYSTEM INTERFACE "${SDL2_WASM_DIR}/include/SDL2")
    target_link_libraries(aelab_sdl2 INTERFACE "${SDL2_WASM_DIR}/lib/libSDL2.a")
  else()
    find_package(SDL2 REQUIRED)
    find_package(OpenGL REQUIRED)
    add_library(aelab_sdl2 INTERFACE)
    target_link_libraries(aelab_sdl2 INTERFACE SDL2::SDL2 OpenGL::GL ${CMAKE_DL_LIBS})
  endif()
  target_link_libraries(imgui PUBLIC aelab_sdl2)
endif()

# --- native-only libraries ---------------------------------------------------------------------
if(NOT AELAB_WEB)
  find_package(CLI11 CONFIG QUIET)
  if(NOT CLI11_FOUND AND NOT EXISTS /usr/include/CLI/CLI.hpp)
    message(FATAL_ERROR "CLI11 not found: run scripts/setup.sh (Debian package libcli11-dev)")
  endif()
  find_package(ZLIB REQUIRED)
endif()

# --- node, for running wasm under ctest (Debian's emscripten 3.1.6 needs acorn on NODE_PATH and ---
# --- node without its built-in fetch) ------------------------------------------------------------
if(AELAB_WEB)
  find_program(NODE_EXECUTABLE node REQUIRED)
  # Debian's emscripten 3.1.6 runtime breaks under Node 18+'s built-in fetch.
  set(CMAKE_CROSSCOMPILING_EMULATOR "${NODE_EXECUTABLE};--no-experimental-fetch" CACHE STRING "" FORCE)
endif()
find_program(NODE_EXECUTABLE node)
