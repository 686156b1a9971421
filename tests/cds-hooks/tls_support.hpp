// Test support for https: a throwaway certificate authority made at test time with OpenSSL
// (EC P-256 keys, SHA-256 signatures), and server certificates it issues for the names a test
// chooses, all as PEM text.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace concord::cds::testing {

struct ServerCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

class TestCertificateAuthority {
 public:
  explicit TestCertificateAuthority(const std::string& name);
  ~TestCertificateAuthority();
  TestCertificateAuthority(const TestCertificateAuthority&) = delete;
  TestCertificateAuthority& operator=(const TestCertificateAuthority&) = delete;

  const std::string& certificate_pem() const { return certificate_pem_; }
  // Writes the CA's certificate to `file` (what a client is told to trust); returns `file`.
  std::filesystem::path write_certificate(const std::filesystem::path& file) const;

  // A server certificate (serverAuth) signed by this CA. `alt_names` is the subjectAltName
  // in OpenSSL's form, e.g. "DNS:localhost,IP:127.0.0.1".
  ServerCertificate issue(const std::string& common_name, const std::string& alt_names) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string certificate_pem_;
};

}  // namespace concord::cds::testing
