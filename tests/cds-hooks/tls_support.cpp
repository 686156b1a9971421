#include "tls_support.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

namespace concord::cds::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertificateFree {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Certificate = std::unique_ptr<X509, CertificateFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

Key new_key() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  check(key != nullptr, "EC P-256 key generation");
  return key;
}

void add_extension(X509* certificate, X509V3_CTX& context, int nid, const char* value) {
  X509_EXTENSION* extension = X509V3_EXT_nconf_nid(nullptr, &context, nid, value);
  check(extension != nullptr, value);
  const int added = X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
  check(added == 1, "adding an extension");
}

// A certificate for `key` named `common_name`, valid from an hour ago for a day, signed by
// the issuer (itself when `issuer` is null).
Certificate make_certificate(EVP_PKEY* key, const std::string& common_name, X509* issuer,
                             EVP_PKEY* issuer_key, bool is_ca, const std::string& alt_names) {
  static std::atomic<long> serial{1000};
  Certificate certificate(X509_new());
  check(certificate != nullptr, "X509_new");
  X509* c = certificate.get();
  check(X509_set_version(c, X509_VERSION_3) == 1, "setting the version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(c), serial++) == 1, "setting the serial");
  check(X509_gmtime_adj(X509_getm_notBefore(c), -3600) != nullptr, "setting notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(c), 24 * 3600) != nullptr, "setting notAfter");
  check(X509_set_pubkey(c, key) == 1, "setting the public key");
  X509_NAME* name = X509_get_subject_name(c);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) == 1,
        "setting the subject");
  check(X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer) : name) == 1,
        "setting the issuer");
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer != nullptr ? issuer : c, c, nullptr, nullptr, 0);
  add_extension(c, context, NID_subject_key_identifier, "hash");
  if (is_ca) {
    add_extension(c, context, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(c, context, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(c, context, NID_authority_key_identifier, "keyid:always");
    add_extension(c, context, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(c, context, NID_key_usage, "critical,digitalSignature");
    add_extension(c, context, NID_ext_key_usage, "serverAuth");
    add_extension(c, context, NID_subject_alt_name, alt_names.c_str());
  }
  check(X509_sign(c, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "signing");
  return certificate;
}

std::string pem_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string pem_of(X509* certificate) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509(bio.get(), certificate) == 1, "writing a certificate");
  return pem_text(bio.get());
}

std::string pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing a private key");
  return pem_text(bio.get());
}

}  // namespace

struct TestCertificateAuthority::Impl {
  Key key;
  Certificate certificate;
};

TestCertificateAuthority::TestCertificateAuthority(const std::string& name)
    : impl_(std::make_unique<Impl>()) {
  impl_->key = new_key();
  impl_->certificate = make_certificate(impl_->key.get(), name, nullptr, nullptr, true, "");
  certificate_pem_ = pem_of(impl_->certificate.get());
}

TestCertificateAuthority::~TestCertificateAuthority() = default;

std::filesystem::path TestCertificateAuthority::write_certificate(
    const std::filesystem::path& file) const {
  std::ofstream(file, std::ios::binary) << certificate_pem_;
  return file;
}

ServerCertificate TestCertificateAuthority::issue(const std::string& common_name,
                                                  const std::string& alt_names) const {
  Key key = new_key();
  Certificate certificate = make_certificate(key.get(), common_name, impl_->certificate.get(),
                                             impl_->key.get(), false, alt_names);
  return {pem_of(certificate.get()), pem_of(key.get())};
}

}  // namespace concord::cds::testing
