// Checks the bearer token a CDS Client sends with each call (CDS Hooks 2.0, "Trusting CDS
// Clients"): a JWT signed with ES384 or RS384 by an allowed issuer, for this endpoint, fresh,
// and never seen before.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::cds {

// An EHR allowed to call the service, and the public keys it signs with (a JWKS file; keys
// are not fetched from a jku URL).
struct Issuer {
  std::string iss;
  std::filesystem::path jwks_file;
};

// Why a token was refused, for the 401 response and the log (never the token itself).
struct TokenError {
  std::string message;
};

class TokenVerifier {
 public:
  // Loads every issuer's JWKS. On failure returns null and says which file and why.
  static std::unique_ptr<TokenVerifier> load(const std::vector<Issuer>& issuers,
                                             std::string& error);
  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  // Checks an Authorization header value ("Bearer <jwt>") for a call to `audience` (the URL of
  // the endpoint being invoked). A token that passes is remembered by its jti until it
  // expires, so the same token is refused the second time.
  std::optional<TokenError> verify(std::string_view authorization, std::string_view audience,
                                   std::chrono::system_clock::time_point now);

  // How far an iat may lie in the future, and an exp in the past, for clocks that differ.
  std::chrono::seconds clock_skew{60};

 private:
  TokenVerifier();
  struct State;
  std::unique_ptr<State> state_;
};

// base64url without padding (RFC 7515 section 2), as JWTs and JWKs use it.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace concord::cds
