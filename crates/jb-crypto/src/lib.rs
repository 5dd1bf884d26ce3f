//! SHA-1 sign and AES-128-ECB data cipher of the Shenzhen police-insurance platform.
