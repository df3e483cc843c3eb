//! Country facts the lint needs: the EEA and the adequacy decisions (GDPR
//! Art 45), as of 2026. Update with the Commission's list.

/// EU member states, Iceland, Liechtenstein and Norway (ISO 3166-1 alpha-2).
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Countries with a general adequacy decision (Art 45). The United States is
/// adequate only for organisations certified under the Data Privacy Framework.
pub const ADEQUATE: [&str; 14] = [
    "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY",
];

/// Whether `country` is in the EEA.
pub fn in_eea(country: &str) -> bool {
    EEA.iter().any(|c| c.eq_ignore_ascii_case(country.trim()))
}

/// Whether `country` has a general adequacy decision.
pub fn adequate(country: &str) -> bool {
    ADEQUATE
        .iter()
        .any(|c| c.eq_ignore_ascii_case(country.trim()))
}
