// health: grpc.health.v1.Health/Check against a running server, for scripts
// and probes that have no grpc tooling (scripts/check_quickstart.sh).
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "service/cli/cli_common.h"

namespace pm::cli {
namespace {

namespace health = grpc::health::v1;

struct HealthOptions {
  std::string address = "127.0.0.1:50051";
  std::string service;
  double wait_seconds = 0;
};

// One Check with a deadline of `timeout`; the status name, or the RPC's
// error in *error.
std::string CheckOnce(health::Health::Stub& stub, const std::string& service,
                      std::chrono::milliseconds timeout, std::string* error) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  health::HealthCheckRequest request;
  request.set_service(service);
  health::HealthCheckResponse response;
  const grpc::Status status = stub.Check(&context, request, &response);
  if (!status.ok()) {
    *error = status.error_message();
    return "";
  }
  return health::HealthCheckResponse::ServingStatus_Name(response.status());
}

// Checks until SERVING or until options.wait_seconds have passed (one check
// when 0). 0 when SERVING.
int RunHealth(const HealthOptions& options) {
  auto stub = health::Health::NewStub(grpc::CreateChannel(
      options.address, grpc::InsecureChannelCredentials()));
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(options.wait_seconds * 1000));
  std::string status, error;
  while (true) {
    error.clear();
    status = CheckOnce(*stub, options.service, std::chrono::seconds(2), &error);
    if (status == "SERVING" || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (status.empty()) {
    return Fail(absl::UnavailableError(absl::StrCat(
        "no health answer from ", options.address, ": ", error)));
  }
  std::cout << status << "\n";
  return status == "SERVING" ? 0 : 1;
}

}  // namespace

void AddHealthCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<HealthOptions>();
  CLI::App* cmd = app.add_subcommand(
      "health", "Ask a running server's grpc.health.v1.Health/Check; exit 0 "
                "when SERVING");
  cmd->add_option("--address", options->address, "The server, host:port");
  cmd->add_option("--service", options->service,
                  "The service to check; empty for the server as a whole");
  cmd->add_option("--wait", options->wait_seconds,
                  "Keep asking up to this many seconds until SERVING")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->callback([&ctx, options] { ctx.exit_code = RunHealth(*options); });
}

}  // namespace pm::cli
