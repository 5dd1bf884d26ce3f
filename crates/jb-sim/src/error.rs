//! Errors of configuring and starting the simulator.

use std::path::PathBuf;

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("cannot read simulator configuration {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML or has an unknown key.
    #[error("invalid simulator configuration: {0}")]
    Toml(#[source] Box<toml::de::Error>),
    /// A rate is not a number in [0, 1].
    #[error("{name} is {value}: a rate must be a number from 0 to 1")]
    Rate {
        /// The configuration key.
        name: &'static str,
        /// The value found.
        value: f64,
    },
    /// A memory bound is zero.
    #[error("{name} is 0: set a count of at least 1")]
    ZeroLimit {
        /// The configuration key.
        name: &'static str,
    },
    /// An appId is empty or longer than 32 characters.
    #[error("tenant appId {app_id:?} is invalid: give 1 to 32 characters")]
    AppId {
        /// The appId found.
        app_id: String,
    },
    /// A tenant names no key source, or both a file and an environment variable.
    #[error("tenant {app_id}: set exactly one of app_key_file and app_key_env")]
    KeySource {
        /// The tenant's appId.
        app_id: String,
    },
    /// A tenant's key file could not be read.
    #[error("tenant {app_id}: cannot read key file {path}: {source}")]
    KeyFile {
        /// The tenant's appId.
        app_id: String,
        /// The key file.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// A tenant's key variable is unset or not Unicode.
    #[error("tenant {app_id}: environment variable {variable} is unset or not valid Unicode")]
    KeyVariable {
        /// The tenant's appId.
        app_id: String,
        /// The variable name.
        variable: String,
    },
    /// A tenant's key is empty.
    #[error("tenant {app_id}: the appKey is empty")]
    EmptyKey {
        /// The tenant's appId.
        app_id: String,
    },
    /// Two tenants share one appId.
    #[error("tenant appId {app_id} is configured twice: give each tenant its own appId")]
    DuplicateAppId {
        /// The repeated appId.
        app_id: String,
    },
    /// No tenant is configured.
    #[error("no tenant configured: add at least one tenant")]
    NoTenant,
    /// The public URL is not an `http://` or `https://` URL.
    #[error("public_url {url:?} is invalid: give an http:// or https:// base URL")]
    PublicUrl {
        /// The value found.
        url: String,
    },
}

/// A failure to start the simulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The configuration cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The bind address is not a socket address.
    #[error("bind address {address:?} is invalid: give an address such as 127.0.0.1:0")]
    Address {
        /// The value found.
        address: String,
    },
    /// The listening socket could not be opened.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
}

/// A record that cannot be injected into a download.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InjectError {
    /// The appId names no tenant.
    #[error("appId {app_id:?} is not a tenant of this simulator: use one of its tenants' appIds")]
    UnknownAppId {
        /// The appId given.
        app_id: String,
    },
    /// No appId was given and the simulator serves several tenants.
    #[error("the simulator serves several tenants: name the tenant's appId")]
    TenantRequired,
    /// The method name is not one of the five operations.
    #[error("method {method:?} is unknown: use J1, J2, J5 or their wire names")]
    UnknownMethod {
        /// The method given.
        method: String,
    },
    /// The method is an upload, which has no download to inject into.
    #[error("method {method} is an upload: inject into J1, J2 or J5")]
    NotDownload {
        /// Wire name of the method.
        method: &'static str,
    },
}
