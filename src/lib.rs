//! Tally: a rules language for auditing public budget disclosures.
//!
//! Data flows one way: rule text → [`syntax`] (AST) → [`resolve`] (a program
//! whose names are all bound) → [`eval`] over each [`data`] document →
//! findings → [`report`] renderers.

pub mod builtins;
pub mod data;
pub mod eval;
pub mod source;
pub mod syntax;
pub mod resolve;
