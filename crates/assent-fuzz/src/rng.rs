//! The engine's randomness: SplitMix64, seeded from the run's seed and the
//! target's name, so `--seed S --target T` draws the same inputs again.
//! Inputs are made from byte buffers this generator fills, read through
//! `arbitrary::Unstructured`.

/// A small, fast, seedable generator (SplitMix64; not for cryptography).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// The generator for `target` in a run seeded `seed`.
    pub fn for_target(seed: u64, target: &str) -> Rng {
        // FNV-1a of the name, mixed with the seed.
        let name = target.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Rng(seed ^ name)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A buffer of random bytes whose length is mostly short, sometimes long
    /// (up to `max`): the raw material of one input.
    pub fn buffer(&mut self, max: usize) -> Vec<u8> {
        let cap = [64, 256, 1024, max][self.below(4)].min(max);
        let len = self.below(cap + 1);
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            out.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        out.truncate(len);
        out
    }
}

/// A seed from the clock, for runs without `--seed`.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Rng(nanos as u64 ^ u64::from(std::process::id())).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_numbers_and_targets_differ() {
        let draw = |seed, name| {
            let mut r = Rng::for_target(seed, name);
            (0..4).map(|_| r.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, "jcs"), draw(7, "jcs"));
        assert_ne!(draw(7, "jcs"), draw(7, "record"));
        assert_ne!(draw(7, "jcs"), draw(8, "jcs"));
    }
}
