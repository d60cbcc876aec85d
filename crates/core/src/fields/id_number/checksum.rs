//! The check-sum algorithms ID numbers share. Each takes characters its caller has already
//! checked (digits, or upper-case letters and digits).

/// The value of a character in weighted sums: a digit is itself, a letter A=10 … Z=35.
pub(super) fn value(c: char) -> u32 {
    c.to_digit(36).unwrap_or(0)
}

/// The sum of each character's value times its weight.
pub(super) fn weighted_sum(chars: &str, weights: &[u32]) -> u32 {
    chars.chars().zip(weights).map(|(c, w)| value(c) * w).sum()
}

/// Whether digits end with their Luhn check digit.
pub(super) fn luhn_is_valid(digits: &str) -> bool {
    luhn_sum(digits, false).is_multiple_of(10)
}

/// The Luhn check digit to append to `payload`.
#[cfg(test)]
pub(super) fn luhn_check_digit(payload: &str) -> u32 {
    (10 - luhn_sum(payload, true) % 10) % 10
}

/// Luhn's sum, doubling every second digit from the right (from the rightmost when the
/// check digit is still to come).
fn luhn_sum(digits: &str, double_rightmost: bool) -> u32 {
    digits
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = value(c);
            match (i % 2 == 0) == double_rightmost {
                true if d * 2 > 9 => d * 2 - 9,
                true => d * 2,
                false => d,
            }
        })
        .sum()
}

/// Verhoeff's multiplication table of the dihedral group D5.
const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Verhoeff's permutation table, applied once more at each position.
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff's inverses in D5.
#[cfg(test)]
const VERHOEFF_INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// Whether digits end with their Verhoeff check digit.
pub(super) fn verhoeff_is_valid(digits: &str) -> bool {
    verhoeff_state(digits, 0) == 0
}

/// The Verhoeff check digit to append to `payload`.
#[cfg(test)]
pub(super) fn verhoeff_check_digit(payload: &str) -> u32 {
    u32::from(VERHOEFF_INV[usize::from(verhoeff_state(payload, 1))])
}

/// Verhoeff's running value over the digits from the right, the first at position `shift`.
fn verhoeff_state(digits: &str, shift: usize) -> u8 {
    digits.chars().rev().enumerate().fold(0, |c, (i, ch)| {
        let permuted = VERHOEFF_P[(i + shift) % 8][value(ch) as usize];
        VERHOEFF_D[usize::from(c)][usize::from(permuted)]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_check_digits() {
        // Wikipedia's worked examples.
        assert_eq!(luhn_check_digit("7992739871"), 3);
        assert!(luhn_is_valid("79927398713"));
        assert_eq!(verhoeff_check_digit("236"), 3);
        assert!(verhoeff_is_valid("2363"));
        assert!(!verhoeff_is_valid("2364"));
        assert_eq!(weighted_sum("A1Z", &[1, 2, 3]), 10 + 2 + 105);
    }

    proptest! {
        #[test]
        fn luhn_and_verhoeff_catch_every_single_digit_mistake(
            payload in "[0-9]{1,20}",
            at in 0usize..21,
            delta in 1u32..10,
        ) {
            let luhn = format!("{payload}{}", luhn_check_digit(&payload));
            let verhoeff = format!("{payload}{}", verhoeff_check_digit(&payload));
            prop_assert!(luhn_is_valid(&luhn));
            prop_assert!(verhoeff_is_valid(&verhoeff));
            let mistype = |number: &str| {
                let at = at % number.len();
                number.chars().enumerate().map(|(i, c)| match i == at {
                    true => char::from_digit((value(c) + delta) % 10, 10).unwrap(),
                    false => c,
                }).collect::<String>()
            };
            prop_assert!(!luhn_is_valid(&mistype(&luhn)));
            prop_assert!(!verhoeff_is_valid(&mistype(&verhoeff)));
        }

        #[test]
        fn verhoeff_catches_every_swap_of_adjacent_digits(payload in "[0-9]{2,20}", at in 0usize..20) {
            let number = format!("{payload}{}", verhoeff_check_digit(&payload));
            let mut chars: Vec<char> = number.chars().collect();
            let at = at % (chars.len() - 1);
            prop_assume!(chars[at] != chars[at + 1]);
            chars.swap(at, at + 1);
            prop_assert!(!verhoeff_is_valid(&chars.into_iter().collect::<String>()));
        }
    }
}
