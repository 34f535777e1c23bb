#include "service/grpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <cassert>
#include <chrono>
#include <mutex>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "service/grpc/partner_match_service.h"
#include "service/grpc/reflection_v1_service.h"

namespace pm::service {
namespace {

constexpr std::chrono::seconds kShutdownGrace{5};

// Process-wide gRPC switches, read when a ServerBuilder builds: the default
// health service and the reflection plugin. Both are idempotent but not
// thread-safe, hence once.
void InitGrpcOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  });
}

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PartnerMatchServer>> PartnerMatchServer::Start(
    ProfileCatalog& catalog, const std::string& address, ScoreOptions options) {
  InitGrpcOnce();
  auto server = absl::WrapUnique(new PartnerMatchServer());
  server->service_ = std::make_unique<PartnerMatchServiceImpl>(
      catalog, ReciprocalScorer(std::move(options)));

  server->reflection_v1_ = std::make_unique<ReflectionV1Service>(
      std::vector<std::string>{kServiceName, "grpc.health.v1.Health",
                               "grpc.reflection.v1.ServerReflection",
                               "grpc.reflection.v1alpha.ServerReflection"});

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second server bind a
  // port that one already serves and split the connections between them.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Plaintext: the server is meant to sit behind the deployment's TLS
  // terminator (or on localhost for the command line).
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &server->port_);
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->reflection_v1_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    if (server->server_ != nullptr) server->server_->Shutdown();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address,
                     ": another process listens on it already, or the "
                     "address is malformed or not allowed"));
  }
  if (grpc::HealthCheckServiceInterface* health =
          server->server_->GetHealthCheckService()) {
    health->SetServingStatus("", true);
    health->SetServingStatus(kServiceName, true);
  }
  return server;
}

PartnerMatchServer::~PartnerMatchServer() {
  if (server_ == nullptr) return;
  Shutdown();
  server_->Wait();
}

void PartnerMatchServer::Wait() { server_->Wait(); }

void PartnerMatchServer::Shutdown() {
  // Health first, so load balancers stop sending calls; SetServingStatus(bool)
  // covers every service name, "" included. grpc::Server::Shutdown is
  // itself idempotent and thread-safe.
  {
    std::lock_guard<std::mutex> lock(health_mu_);
    shut_down_ = true;
    if (grpc::HealthCheckServiceInterface* health =
            server_->GetHealthCheckService()) {
      health->SetServingStatus(false);
    }
  }
  server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
}

void PartnerMatchServer::SetServing(bool serving) {
  std::lock_guard<std::mutex> lock(health_mu_);
  if (shut_down_) return;
  if (grpc::HealthCheckServiceInterface* health =
          server_->GetHealthCheckService()) {
    health->SetServingStatus(serving);
  }
}

void BlockShutdownSignals() {
  const sigset_t set = ShutdownSignals();
  const int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  assert(rc == 0);  // fails only for an invalid `how`
  (void)rc;
}

void ServeUntilSignal(PartnerMatchServer& server) {
  // Blocking here again makes sigwait reliable for signals sent to this
  // thread; process-wide ones need BlockShutdownSignals early in main.
  BlockShutdownSignals();
  const sigset_t set = ShutdownSignals();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
    // sigwait fails only for an invalid set; retry rather than exit early.
  }
  server.Shutdown();
  server.Wait();
}

}  // namespace pm::service
