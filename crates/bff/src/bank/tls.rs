//! The TLS of the BFF's calls to the bank and to connectFi: the client certificate it
//! presents where the bank requires mutual TLS (its production API does, set up at
//! onboarding), and a private CA trusted besides the public roots.
//!
//! The files are read and checked once, at start: a missing file, one that holds no usable
//! PEM, or a key that is not the certificate's stops the BFF naming the setting, rather than
//! failing every bank call with a handshake error.

use rustls::crypto::ring;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use rustls::{InconsistentKeys, RootCertStore};
use std::fmt;
use std::path::{Path, PathBuf};

/// The setting naming the client certificate's PEM file.
const CLIENT_CERT: &str = "BANK_CLIENT_CERT";
/// The setting naming its private key's PEM file.
const CLIENT_KEY: &str = "BANK_CLIENT_KEY";
/// The setting naming the PEM file of a private CA to trust.
const CA: &str = "BANK_CA";

/// How the calls to the bank and to connectFi use TLS, beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct ClientTls {
    /// `BANK_CLIENT_CERT` and `BANK_CLIENT_KEY`: the certificate presented, with its key.
    pub identity: Option<ClientIdentity>,
    /// `BANK_CA`: the certificates of a private CA, trusted besides the public roots.
    pub private_ca: Vec<reqwest::Certificate>,
}

/// A client certificate (with any intermediates) and its private key, checked to match.
#[derive(Clone)]
pub struct ClientIdentity {
    /// The certificate's file, for the log; the key's material is never printed.
    certificate: PathBuf,
    identity: reqwest::Identity,
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("certificate", &self.certificate)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl ClientTls {
    /// Reads and checks the files `BANK_CLIENT_CERT`, `BANK_CLIENT_KEY` and `BANK_CA` name;
    /// `setting` answers a setting's value when it is set and not blank.
    pub fn read(setting: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let identity = match (setting(CLIENT_CERT), setting(CLIENT_KEY)) {
            (None, None) => None,
            (Some(certificate), Some(key)) => Some(ClientIdentity::read(
                Path::new(certificate.trim()),
                Path::new(key.trim()),
            )?),
            (Some(_), None) => {
                return Err(format!(
                    "{CLIENT_KEY} is not set: {CLIENT_CERT} needs its private key"
                ))
            }
            (None, Some(_)) => {
                return Err(format!(
                    "{CLIENT_CERT} is not set: {CLIENT_KEY} needs its certificate"
                ))
            }
        };
        let private_ca = match setting(CA) {
            Some(path) => private_ca(Path::new(path.trim()))?,
            None => Vec::new(),
        };
        Ok(Self {
            identity,
            private_ca,
        })
    }
}

impl ClientIdentity {
    /// The certificate chain at `certificate` and the private key at `key`, both PEM.
    fn read(certificate: &Path, key: &Path) -> Result<Self, String> {
        let certificate_pem = read(CLIENT_CERT, certificate)?;
        let chain = certificates(CLIENT_CERT, certificate, &certificate_pem)?;
        let key_pem = read(CLIENT_KEY, key)?;
        let key_der = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
            format!(
                "{CLIENT_KEY}: {} holds no PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted): {e}",
                key.display()
            )
        })?;
        // With the provider reqwest's TLS uses, so what is accepted here is what it can sign with.
        let signing_key = ring::default_provider()
            .key_provider
            .load_private_key(key_der)
            .map_err(|e| {
                format!(
                    "{CLIENT_KEY}: {} is not a usable private key: {e}",
                    key.display()
                )
            })?;
        match CertifiedKey::new(chain, signing_key).keys_match() {
            // A key that cannot tell its public key is left for the handshake to try, as
            // rustls itself does.
            Ok(()) | Err(rustls::Error::InconsistentKeys(InconsistentKeys::Unknown)) => {}
            Err(rustls::Error::InconsistentKeys(_)) => {
                return Err(format!(
                    "{CLIENT_KEY}: {} is not the private key of the certificate in \
                     {CLIENT_CERT} ({})",
                    key.display(),
                    certificate.display()
                ))
            }
            Err(e) => {
                return Err(format!(
                    "{CLIENT_CERT}: {} does not hold a usable certificate: {e}",
                    certificate.display()
                ))
            }
        }
        let identity =
            reqwest::Identity::from_pem(&[&certificate_pem[..], b"\n", &key_pem].concat())
                .map_err(|e| {
                    format!(
                        "{CLIENT_CERT} and {CLIENT_KEY}: {} and {} cannot be used together: {e}",
                        certificate.display(),
                        key.display()
                    )
                })?;
        Ok(Self {
            certificate: certificate.to_owned(),
            identity,
        })
    }

    /// The certificate and key, for the one place that builds the HTTP client.
    pub(crate) fn identity(&self) -> &reqwest::Identity {
        &self.identity
    }
}

/// The CA certificates at `path`, each checked to be one a TLS client can trust.
fn private_ca(path: &Path) -> Result<Vec<reqwest::Certificate>, String> {
    let pem = read(CA, path)?;
    let mut roots = RootCertStore::empty();
    for certificate in certificates(CA, path, &pem)? {
        roots.add(certificate).map_err(|e| {
            format!(
                "{CA}: {} holds a certificate that cannot be trusted as a CA: {e}",
                path.display()
            )
        })?;
    }
    reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("{CA}: {} cannot be read: {e}", path.display()))
}

/// The file `setting` names.
fn read(setting: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{setting}: cannot read {}: {e}", path.display()))
}

