// The 16×16 bridge student's forward pass written straight against libtorch's C++ API (no Swift, no Python): the
// floor any libtorch-based fp32 path can reach, for issue 21's batch-1 goal (docs/experiments/precision.md).
// Layers as Sources/Visage/Models/Backbones/BridgeStudent.swift with batch norm folded (convolutions with bias),
// random weights (speed does not depend on them). Build and run from the repository root:
//
//   clang++ -O2 -std=c++17 scripts/experiments/student-libtorch-floor.cpp -o /tmp/student-floor \
//       -ltorch -ltorch_cpu -lc10 && MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=2147483647 /tmp/student-floor
//
// Prints µs per pass and faces/s at batch 1 and 256, NCHW and channels-last, one thread.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <chrono>
#include <cstdio>
#include <vector>
int main() {
  at::set_num_threads(1);
  at::NoGradGuard guard;
  std::vector<int> widths = {16, 32, 16, 32, 64, 32, 64, 96, 48, 128}, kernels = {3, 3, 1, 3, 3, 1, 3, 3, 1, 3};
  for (bool cl : {false, true}) {
    std::vector<at::Tensor> w, b;
    int c = 3;
    for (int i = 0; i < 10; ++i) {
      auto t = at::randn({widths[i], c, kernels[i], kernels[i]}) * 0.1;
      w.push_back(cl ? t.contiguous(at::MemoryFormat::ChannelsLast) : t);
      b.push_back(at::randn({widths[i]}));
      c = widths[i];
    }
    auto f1 = at::randn({128, 128}), f2 = at::randn({128, 128}), f3 = at::randn({128, 128}), fb = at::zeros({128});
    auto conv = [&](const at::Tensor &h, int i) { return at::conv2d(h, w[i], b[i], 1, kernels[i] / 2); };
    auto unit = [&](const at::Tensor &h, int i) { return at::relu(conv(h, i)); };
    auto pool = [&](const at::Tensor &h) { return at::max_pool2d(h, {2, 2}, {}, {0, 0}, {1, 1}, true); };
    auto forward = [&](const at::Tensor &x) {
      auto h = pool(unit(x, 0));
      auto s1 = unit(h, 1);
      h = pool(at::relu(s1 + conv(unit(s1, 2), 3)));
      auto s2 = unit(h, 4);
      h = pool(at::relu(s2 + conv(unit(s2, 5), 6)));
      h = unit(unit(unit(h, 7), 8), 9).mean({2, 3});
      return at::linear(at::relu(at::linear(at::relu(at::linear(h, f1, fb)), f2, fb)), f3, fb);
    };
    for (int batch : {1, 256}) {
      auto x = at::randn({batch, 3, 16, 16});
      if (cl) x = x.contiguous(at::MemoryFormat::ChannelsLast);
      int n = batch == 1 ? 5000 : 50;
      for (int i = 0; i < 20; ++i) forward(x);
      auto s = std::chrono::steady_clock::now();
      for (int i = 0; i < n; ++i) forward(x);
      double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - s).count() / n;
      printf("%s batch %d: %.1f us/pass, %.0f faces/s\n", cl ? "channels-last" : "nchw", batch, us, batch * 1e6 / us);
    }
  }
}
