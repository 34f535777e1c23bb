// What a careless or hostile client costs a running server: sends N requests
// whose id is `bytes` long ('a' × bytes) to a `partner-match serve` at
// `address`, `concurrency` at a time, each with a deadline, and counts the
// status codes and the time. `--rpc plan` sends instead a trio plan of every
// profile (ProposePairings), to see what the server does once the client's
// deadline has passed. Read the server's threads and RSS before and
// after from /proc/<pid>/status (see benchmarks/README.md).
//
//   build/benchmarks/oversized_requests --address 127.0.0.1:50051 \
//       --rpc upsert --requests 1000 --bytes 70000 --concurrency 50
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "partnermatch/v1/partner_match.grpc.pb.h"

namespace {

namespace pb = ::partnermatch::v1;

grpc::Status Send(pb::PartnerMatch::Stub& stub, const std::string& rpc,
                  const std::string& id, std::chrono::milliseconds deadline) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  if (rpc == "delete") {
    pb::DeleteProfileRequest request;
    request.set_id(id);
    pb::DeleteProfileResponse response;
    return stub.DeleteProfile(&context, request, &response);
  }
  if (rpc == "plan") {  // a trio plan of every profile; `id` unused
    pb::ProposePairingsRequest request;
    request.mutable_options()->set_trios(true);
    pb::ProposePairingsResponse response;
    return stub.ProposePairings(&context, request, &response);
  }
  if (rpc == "upsert") {  // a profile whose id is `id`
    pb::UpsertProfilesRequest request;
    pb::Profile* p = request.add_profiles();
    p->set_id(id);
    p->set_name("Oversized");
    p->set_kind("city");
    p->set_country("ES");
    p->set_text("The city is looking to learn about water efficiency.");
    pb::UpsertProfilesResponse response;
    return stub.UpsertProfiles(&context, request, &response);
  }
  if (rpc == "decision") {  // a decision whose kind is `id`
    pb::RecordDecisionRequest request;
    request.mutable_decision()->set_profile_id("p0001");
    request.mutable_decision()->set_partner_id("p0002");
    request.mutable_decision()->set_kind(id);
    request.mutable_decision()->set_who("x");
    pb::RecordDecisionResponse response;
    return stub.RecordDecision(&context, request, &response);
  }
  if (rpc == "suggest") {
    pb::SuggestPartnersRequest request;
    request.set_profile_id(id);
    pb::SuggestPartnersResponse response;
    return stub.SuggestPartners(&context, request, &response);
  }
  pb::GetProfileRequest request;
  request.set_id(id);
  pb::GetProfileResponse response;
  return stub.GetProfile(&context, request, &response);
}

}  // namespace

int main(int argc, char** argv) {
  std::string address = "127.0.0.1:50051", rpc = "get";
  int requests = 1000, concurrency = 50, deadline_ms = 2000;
  size_t bytes = 70000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--address")
      address = value;
    else if (flag == "--rpc")
      rpc = value;
    else if (flag == "--requests")
      requests = std::atoi(value.c_str());
    else if (flag == "--concurrency")
      concurrency = std::atoi(value.c_str());
    else if (flag == "--deadline_ms")
      deadline_ms = std::atoi(value.c_str());
    else if (flag == "--bytes")
      bytes = std::strtoul(value.c_str(), nullptr, 10);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  auto stub = pb::PartnerMatch::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  const std::string id(bytes, 'a');
  std::atomic<int> next{0};
  std::mutex mu;
  std::map<std::string, int> codes;
  size_t longest_message = 0;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(1) < requests) {
        const grpc::Status s =
            Send(*stub, rpc, id, std::chrono::milliseconds(deadline_ms));
        std::lock_guard<std::mutex> lock(mu);
        ++codes[std::to_string(s.error_code())];
        longest_message = std::max(longest_message, s.error_message().size());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf(
      "%d %s requests, id of %zu bytes, %d at a time, deadline %d ms: "
      "%.2f s\n",
      requests, rpc.c_str(), bytes, concurrency, deadline_ms, seconds);
  for (const auto& [code, count] : codes) {
    std::printf("  status %s: %d\n", code.c_str(), count);
  }
  std::printf("  longest error message: %zu bytes\n", longest_message);
  return 0;
}
