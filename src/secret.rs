//! Keys: the owned [`Secret`] (with `alloc`), its generation from a CSPRNG, and the
//! [`Strength`] rule a caller applies to keys it did not make.
//!
//! One concept per file: `owned.rs` holds [`Secret`] (re-exported at the crate root),
//! `generate.rs` the generators, `strength.rs` [`Strength`] (no allocator needed), and
//! `error.rs` the module's errors, [`TooWeak`] and [`GenerateError`].

mod error;
#[cfg(feature = "alloc")]
mod generate;
#[cfg(feature = "alloc")]
mod owned;
mod strength;

#[cfg(feature = "alloc")]
pub use error::GenerateError;
pub use error::TooWeak;
#[cfg(feature = "alloc")]
pub(crate) use generate::check_generated_bits;
#[cfg(feature = "alloc")]
pub use owned::Secret;
pub use strength::Strength;
