//! Shared inputs of the jb benchmarks.
