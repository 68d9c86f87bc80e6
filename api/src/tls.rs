//! TLS 1.3 only, through rustls.

use std::{path::Path, sync::Arc};

use anyhow::Context;
use rustls::ServerConfig;
use rustls_pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};

use crate::config::TlsSettings;

pub fn server_config(tls: &TlsSettings) -> anyhow::Result<ServerConfig> {
    let certs = load_certs(&tls.cert)?;
    let key = PrivateKeyDer::from_pem_file(&tls.key)
        .with_context(|| format!("CREPO_TLS_KEY: no private key in {}", tls.key.display()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .context("TLS 1.3 is not supported by the crypto provider")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("CREPO_TLS_CERT and CREPO_TLS_KEY do not form a usable pair")
}

fn load_certs(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .with_context(|| format!("CREPO_TLS_CERT: cannot read {}", path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("CREPO_TLS_CERT: invalid PEM in {}", path.display()))?;
    if certs.is_empty() {
        anyhow::bail!("CREPO_TLS_CERT: no certificate in {}", path.display());
    }
    Ok(certs)
}
