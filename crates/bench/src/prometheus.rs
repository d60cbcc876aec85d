//! Percentiles from a Prometheus histogram's buckets, as `histogram_quantile` computes them:
//! how the bench reads figures the BFF measures inside itself.

use serde::Serialize;
use std::collections::BTreeMap;

/// One histogram's cumulative buckets: upper bound (`+Inf` as infinity) and count.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Buckets(Vec<(f64, f64)>);

/// Percentiles read off a histogram, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    pub count: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

impl Buckets {
    /// Adds `count` to the bucket ending at `le`.
    fn add(&mut self, le: f64, count: f64) {
        match self.0.iter_mut().find(|(bound, _)| *bound == le) {
            Some((_, total)) => *total += count,
            None => self.0.push((le, count)),
        }
    }

    /// Observations counted.
    pub fn count(&self) -> f64 {
        self.0.iter().map(|(_, c)| *c).fold(0.0, f64::max)
    }

    /// The `q` quantile (0 to 1), interpolated linearly inside its bucket; the highest
    /// finite bound when it falls in the `+Inf` bucket; `None` without observations.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let mut buckets = self.0.clone();
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total = self.count();
        if total == 0.0 {
            return None;
        }
        let rank = q * total;
        let (mut lower, mut below) = (0.0, 0.0);
        for (bound, count) in buckets {
            if count >= rank {
                if bound.is_infinite() {
                    return Some(lower);
                }
                let inside = count - below;
                let share = if inside > 0.0 {
                    (rank - below) / inside
                } else {
                    1.0
                };
                return Some(lower + (bound - lower) * share);
            }
            (lower, below) = (bound, count);
        }
        Some(lower)
    }

    /// The usual three percentiles, in milliseconds (of a histogram in seconds).
    pub fn quantiles(&self) -> Quantiles {
        let ms = |q| self.quantile(q).unwrap_or(0.0) * 1000.0;
        Quantiles {
            count: self.count() as u64,
            p50_ms: ms(0.50),
            p95_ms: ms(0.95),
            p99_ms: ms(0.99),
        }
    }
}

/// The buckets of histogram `metric` in every scrape of `texts`, summed per value of the
/// label `by` (over every other label, and over instances).
pub fn histograms(texts: &[String], metric: &str, by: &str) -> BTreeMap<String, Buckets> {
    let prefix = format!("{metric}_bucket{{");
    let mut found: BTreeMap<String, Buckets> = BTreeMap::new();
    for line in texts.iter().flat_map(|t| t.lines()) {
        let Some(rest) = line.strip_prefix(&prefix) else {
            continue;
        };
        let Some((labels, value)) = rest.rsplit_once("} ") else {
            continue;
        };
        let labels = parse_labels(labels);
        let (Some(key), Some(le), Ok(count)) = (
            labels.get(by),
            labels.get("le"),
            value.trim().parse::<f64>(),
        ) else {
            continue;
        };
        let le = if le == "+Inf" {
            f64::INFINITY
        } else {
            match le.parse() {
                Ok(le) => le,
                Err(_) => continue,
            }
        };
        found.entry(key.clone()).or_default().add(le, count);
    }
    found
}

/// `a="x",b="y"` as a map; `\"` and `\\` unescaped.
fn parse_labels(text: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut chars = text.chars().peekable();
    loop {
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if name.is_empty() || chars.next() != Some('"') {
            break;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.extend(chars.next()),
                '"' => break,
                c => value.push(c),
            }
        }
        labels.insert(name.trim_start_matches(',').trim().to_owned(), value);
        if chars.peek() == Some(&',') {
            chars.next();
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRAPE: &str = r#"# TYPE x_seconds histogram
x_seconds_bucket{route="/a",le="0.001"} 50
x_seconds_bucket{route="/a",le="0.002"} 90
x_seconds_bucket{route="/a",le="0.005"} 100
x_seconds_bucket{route="/a",le="+Inf"} 100
x_seconds_sum{route="/a"} 0.1
x_seconds_count{route="/a"} 100
x_seconds_bucket{route="/b",le="0.001"} 0
x_seconds_bucket{route="/b",le="+Inf"} 4
"#;

    #[test]
    fn quantiles_interpolate_inside_their_bucket() {
        let found = histograms(&[SCRAPE.to_owned()], "x_seconds", "route");
        let a = &found["/a"];
        assert_eq!(a.count(), 100.0);
        assert!((a.quantile(0.5).unwrap() - 0.001).abs() < 1e-12);
        assert!((a.quantile(0.7).unwrap() - 0.0015).abs() < 1e-12);
        assert!((a.quantile(0.95).unwrap() - 0.0035).abs() < 1e-12);
        // Past the highest finite bound: that bound, as histogram_quantile answers.
        assert_eq!(found["/b"].quantile(0.5), Some(0.001));
        assert_eq!(Buckets::default().quantile(0.5), None);
    }

    #[test]
    fn instances_are_summed() {
        let found = histograms(
            &[SCRAPE.to_owned(), SCRAPE.to_owned()],
            "x_seconds",
            "route",
        );
        assert_eq!(found["/a"].count(), 200.0);
        assert!((found["/a"].quantile(0.5).unwrap() - 0.001).abs() < 1e-12);
    }

    #[test]
    fn labels_keep_escaped_quotes_and_commas() {
        let labels = parse_labels(r#"route="/x",call="a\"b,c",le="1""#);
        assert_eq!(labels["route"], "/x");
        assert_eq!(labels["call"], "a\"b,c");
        assert_eq!(labels["le"], "1");
    }
}
