// The planner's one way of spreading independent work over the cores.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_PARALLEL_FOR_H_
#define PARTNER_MATCH_ENGINE_PLANNING_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace pm {

// Runs body(i) for i in [0, n) on all cores (the calling thread is one of
// them), each i once, in no particular order; returns when all are done.
// `body` must be safe to run concurrently for different i.
template <typename Body>
void ParallelFor(size_t n, const Body& body) {
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) body(i);
  };
  std::vector<std::thread> started;
  for (size_t t = 1; t < std::min(threads, n); ++t) {
    started.emplace_back(worker);
  }
  worker();
  for (std::thread& thread : started) thread.join();
}

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_PARALLEL_FOR_H_
