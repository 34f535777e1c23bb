#include "service/grpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <cassert>
#include <chrono>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "service/grpc/bad_request_interceptor.h"
#include "service/grpc/partner_match_service.h"
#include "service/grpc/reflection_v1_service.h"

namespace pm::service {
namespace {

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

// Whether `address` ("host:port", "[v6]:port", "unix:path") is reachable
// from this machine only.
bool IsLoopback(const std::string& address) {
  if (absl::StartsWith(address, "unix:")) return true;
  std::string host = address.substr(0, address.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

// The content of the PEM file `path` named by `flag`.
absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view flag) {
  constexpr size_t kMaxPemBytes = 1 << 20;
  std::ifstream in(path, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
  if (!in || content.empty() || content.size() > kMaxPemBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read ", QuoteInput(path),
                     " (a PEM file of at most 1 MiB)"));
  }
  return content;
}

// Plaintext, or TLS (mutual with a client CA) from the options' files.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "--tls-client-ca needs --tls-cert and --tls-key");
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls-cert and --tls-key");
  }
  PM_ASSIGN_OR_RETURN(const std::string cert,
                      ReadPem(options.tls_cert_file, "--tls-cert"));
  PM_ASSIGN_OR_RETURN(const std::string key,
                      ReadPem(options.tls_key_file, "--tls-key"));
  grpc::SslServerCredentialsOptions ssl(
      GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (!options.tls_client_ca_file.empty()) {
    PM_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                        ReadPem(options.tls_client_ca_file, "--tls-client-ca"));
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  ssl.pem_key_cert_pairs.push_back({key, cert});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PartnerMatchServer>> PartnerMatchServer::Start(
    ProfileCatalog& catalog, const std::string& address, ScoreOptions options,
    ServerOptions server_options) {
  if (!server_options.auth_tokens && !server_options.insecure &&
      !IsLoopback(address)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on ", address,
        " without --auth-tokens: anyone who reaches it could change the "
        "profiles and decisions; give a token file (see README, \"A secure "
        "deployment\"), or --insecure to serve it open anyway"));
  }
  PM_ASSIGN_OR_RETURN(const std::shared_ptr<grpc::ServerCredentials> credentials,
                      Credentials(server_options));
  InitGrpcOnce();
  auto server = absl::WrapUnique(new PartnerMatchServer());
  server->shutdown_grace_ = server_options.shutdown_grace;
  server->service_ = std::make_unique<PartnerMatchServiceImpl>(
      catalog, ReciprocalScorer(std::move(options)),
      CallerPolicy{std::move(server_options.auth_tokens),
                   server_options.auth_reads});

  server->reflection_v1_ = std::make_unique<ReflectionV1Service>(
      std::vector<std::string>{kServiceName, "grpc.health.v1.Health",
                               "grpc.reflection.v1.ServerReflection",
                               "grpc.reflection.v1alpha.ServerReflection"});

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second server bind a
  // port that one already serves and split the connections between them.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(address, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  builder.SetMaxSendMessageSize(kMaxSendMessageBytes);
  grpc::ResourceQuota quota("partner-match");
  quota.SetMaxThreads(kMaxThreads);
  quota.Resize(kMaxBufferMemoryBytes);
  builder.SetResourceQuota(quota);
  std::vector<std::unique_ptr<
      grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<BadRequestInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->reflection_v1_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    if (server->server_ != nullptr) server->server_->Shutdown();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address,
                     ": another process listens on it already, or the "
                     "address is malformed or not allowed",
                     server_options.tls_cert_file.empty()
                         ? ""
                         : ", or the TLS certificate and key do not match"));
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
  // After the grace gRPC cancels the calls still running (their
  // ServerContext::IsCancelled), and the canceller fires their
  // CancellationTokens whatever gRPC does; their engine work stops, so
  // grpc::Server::Shutdown, which waits for their handlers, returns soon.
  std::thread canceller([this] {
    std::unique_lock<std::mutex> lock(shutdown_mu_);
    if (!shutdown_done_cv_.wait_for(lock, shutdown_grace_,
                                    [this] { return shutdown_done_; })) {
      service_->Stop();
    }
  });
  server_->Shutdown(std::chrono::system_clock::now() + shutdown_grace_);
  {
    std::lock_guard<std::mutex> lock(shutdown_mu_);
    shutdown_done_ = true;
  }
  shutdown_done_cv_.notify_all();
  canceller.join();
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
