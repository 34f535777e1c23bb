// The gRPC server: PartnerMatch, grpc.health.v1.Health and server reflection
// (grpc.reflection.v1 and v1alpha) over one ProfileCatalog.
#ifndef PARTNER_MATCH_SERVICE_GRPC_SERVER_H_
#define PARTNER_MATCH_SERVICE_GRPC_SERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/matching/reciprocal_scorer.h"
#include "service/api/auth_tokens.h"

namespace grpc {
class Server;
}

namespace pm::service {

class PartnerMatchServiceImpl;
class ReflectionV1Service;

// How the server faces its network (README: "A secure deployment").
struct ServerOptions {
  // TLS: the server's certificate chain and private key, PEM files; both
  // empty for plaintext.
  std::string tls_cert_file;
  std::string tls_key_file;
  // With TLS: PEM file of the CAs whose client certificates the server
  // requires (mutual TLS); empty to ask for none.
  std::string tls_client_ca_file;
  // Bearer tokens (AuthTokens); without, every call is open.
  std::optional<AuthTokens> auth_tokens;
  // With tokens: reads need a token too (any token, read-only or not).
  bool auth_reads = false;
  // Listen on an address other than loopback without tokens: refused
  // unless set (anyone who reaches the port could write).
  bool insecure = false;
  // How long Shutdown lets running calls finish before it cancels them.
  std::chrono::milliseconds shutdown_grace{5000};
};

// Owns the running server. Thread-safe: Shutdown may be called from any
// thread, Wait from one.
class PartnerMatchServer {
 public:
  // Binds `address` ("host:port"; port 0 picks a free one) and starts
  // serving `catalog`, which must outlive the server. UNAVAILABLE naming the
  // address when it cannot be bound, in particular when another process (or
  // another server in this one) listens on it already: port reuse
  // (SO_REUSEPORT) is off, so two servers never split one address.
  // FAILED_PRECONDITION for a non-loopback address without auth tokens
  // unless `server.insecure`; INVALID_ARGUMENT for a TLS file that cannot
  // be read, or a key without a certificate (or the reverse).
  static absl::StatusOr<std::unique_ptr<PartnerMatchServer>> Start(
      ProfileCatalog& catalog, const std::string& address,
      ScoreOptions options = {}, ServerOptions server = {});
  // Shuts down as Shutdown does, and waits for the server to stop.
  ~PartnerMatchServer();

  // The bound port.
  int port() const { return port_; }
  // Blocks until the server has shut down.
  void Wait();
  // Graceful: stops accepting calls, lets running ones finish for the
  // grace period (ServerOptions::shutdown_grace), then cancels the rest
  // (their engine work stops through their CancellationToken) and returns
  // once their handlers have; marks health NOT_SERVING first. Idempotent.
  void Shutdown();
  // Sets the health status of every service name (a replica that cannot
  // reach its store, or is catching up with it, is NOT_SERVING). No effect
  // after Shutdown.
  void SetServing(bool serving);

  // The largest request the server accepts, in bytes (gRPC's default is
  // 4 MiB): room for an UpsertProfiles batch of some thousand typical
  // profiles (1-3 KB of text each), or 250 of the largest (64 KiB). Larger
  // requests fail with RESOURCE_EXHAUSTED.
  static constexpr int kMaxReceiveMessageBytes = 16 * 1024 * 1024;
  // The largest response it sends. Every response of the API stays far
  // below gRPC's default 4 MiB client limit (a ListProfiles page stops at
  // PartnerMatchApi::kMaxPageBytes) except plans and clusters of thousands
  // of members, which may need a client limit of up to this.
  static constexpr int kMaxSendMessageBytes = 16 * 1024 * 1024;
  // Threads serving calls at once (grpc::ResourceQuota): a call beyond
  // them is refused with RESOURCE_EXHAUSTED rather than queued.
  static constexpr int kMaxThreads = 32;
  // Memory of gRPC's buffers (grpc::ResourceQuota).
  static constexpr size_t kMaxBufferMemoryBytes = 512 * 1024 * 1024;
  // The service name health checks report on, besides "" (the server).
  static constexpr char kServiceName[] = "partnermatch.v1.PartnerMatch";

 private:
  PartnerMatchServer() = default;
  std::unique_ptr<PartnerMatchServiceImpl> service_;
  std::unique_ptr<ReflectionV1Service> reflection_v1_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::chrono::milliseconds shutdown_grace_{5000};
  std::mutex shutdown_mu_;
  std::condition_variable shutdown_done_cv_;
  bool shutdown_done_ = false;  // guarded by shutdown_mu_
  std::mutex health_mu_;
  bool shut_down_ = false;  // guarded by health_mu_
};

// Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it
// creates afterwards (threads inherit the signal mask). Call it first thing
// in main, before anything starts a thread (gRPC starts its own when a
// channel or server is made), when the program will use ServeUntilSignal:
// sigwait only takes a process-wide signal reliably when every thread blocks
// it; otherwise the kernel may deliver it to a thread that does not, whose
// default action ends the process without a graceful shutdown.
void BlockShutdownSignals();

// Serves until SIGINT or SIGTERM arrives, then shuts down gracefully.
// Prints nothing; returns when the server has stopped. Waits with sigwait on
// the calling thread (no handler, no extra thread), after blocking the two
// signals there; see BlockShutdownSignals for what the caller must do first.
// The signals stay blocked on return.
void ServeUntilSignal(PartnerMatchServer& server);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_GRPC_SERVER_H_
