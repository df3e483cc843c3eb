//! Byte-level mutation of an input, as AFL's havoc stage does it: one to
//! eight stacked changes among bit flips, interesting bytes, deletions,
//! duplications, random insertions, splices with another corpus entry,
//! truncation, number swaps, and tokens of the target's dictionary (plus
//! [`crate::json::SPICE`], the characters the formats' parsers and the two
//! languages disagree on most easily).

use arbitrary::{Result, Unstructured};

use crate::json::SPICE;

/// Bytes worth writing over another: zero, the edges of signed and unsigned
/// bytes, the formats' separators and quotes.
const BYTES: &[u8] = b"\x00\x01\x7f\x80\xff\"\\.,~+-_=:[]{}#0129aAzZ \t\n\r";
/// Numbers worth writing over a run of digits.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "00",
    "01",
    "4294967295",
    "4294967296",
    "9007199254740991",
    "9007199254740992",
    "18446744073709551615",
    "18446744073709551616",
    "1e21",
    "1.5",
    "-0",
    "1E400",
];

/// `input` changed at random (see the module docs); `corpus` gives splice
/// partners, `dictionary` the target's tokens.
pub fn bytes(
    u: &mut Unstructured<'_>,
    input: &[u8],
    corpus: &[Vec<u8>],
    dictionary: &[&str],
) -> Result<Vec<u8>> {
    let mut out = input.to_vec();
    for _ in 0..u.int_in_range(1..=8)? {
        one(u, &mut out, corpus, dictionary)?;
    }
    Ok(out)
}

fn position(u: &mut Unstructured<'_>, out: &[u8]) -> Result<usize> {
    u.int_in_range(0..=out.len())
}

fn one(
    u: &mut Unstructured<'_>,
    out: &mut Vec<u8>,
    corpus: &[Vec<u8>],
    dictionary: &[&str],
) -> Result<()> {
    let len = out.len();
    match u.int_in_range(0..=10)? {
        0 if len > 0 => {
            let at = u.choose_index(len)?;
            out[at] ^= 1 << u.int_in_range(0..=7)?;
        }
        1 if len > 0 => {
            let at = u.choose_index(len)?;
            out[at] = *u.choose(BYTES)?;
        }
        2 if len > 0 => {
            let from = u.choose_index(len)?;
            let to = u.int_in_range(from..=len.min(from + 32))?;
            out.drain(from..to);
        }
        3 if len > 0 => {
            let from = u.choose_index(len)?;
            let to = u.int_in_range(from..=len.min(from + 64))?;
            let copy = out[from..to].to_vec();
            let at = position(u, out)?;
            out.splice(at..at, copy);
        }
        4 => {
            let n = u.int_in_range(1..=8)?;
            let random = u.bytes(n.min(u.len()))?.to_vec();
            let at = position(u, out)?;
            out.splice(at..at, random);
        }
        5 if !corpus.is_empty() => {
            let other = u.choose(corpus)?;
            let cut = position(u, out)?;
            let from = u.int_in_range(0..=other.len())?;
            out.truncate(cut);
            out.extend_from_slice(&other[from..]);
        }
        6 if len > 0 => out.truncate(u.choose_index(len)?),
        7 => {
            let digits: Vec<usize> = (0..len).filter(|&i| out[i].is_ascii_digit()).collect();
            if let Some(&start) = digits.get(u.choose_index(digits.len().max(1))?) {
                let end = (start..len)
                    .find(|&i| !out[i].is_ascii_digit())
                    .unwrap_or(len);
                out.splice(start..end, u.choose(NUMBERS)?.bytes());
            }
        }
        8 | 9 => {
            let token = if dictionary.is_empty() || u.ratio(1, 3)? {
                *u.choose(SPICE)?
            } else {
                *u.choose(dictionary)?
            };
            let at = position(u, out)?;
            if u.ratio(1, 2)? {
                let to = u.int_in_range(at..=len.min(at + token.len().max(1)))?;
                out.splice(at..to, token.bytes());
            } else {
                out.splice(at..at, token.bytes());
            }
        }
        _ => {
            // Swap two bytes.
            if len > 1 {
                let (a, b) = (u.choose_index(len)?, u.choose_index(len)?);
                out.swap(a, b);
            }
        }
    }
    Ok(())
}

/// A smaller input that fails the same way, if one is found cheaply:
/// chunks removed while `still_fails` holds, halving the chunk size down to
/// one byte, at most `budget` tries.
pub fn minimise(input: &[u8], budget: usize, still_fails: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut tries = 0;
    let mut chunk = best.len().div_ceil(2).max(1);
    loop {
        let mut at = 0;
        while at < best.len() && tries < budget {
            let end = (at + chunk).min(best.len());
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[end..]);
            tries += 1;
            if still_fails(&candidate) {
                best = candidate;
            } else {
                at += chunk;
            }
        }
        if chunk == 1 || tries >= budget {
            return best;
        }
        chunk = chunk.div_ceil(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimise_keeps_what_the_failure_needs() {
        let input = b"aaaaXbbbbYcccc";
        let small = minimise(input, 1000, |c| c.contains(&b'X') && c.contains(&b'Y'));
        assert_eq!(small, b"XY");
    }

    #[test]
    fn mutations_change_inputs_and_never_panic() {
        let mut changed = 0;
        for seed in 0..2000u64 {
            let raw: Vec<u8> = (0..64).map(|i| (seed * 31 + i * 7) as u8).collect();
            let mut u = Unstructured::new(&raw);
            let out = bytes(
                &mut u,
                b"v2.a1m0p0.accept-all.1.2.0.",
                &[b"x".to_vec()],
                &["~"],
            )
            .unwrap();
            changed += usize::from(out != b"v2.a1m0p0.accept-all.1.2.0.");
        }
        assert!(changed > 1500, "{changed}");
    }
}
