// A parallel loop over [0, n) on the machine's cores, the calling thread one
// of them: the engine's one way of spreading independent work (an index
// build's extraction and text analysis, a plan's weak fill, candidate
// lists and reasons).
#ifndef PARTNER_MATCH_ENGINE_COMMON_PARALLEL_FOR_H_
#define PARTNER_MATCH_ENGINE_COMMON_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace pm {

// Calls body(i) for every i in [0, n), in chunks of `chunk` consecutive
// items handed out in order, on min(hardware threads, chunks) threads. When
// a call returns false, no new item starts (those under way finish) and
// ParallelFor returns false; true when every item ran. After each chunk it
// ran, the calling thread calls done(items done by all threads so far), so
// progress is reported from one thread. `body` must be safe to call from
// several threads at once on different items.
template <typename Body, typename Done>
bool ParallelFor(size_t n, size_t chunk, const Body& body, const Done& done) {
  chunk = std::max<size_t>(chunk, 1);
  const size_t chunks = (n + chunk - 1) / chunk;
  const size_t threads = std::min<size_t>(
      std::max(1u, std::thread::hardware_concurrency()), chunks);
  std::atomic<size_t> next{0};
  std::atomic<size_t> finished{0};
  std::atomic<bool> stopped{false};
  auto work = [&](bool caller) {
    for (;;) {
      const size_t begin = next.fetch_add(chunk);
      if (begin >= n || stopped.load(std::memory_order_relaxed)) return;
      const size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i) {
        if (!body(i)) {
          stopped.store(true);
          return;
        }
      }
      const size_t total = finished.fetch_add(end - begin) + (end - begin);
      if (caller) done(total);
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, false);
  work(true);
  for (std::thread& helper : helpers) helper.join();
  return !stopped.load();
}

// body(i) for every i in [0, n), one item at a time, to the end.
template <typename Body>
void ParallelFor(size_t n, const Body& body) {
  ParallelFor(
      n, 1,
      [&](size_t i) {
        body(i);
        return true;
      },
      [](size_t) {});
}

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_COMMON_PARALLEL_FOR_H_
