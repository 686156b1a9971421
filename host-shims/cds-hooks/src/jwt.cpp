#include "concord/cds/jwt.hpp"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace concord::cds {
namespace {

namespace json = boost::json;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct Key {
  std::string kid;
  std::string alg;  // "ES384" or "RS384"
  Pkey pkey;
};

// The most tokens remembered at once for replay detection; a flood beyond it is refused
// rather than letting memory grow without bound.
constexpr std::size_t kMaxRememberedTokens = 200'000;

std::string string_field(const json::object& object, std::string_view name) {
  const json::value* v = object.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<std::int64_t> number_field(const json::object& object, std::string_view name) {
  const json::value* v = object.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Bn bignum(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

// Builds a public key from its parameters with OpenSSL 3's provider interface.
Pkey key_from_params(const char* type, OSSL_PARAM_BLD* builder) {
  Pkey result;
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
    result.reset(pkey);
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return result;
}

// One JWK as a public key, or the reason it cannot be one.
std::optional<std::string> read_jwk(const json::object& jwk, Key& key) {
  const std::string kty = string_field(jwk, "kty");
  key.kid = string_field(jwk, "kid");
  key.alg = string_field(jwk, "alg");
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  if (builder == nullptr) return "out of memory";
  std::optional<std::string> problem;
  if (kty == "EC") {
    const auto x = base64url_decode(string_field(jwk, "x"));
    const auto y = base64url_decode(string_field(jwk, "y"));
    if (string_field(jwk, "crv") != "P-384") {
      problem = "an EC key must be on curve P-384 (ES384)";
    } else if (!x || !y || x->size() != 48 || y->size() != 48) {
      problem = "x and y must be 48-byte base64url values";
    } else {
      std::string point = "\x04" + *x + *y;
      OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0);
      OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size());
      key.pkey = key_from_params("EC", builder);
      if (!key.pkey) problem = "the point is not on curve P-384";
      if (key.alg.empty()) key.alg = "ES384";
    }
  } else if (kty == "RSA") {
    const auto n = base64url_decode(string_field(jwk, "n"));
    const auto e = base64url_decode(string_field(jwk, "e"));
    if (!n || !e || n->empty() || e->empty()) {
      problem = "n and e must be base64url values";
    } else {
      const Bn bn_n = bignum(*n), bn_e = bignum(*e);
      OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
      OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
      key.pkey = key_from_params("RSA", builder);
      if (!key.pkey) {
        problem = "not a usable RSA public key";
      } else if (EVP_PKEY_get_bits(key.pkey.get()) < 2048) {
        problem = "an RSA key must have at least 2048 bits";
      }
      if (key.alg.empty()) key.alg = "RS384";
    }
  } else {
    problem = "kty must be EC (P-384) or RSA";
  }
  OSSL_PARAM_BLD_free(builder);
  if (!problem && key.alg != "ES384" && key.alg != "RS384") {
    problem = "alg '" + key.alg + "' is not allowed (CDS Hooks allows ES384 and RS384)";
  }
  return problem;
}

// A JWS ES384 signature is r||s (48 bytes each); OpenSSL verifies the DER form.
std::optional<std::string> ecdsa_der(const std::string& raw) {
  if (raw.size() != 96) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, 48, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 48, 48, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  std::optional<std::string> result;
  if (length > 0)
    result = std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return result;
}

bool signature_holds(const Key& key, std::string_view signed_part, const std::string& signature) {
  std::string der;
  if (key.alg == "ES384") {
    if (EVP_PKEY_is_a(key.pkey.get(), "EC") != 1) return false;
    auto converted = ecdsa_der(signature);
    if (!converted) return false;
    der = std::move(*converted);
  } else if (EVP_PKEY_is_a(key.pkey.get(), "RSA") != 1) {
    return false;
  }
  const std::string& sig = key.alg == "ES384" ? der : signature;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, key.pkey.get()) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::optional<json::object> json_part(std::string_view encoded) {
  const auto text = base64url_decode(encoded);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

struct TokenVerifier::State {
  std::map<std::string, std::vector<Key>, std::less<>> keys_by_issuer;
  std::mutex seen_mutex;
  std::unordered_map<std::string, std::int64_t> seen;  // iss + '\n' + jti -> exp
  std::int64_t next_purge = 0;
};

TokenVerifier::TokenVerifier() : state_(std::make_unique<State>()) {}
TokenVerifier::~TokenVerifier() = default;

std::unique_ptr<TokenVerifier> TokenVerifier::load(const std::vector<Issuer>& issuers,
                                                   std::string& error) {
  std::unique_ptr<TokenVerifier> verifier(new TokenVerifier());
  for (const Issuer& issuer : issuers) {
    const std::string where = issuer.jwks_file.string();
    if (issuer.iss.empty()) {
      error = "an issuer has no iss; give the EHR's issuer URL with its JWKS file";
      return nullptr;
    }
    std::ifstream in(issuer.jwks_file, std::ios::binary);
    if (!in) {
      error = where + ": cannot read the JWKS file of issuer " + issuer.iss;
      return nullptr;
    }
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const json::value doc = json::parse(text.str(), ec);
    const json::value* keys =
        !ec && doc.is_object() ? doc.get_object().if_contains("keys") : nullptr;
    if (keys == nullptr || !keys->is_array()) {
      error = where + ": not a JWKS (expected a JSON object with a \"keys\" array)";
      return nullptr;
    }
    std::vector<Key>& list = verifier->state_->keys_by_issuer[issuer.iss];
    std::size_t index = 0;
    for (const json::value& jwk : keys->get_array()) {
      Key key;
      const auto problem = jwk.is_object() ? read_jwk(jwk.get_object(), key)
                                           : std::optional<std::string>("not a JSON object");
      if (problem) {
        error = where + ": /keys/" + std::to_string(index) + ": " + *problem;
        return nullptr;
      }
      list.push_back(std::move(key));
      ++index;
    }
    if (list.empty()) {
      error = where + ": the JWKS holds no keys";
      return nullptr;
    }
  }
  return verifier;
}

std::optional<TokenError> TokenVerifier::verify(std::string_view authorization,
                                                std::string_view audience,
                                                std::chrono::system_clock::time_point now) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty())
    return TokenError{"no Authorization header (a Bearer JWT is required)"};
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return TokenError{"the Authorization header must be 'Bearer <JWT>'"};
  }
  const std::string_view token = authorization.substr(kBearer.size());
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return TokenError{"the bearer token is not a JWS compact serialization (three parts)"};
  }
  const auto header = json_part(token.substr(0, dot1));
  const auto claims = json_part(token.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header || !claims || !signature) {
    return TokenError{"the JWT header, claims or signature is not base64url-encoded JSON"};
  }
  const std::string alg = string_field(*header, "alg");
  if (alg != "ES384" && alg != "RS384") {
    return TokenError{"JWT alg '" + alg + "' is not allowed (ES384 or RS384 only)"};
  }
  const std::string iss = string_field(*claims, "iss");
  const auto issuer = state_->keys_by_issuer.find(iss);
  if (issuer == state_->keys_by_issuer.end()) {
    return TokenError{"issuer '" + iss + "' is not allowed"};
  }
  const std::string kid = string_field(*header, "kid");
  const std::string_view signed_part = token.substr(0, dot2);
  bool verified = false;
  for (const Key& key : issuer->second) {
    if (key.alg != alg || (!kid.empty() && !key.kid.empty() && key.kid != kid)) continue;
    if (signature_holds(key, signed_part, *signature)) {
      verified = true;
      break;
    }
  }
  if (!verified) return TokenError{"the JWT signature does not verify with issuer's keys"};

  bool audience_matches = false;
  if (const json::value* aud = claims->if_contains("aud")) {
    if (aud->is_string()) audience_matches = aud->get_string() == audience;
    if (aud->is_array()) {
      for (const json::value& a : aud->get_array()) {
        if (a.is_string() && a.get_string() == audience) audience_matches = true;
      }
    }
  }
  if (!audience_matches) {
    return TokenError{"the JWT aud is not this endpoint (" + std::string(audience) + ")"};
  }
  const std::int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto exp = number_field(*claims, "exp");
  const auto iat = number_field(*claims, "iat");
  if (!exp || !iat) return TokenError{"the JWT must carry exp and iat"};
  if (*exp + clock_skew.count() <= seconds) return TokenError{"the JWT has expired"};
  if (*iat > seconds + clock_skew.count()) return TokenError{"the JWT iat is in the future"};
  const std::string jti = string_field(*claims, "jti");
  if (jti.empty()) return TokenError{"the JWT must carry a jti"};

  std::lock_guard lock(state_->seen_mutex);
  auto& seen = state_->seen;
  if (seconds >= state_->next_purge || seen.size() >= kMaxRememberedTokens) {
    std::erase_if(seen,
                  [&](const auto& entry) { return entry.second + clock_skew.count() <= seconds; });
    state_->next_purge = seconds + 10;
  }
  if (seen.size() >= kMaxRememberedTokens) {
    return TokenError{"too many unexpired tokens remembered; try again shortly"};
  }
  if (!seen.emplace(iss + '\n' + jti, *exp).second) {
    return TokenError{"the JWT jti was already used (replayed token)"};
  }
  return std::nullopt;
}

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '-')
      value = 62;
    else if (c == '_')
      value = 63;
    else
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if (bits >= 6) return std::nullopt;  // a single leftover character is never valid
  return out;
}

}  // namespace concord::cds
