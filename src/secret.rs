//! Keys: the owned [`Secret`] (with `alloc`), its generation from a CSPRNG, and the
//! [`Strength`] rule a caller applies to keys it did not make.
//!
//! One concept per file: `owned.rs` holds [`Secret`] (re-exported at the crate root),
//! `generate.rs` the generators and [`GenerateError`], `strength.rs` [`Strength`] and
//! [`TooWeak`], which need no allocator.

#[cfg(feature = "alloc")]
mod generate;
#[cfg(feature = "alloc")]
mod owned;
mod strength;

#[cfg(feature = "alloc")]
pub use generate::GenerateError;
#[cfg(feature = "alloc")]
pub(crate) use generate::check_generated_bits;
#[cfg(feature = "alloc")]
pub use owned::Secret;
pub use strength::{Strength, TooWeak};
