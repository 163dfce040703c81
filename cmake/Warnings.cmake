# Warnings for our own targets (third-party sources compiled into the build are left alone).
function(aelab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
