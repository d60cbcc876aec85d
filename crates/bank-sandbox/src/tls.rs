//! Serving the sandbox over TLS, and asking for a client certificate as the bank's
//! production API does (mutual TLS), so a BFF's certificate files are tried before
//! onboarding. The routes are the same: only the listener differs from plain HTTP.

use crate::config::TlsConfig;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_rustls::rustls;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// Longest a client may take over its handshake before its connection is closed.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

impl TlsConfig {
    /// The server's TLS: its certificate, and the client certificates it requires, if any.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, String> {
        let provider = Arc::new(ring::default_provider());
        let chain = certificates("SANDBOX_TLS_CERT", &self.certificate)?;
        let key_pem = read("SANDBOX_TLS_KEY", &self.key)?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
            format!(
                "SANDBOX_TLS_KEY: {} holds no PEM private key: {e}",
                self.key.display()
            )
        })?;
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS protocol versions: {e}"))?;
        let builder = match &self.client_ca {
            None => builder.with_no_client_auth(),
            Some(path) => {
                let mut roots = RootCertStore::empty();
                for ca in certificates("SANDBOX_TLS_CLIENT_CA", path)? {
                    roots.add(ca).map_err(|e| {
                        format!(
                            "SANDBOX_TLS_CLIENT_CA: {} holds a certificate that cannot be a CA: {e}",
                            path.display()
                        )
                    })?;
                }
                let verifier = WebPkiClientVerifier::builder_with_provider(roots.into(), provider)
                    .build()
                    .map_err(|e| format!("SANDBOX_TLS_CLIENT_CA: {}: {e}", path.display()))?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut config = builder.with_single_cert(chain, key).map_err(|e| match e {
            rustls::Error::InconsistentKeys(_) => format!(
                "SANDBOX_TLS_KEY: {} is not the private key of the certificate in SANDBOX_TLS_CERT ({})",
                self.key.display(),
                self.certificate.display()
            ),
            e => format!(
                "SANDBOX_TLS_CERT and SANDBOX_TLS_KEY: {} and {} cannot be used together: {e}",
                self.certificate.display(),
                self.key.display()
            ),
        })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// A listener whose connections have completed a TLS handshake, for `axum::serve`.
/// Handshakes run concurrently, so one slow or refused client holds up no other; a refused
/// one (no certificate, or one from another CA) is logged and its connection closed.
pub struct TlsListener {
    local_addr: SocketAddr,
    handshaken: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    accepting: JoinHandle<()>,
}

impl TlsListener {
    /// Accepts the connections of `listener` with the TLS of `config`.
    pub fn new(listener: TcpListener, config: Arc<ServerConfig>) -> std::io::Result<Self> {
        let local_addr = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(config);
        let (done, handshaken) = mpsc::channel(64);
        let accepting = tokio::spawn(async move {
            loop {
                let (stream, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: pause as axum's listener does.
                        tracing::error!(%error, "accepting a connection failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let done = done.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let _ = done.send((stream, peer)).await;
                        }
                        Ok(Err(error)) => {
                            tracing::warn!(%peer, %error, "TLS handshake refused");
                        }
                        Err(_) => tracing::warn!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self {
            local_addr,
            handshaken,
            accepting,
        })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.handshaken.recv().await {
            Some(connection) => connection,
            // The accepting task ended (it never does unless aborted): nothing comes any more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local_addr)
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        // Closes the port, as dropping a TcpListener does.
        self.accepting.abort();
    }
}

/// The file `setting` names.
fn read(setting: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{setting}: cannot read {}: {e}", path.display()))
}

/// The PEM certificates in the file `setting` names, at least one.
fn certificates(setting: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = read(setting, path)?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{setting}: {} is not PEM: {e}", path.display()))?;
    if certificates.is_empty() {
        return Err(format!(
            "{setting}: {} holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certificates)
}
