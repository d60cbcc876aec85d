use super::{at_most, required};
use crate::ValidationError;

/// An e-mail address of the usual `local@domain.tld` shape (the bank sends to it; it
/// does not need every oddity RFC 5322 allows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an address, lower-casing the domain.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let address = at_most(required(raw)?, 254)?;
        let (local, domain) = address
            .rsplit_once('@')
            .ok_or(ValidationError::InvalidEmail)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok {
            Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Err(ValidationError::InvalidEmail)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_common_addresses() {
        for a in [
            "tan@example.com",
            "mei.ling+cards@mail.example.com.sg",
            "a_b@x-y.io",
        ] {
            assert!(EmailAddress::parse(a).is_ok(), "{a}");
        }
        assert_eq!(
            EmailAddress::parse("Tan@Example.COM").unwrap().as_str(),
            "Tan@example.com"
        );
    }

    #[test]
    fn refuses_malformed_addresses() {
        for a in [
            "tan",
            "tan@",
            "@example.com",
            "tan@example",
            "tan@@example.com",
            "t an@example.com",
            "tan@exa_mple.com",
            "tan.@example.com",
            "tan@example.c0m",
        ] {
            assert_eq!(
                EmailAddress::parse(a),
                Err(ValidationError::InvalidEmail),
                "{a}"
            );
        }
    }

    proptest! {
        #[test]
        fn generated_addresses_parse(local in "[a-z0-9]{1,20}", domain in "[a-z0-9]{1,20}", tld in "[a-z]{2,6}") {
            let address = format!("{local}@{domain}.{tld}");
            prop_assert_eq!(EmailAddress::parse(&address).map(|a| a.as_str().to_owned()), Ok(address));
        }

        #[test]
        fn never_panics(raw in "\\PC{0,300}") {
            let _ = EmailAddress::parse(&raw);
        }
    }
}
