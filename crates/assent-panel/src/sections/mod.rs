//! The panel's sections, each with the GDPR article it serves.

mod consents;
mod deletion;
mod export;
mod my_data;
mod other;
mod restriction;
mod special;

pub use consents::consents;
pub use deletion::deletion;
pub use export::export;
pub use my_data::my_data;
pub use other::other;
pub use restriction::restriction;
pub use special::special;
