// A `partner-match --db URL serve --port 0` process for tests and
// benchmarks, with stubs to call it.
#ifndef PARTNER_MATCH_TESTS_SUPPORT_SERVE_PROCESS_H_
#define PARTNER_MATCH_TESTS_SUPPORT_SERVE_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "partnermatch/v1/partner_match.grpc.pb.h"

namespace pm::testing {

// Polls `done` every millisecond until it is true or `limit` has passed;
// how long it took, or nullopt.
std::optional<std::chrono::steady_clock::duration> WaitUntil(
    const std::function<bool()>& done,
    std::chrono::steady_clock::duration limit);

class ServeProcess {
 public:
  // Starts `binary` serving `db`, its output in dir/name.out and .err, and
  // waits (up to 60 s) until it listens.
  ServeProcess(const std::string& binary, const std::string& db,
               const std::filesystem::path& dir, const std::string& name);
  // SIGTERM, and waits for the exit.
  ~ServeProcess();

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // What it printed, for failure messages.
  std::string log() const;
  partnermatch::v1::PartnerMatch::Stub& stub() { return *stub_; }
  // Sends `signal` and waits for the exit.
  void Kill(int signal);
  // "SERVING", "NOT_SERVING", or the RPC's error.
  std::string Health();

 private:
  const std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<partnermatch::v1::PartnerMatch::Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_SUPPORT_SERVE_PROCESS_H_