/// The PEM certificates in `pem`, at least one.
fn certificates(
    setting: &str,
    path: &Path,
    pem: &[u8],
) -> Result<Vec<CertificateDer<'static>>, String> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{setting}: {} is not PEM: {e}", path.display()))?;
    if certificates.is_empty() {
        return Err(format!(
            "{setting}: {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, ExtendedKeyUsagePurpose, IsCa,
        KeyPair,
    };
    use std::collections::HashMap;
    use tempfile::TempDir;

    /// A CA's certificate, a client certificate it issued with its key, and another key,
    /// as PEM files in a temporary directory.
    struct Files {
        dir: TempDir,
    }

    impl Files {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
            ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
            let mut client = CertificateParams::new(vec!["bff.partner.test".to_owned()]).unwrap();
            client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            let key = KeyPair::generate().unwrap();
            let certificate = client.signed_by(&key, &ca).unwrap();
            for (name, pem) in [
                ("ca.pem", ca.pem()),
                ("client.pem", certificate.pem()),
                ("client.key", key.serialize_pem()),
                ("other.key", KeyPair::generate().unwrap().serialize_pem()),
                ("garbage.pem", "not a certificate\n".to_owned()),
            ] {
                std::fs::write(dir.path().join(name), pem).unwrap();
            }
            Self { dir }
        }

        fn path(&self, name: &str) -> String {
            self.dir.path().join(name).display().to_string()
        }

        fn read(&self, vars: &[(&str, &str)]) -> Result<ClientTls, String> {
            let vars: HashMap<String, String> = vars
                .iter()
                .map(|(k, v)| ((*k).to_owned(), self.path(v)))
                .collect();
            ClientTls::read(|name| vars.get(name).cloned())
        }
    }

    #[test]
    fn no_settings_no_client_certificate_and_the_public_roots() {
        let tls = ClientTls::read(|_| None).unwrap();
        assert!(tls.identity.is_none());
        assert!(tls.private_ca.is_empty());
    }

    #[test]
    fn a_matching_certificate_and_key_and_a_ca_are_read() {
        let files = Files::new();
        let tls = files
            .read(&[
                (CLIENT_CERT, "client.pem"),
                (CLIENT_KEY, "client.key"),
                (CA, "ca.pem"),
            ])
            .unwrap();
        assert!(tls.identity.is_some());
        assert_eq!(tls.private_ca.len(), 1);
    }

    #[test]
    fn the_key_never_prints() {
        let files = Files::new();
        let tls = files
            .read(&[(CLIENT_CERT, "client.pem"), (CLIENT_KEY, "client.key")])
            .unwrap();
        let key = std::fs::read_to_string(files.path("client.key")).unwrap();
        let printed = format!("{tls:?}");
        assert!(printed.contains("client.pem"), "{printed}");
        assert!(printed.contains("[redacted]"), "{printed}");
        for line in key.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!printed.contains(line), "{printed}");
        }
    }

    #[test]
    fn a_key_of_another_certificate_is_refused_naming_bank_client_key() {
        let files = Files::new();
        let err = files
            .read(&[(CLIENT_CERT, "client.pem"), (CLIENT_KEY, "other.key")])
            .unwrap_err();
        assert!(err.starts_with("BANK_CLIENT_KEY:"), "{err}");
        assert!(err.contains("not the private key"), "{err}");
    }

    #[test]
    fn a_missing_file_is_refused_naming_its_setting() {
        let files = Files::new();
        for (setting, vars) in [
            (
                CLIENT_CERT,
                [(CLIENT_CERT, "missing.pem"), (CLIENT_KEY, "client.key")],
            ),
            (
                CLIENT_KEY,
                [(CLIENT_CERT, "client.pem"), (CLIENT_KEY, "missing.key")],
            ),
        ] {
            let err = files.read(&vars).unwrap_err();
            assert!(err.starts_with(&format!("{setting}: cannot read")), "{err}");
            assert!(err.contains("missing."), "{err}");
        }
        let err = files.read(&[(CA, "missing.pem")]).unwrap_err();
        assert!(err.starts_with("BANK_CA: cannot read"), "{err}");
    }

    #[test]
    fn an_unreadable_or_garbage_file_is_refused_naming_its_setting() {
        let files = Files::new();
        // A directory: the path exists, the file cannot be read.
        let err = files
            .read(&[(CLIENT_CERT, ""), (CLIENT_KEY, "client.key")])
            .unwrap_err();
        assert!(err.starts_with("BANK_CLIENT_CERT: cannot read"), "{err}");
        let err = files
            .read(&[(CLIENT_CERT, "garbage.pem"), (CLIENT_KEY, "client.key")])
            .unwrap_err();
        assert!(err.starts_with("BANK_CLIENT_CERT:"), "{err}");
        assert!(err.contains("no PEM certificate"), "{err}");
        // A certificate where the key should be.
        let err = files
            .read(&[(CLIENT_CERT, "client.pem"), (CLIENT_KEY, "client.pem")])
            .unwrap_err();
        assert!(err.starts_with("BANK_CLIENT_KEY:"), "{err}");
        let err = files.read(&[(CA, "garbage.pem")]).unwrap_err();
        assert!(err.starts_with("BANK_CA:"), "{err}");
        // A key where the CA should be.
        let err = files.read(&[(CA, "client.key")]).unwrap_err();
        assert!(err.starts_with("BANK_CA:"), "{err}");
    }

    #[test]
    fn a_certificate_without_its_key_or_a_key_without_its_certificate_is_refused() {
        let files = Files::new();
        let err = files.read(&[(CLIENT_CERT, "client.pem")]).unwrap_err();
        assert!(err.starts_with("BANK_CLIENT_KEY is not set"), "{err}");
        let err = files.read(&[(CLIENT_KEY, "client.key")]).unwrap_err();
        assert!(err.starts_with("BANK_CLIENT_CERT is not set"), "{err}");
    }
}
