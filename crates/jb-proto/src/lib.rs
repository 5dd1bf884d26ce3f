//! Request and response envelopes of the Shenzhen police-insurance platform: seal and open.
