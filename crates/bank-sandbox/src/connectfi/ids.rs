//! Ids in connectFi's style: a prefix and 22 letters and digits (`gsa_34doT0IgvGnvDgHEmsi54l`),
//! and long random tokens.

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Base-62 digits of a 128-bit number: 22 of them hold any u128.
const DIGITS_PER_U128: usize = 22;

fn base62(mut number: u128) -> String {
    let mut digits = [b'0'; DIGITS_PER_U128];
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(number % 62) as usize];
        number /= 62;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

/// A new random id: `prefix` and 22 base-62 digits of a v4 UUID's random bits.
pub fn random(prefix: &str) -> String {
    format!("{prefix}{}", base62(uuid::Uuid::new_v4().as_u128()))
}

/// A long random token like connectFi's (66 letters and digits).
pub fn token() -> String {
    (0..3)
        .map(|_| base62(uuid::Uuid::new_v4().as_u128()))
        .collect()
}

/// An id derived from `seed`, the same in every run: `prefix` and 22 base-62 digits of a
/// 128-bit FNV-1a hash.
pub fn stable(prefix: &str, seed: &str) -> String {
    // FNV-1a's 128-bit parameters; std's hasher is not stable across Rust releases.
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let hash = seed.bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    });
    format!("{prefix}{}", base62(hash))
}

/// A connectFi request id: 32 hex digits (`64cd247078df11eeb5658f28ab5fe311`).
pub fn request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alphanumeric(text: &str) -> bool {
        text.bytes().all(|b| b.is_ascii_alphanumeric())
    }

    #[test]
    fn random_ids_have_the_prefix_and_22_digits() {
        let a = random("gsa_");
        let b = random("gsa_");
        assert_ne!(a, b);
        let digits = a.strip_prefix("gsa_").unwrap();
        assert_eq!(digits.len(), 22, "{a}");
        assert!(alphanumeric(digits), "{a}");
    }

    #[test]
    fn tokens_are_66_letters_and_digits() {
        let token = token();
        assert_eq!(token.len(), 66);
        assert!(alphanumeric(&token));
        assert_ne!(token, super::token());
    }

    #[test]
    fn stable_ids_depend_only_on_the_seed() {
        assert_eq!(stable("iapp_", "cstap_1"), stable("iapp_", "cstap_1"));
        assert_ne!(stable("iapp_", "cstap_1"), stable("iapp_", "cstap_2"));
        // Pinned: a client may have stored an id from an earlier run or release.
        assert_eq!(stable("iapp_", "cstap_1"), "iapp_6Hw85BbuCCJcQMEOhBh7TM");
        let id = stable("iapp_", "cstap_1");
        assert_eq!(id.len(), "iapp_".len() + 22);
        assert!(alphanumeric(id.trim_start_matches("iapp_")));
    }

    #[test]
    fn base62_is_fixed_width() {
        assert_eq!(base62(0), "0".repeat(22));
        assert_eq!(base62(61), format!("{}z", "0".repeat(21)));
        assert_eq!(base62(u128::MAX).len(), 22);
    }

    #[test]
    fn request_ids_are_32_hex_digits() {
        let id = request_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
