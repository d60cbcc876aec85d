//! `--name value` options, the only kind the bench programs take.

use std::collections::HashMap;
use std::str::FromStr;

/// A program's options: each `--name value`, in order; a name may repeat.
#[derive(Debug, Default)]
pub struct Args {
    given: Vec<(String, String)>,
}

impl Args {
    /// The process's options; exits with a message naming `usage` when they are malformed.
    pub fn from_env(usage: &str) -> Self {
        Self::parse(std::env::args().skip(1)).unwrap_or_else(|e| fail(&format!("{e}\n{usage}")))
    }

    /// Pairs every `--name` with the value after it.
    pub fn parse(words: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut given = Vec::new();
        let mut words = words.into_iter();
        while let Some(word) = words.next() {
            let name = word
                .strip_prefix("--")
                .ok_or_else(|| format!("expected an option, got `{word}`"))?;
            let value = words
                .next()
                .ok_or_else(|| format!("--{name} needs a value"))?;
            given.push((name.to_owned(), value));
        }
        Ok(Self { given })
    }

    /// The last value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.given
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of `name`; exits if it is missing.
    pub fn required(&self, name: &str) -> &str {
        self.get(name)
            .unwrap_or_else(|| fail(&format!("--{name} is required")))
    }

    /// The value of `name` parsed, or `default`; exits if it does not parse.
    pub fn number<T: FromStr>(&self, name: &str, default: T) -> T {
        match self.get(name) {
            None => default,
            Some(raw) => raw
                .parse()
                .unwrap_or_else(|_| fail(&format!("--{name} {raw:?} is not a number"))),
        }
    }

    /// Every `--header "name: value"`, split.
    pub fn headers(&self) -> HashMap<String, String> {
        self.all("header")
            .into_iter()
            .map(|h| {
                let (name, value) = h
                    .split_once(':')
                    .unwrap_or_else(|| fail(&format!("--header {h:?} is not `name: value`")));
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect()
    }
}

/// Prints `message` and exits with a failure.
pub fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Result<Args, String> {
        Args::parse(words.iter().map(|w| (*w).to_owned()))
    }

    #[test]
    fn options_pair_names_with_values_and_may_repeat() {
        let args = args(&["--url", "http://x/", "--header", "a: 1", "--header", "B:2"]).unwrap();
        assert_eq!(args.get("url"), Some("http://x/"));
        assert_eq!(args.all("header"), ["a: 1", "B:2"]);
        assert_eq!(args.headers()["b"], "2");
        assert_eq!(args.number("seconds", 5u64), 5);
    }

    #[test]
    fn a_bare_word_or_a_missing_value_is_refused() {
        assert!(args(&["url"]).unwrap_err().contains("expected an option"));
        assert!(args(&["--url"]).unwrap_err().contains("needs a value"));
    }
}
