//! Evaluation of a resolved program over one data document.
pub mod value;
