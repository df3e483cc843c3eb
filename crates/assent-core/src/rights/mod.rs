//! Data-subject rights (GDPR Art 12(3), 15–22): the rights API's bodies
//! ([`model`]), its timestamps ([`time`]), the deadlines computed from the
//! server's time in the controller's time zone ([`deadline`], feature
//! `deadlines`), what an erasure keeps and the statement of an explicit
//! consent ([`erasure`]), and the portable `data.json` of an export
//! ([`portable`], feature `policy-text`).

pub mod erasure;
pub mod model;
pub mod time;

#[cfg(feature = "deadlines")]
pub mod deadline;
#[cfg(feature = "policy-text")]
pub mod portable;
