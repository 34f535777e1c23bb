#include "tests/support/serve_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

namespace pm::testing {
namespace {

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::optional<std::chrono::steady_clock::duration> WaitUntil(
    const std::function<bool()>& done,
    std::chrono::steady_clock::duration limit) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < limit) {
    if (done()) return std::chrono::steady_clock::now() - start;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::nullopt;
}

ServeProcess::ServeProcess(const std::string& binary, const std::string& db,
                           const std::filesystem::path& dir,
                           const std::string& name)
    : out_(dir / (name + ".out")), err_(dir / (name + ".err")) {
  pid_ = ::fork();
  if (pid_ == 0) {
    if (std::freopen(out_.c_str(), "w", stdout) == nullptr ||
        std::freopen(err_.c_str(), "w", stderr) == nullptr) {
      ::_exit(126);
    }
    ::execl(binary.c_str(), binary.c_str(), "--db", db.c_str(), "serve",
            "--port", "0", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const std::string marker = "PartnerMatch on 127.0.0.1:";
  WaitUntil(
      [&] {
        const std::string out = Slurp(out_);
        const size_t at = out.find(marker);
        if (at == std::string::npos ||
            out.find("stops the server") == std::string::npos) {
          return false;
        }
        port_ = std::atoi(out.c_str() + at + marker.size());
        return true;
      },
      std::chrono::seconds(60));
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                 grpc::InsecureChannelCredentials());
  stub_ = partnermatch::v1::PartnerMatch::NewStub(channel_);
  health_ = grpc::health::v1::Health::NewStub(channel_);
}

ServeProcess::~ServeProcess() { Kill(SIGTERM); }

std::string ServeProcess::log() const { return Slurp(out_) + Slurp(err_); }

void ServeProcess::Kill(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string ServeProcess::Health() {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = health_->Check(&context, request, &response);
  if (!status.ok()) return status.error_message();
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
      response.status());
}

}  // namespace pm::testing
