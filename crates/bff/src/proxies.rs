//! Which address a request comes from, when the BFF runs behind proxies (`TRUSTED_PROXIES`).
//!
//! Any client can write `X-Forwarded-For`, so it is read only when the TCP peer is a proxy
//! of ours, and then only as far as our proxies vouch for it: see [`client_address`].

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// One address, or a CIDR range of them (`10.0.0.0/8`, `2001:db8::/32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Whether `address` is inside the range (an IPv4 address written as IPv6 is the IPv4
    /// address, as a dual-stack listener reports IPv4 peers).
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                mask(u32::from(address).into(), self.prefix, 32) == u128::from(u32::from(network))
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                mask(address.into(), self.prefix, 128) == u128::from(network)
            }
            _ => false,
        }
    }
}

/// `bits` of an address of `width` bits, keeping its first `prefix`.
fn mask(bits: u128, prefix: u8, width: u8) -> u128 {
    let host = u32::from(width - prefix);
    bits & !(u128::MAX.checked_shr(128 - host).unwrap_or(0))
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(entry: &str) -> Result<Self, String> {
        let example = "an IP address or a CIDR range like 10.0.0.0/8 or 2001:db8::/32";
        let (address, prefix) = match entry.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (entry, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("{entry:?} is not {example}"))?;
        let network = network.to_canonical();
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| {
                    format!("{entry:?}: the prefix must be a number from 0 to {width}")
                })?,
        };
        // `10.0.0.1/8` is most likely a typo for an address or for `10.0.0.0/8`; in a list
        // that decides whose header is believed, a guess either way is worse than asking.
        if mask(bits(network), prefix, width) != bits(network) {
            return Err(format!(
                "{entry:?} has bits set after its /{prefix} prefix: write the range's first address"
            ));
        }
        Ok(Self { network, prefix })
    }
}

fn bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u32::from(v4).into(),
        IpAddr::V6(v6) => v6.into(),
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The proxies in front of the BFF, whose `X-Forwarded-For` is believed. Empty by default:
/// then the header is never read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    /// Reads a comma-separated list of addresses and ranges; an error names the bad entry.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether `address` is one of the proxies.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(address))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The address a request comes from, for its rate limit: the TCP `peer`, unless the peer is
/// a trusted proxy. Then `forwarded_for` (the `X-Forwarded-For` values, in order) is walked
/// from the right, where each of our proxies appended the address it was called from,
/// skipping trusted addresses: the first untrusted one is the client. When every address is
/// trusted, the leftmost is (the request started inside our network).
///
/// An entry that is not an address ends the walk at the last proxy that vouched for it: a
/// proxy of ours writes addresses, so the entry came from the client, and whatever is left
/// of it is the client's own writing too. Those clients then share their proxy's limit:
/// stricter, never looser.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &TrustedProxies,
) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(address) = forwarded_address(entry) else {
            return client;
        };
        client = address;
        if !trusted.contains(address) {
            return address;
        }
    }
    client
}

/// An `X-Forwarded-For` entry's address; some proxies add the port (`192.0.2.1:4711`,
/// `[2001:db8::1]:4711`).
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<std::net::SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_of_both_families_and_single_addresses() {
        let trusted = TrustedProxies::parse(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,").unwrap();
        assert!(trusted.contains(ip("10.200.3.4")));
        assert!(trusted.contains(ip("192.0.2.7")));
        assert!(!trusted.contains(ip("192.0.2.8")));
        assert!(trusted.contains(ip("2001:db8:ffff::1")));
        assert!(!trusted.contains(ip("2001:db9::1")));
        assert!(
            trusted.contains(ip("::ffff:10.1.1.1")),
            "a dual-stack listener's IPv4 peer"
        );
        assert!(TrustedProxies::parse("0.0.0.0/0")
            .unwrap()
            .contains(ip("203.0.113.9")));
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn malformed_entries_are_refused_by_name() {
        for (bad, named) in [
            ("10.0.0.0/8, proxy.internal", "proxy.internal"),
            ("10.0.0.0/33", "10.0.0.0/33"),
            ("2001:db8::/129", "2001:db8::/129"),
            ("10.0.0.0/", "10.0.0.0/"),
            ("10.0.0.0/x", "10.0.0.0/x"),
            ("10.0.0.1/8", "10.0.0.1/8"),
            ("10.0.0", "10.0.0"),
        ] {
            let error = TrustedProxies::parse(bad).unwrap_err();
            assert!(error.contains(named), "{bad}: {error}");
        }
    }

    #[test]
    fn a_header_from_an_untrusted_peer_is_ignored() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let spoofed = ["203.0.113.66"];
        assert_eq!(
            client_address(ip("198.51.100.1"), spoofed, &trusted),
            ip("198.51.100.1")
        );
        // With no proxy configured, never from a header.
        let none = TrustedProxies::default();
        assert_eq!(
            client_address(ip("10.0.0.1"), spoofed, &none),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn a_chain_through_two_trusted_proxies_gives_the_client_before_them() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 2001:db8::/32").unwrap();
        // The client wrote a lie first; the edge proxy appended the client's real address,
        // the inner one the edge's.
        let header = ["203.0.113.66, 198.51.100.1", "10.0.0.5"];
        assert_eq!(
            client_address(ip("10.0.0.9"), header, &trusted),
            ip("198.51.100.1")
        );
        let v6 = ["2001:db8::1, 2001:db8::2"];
        assert_eq!(
            client_address(
                ip("2001:db8::3"),
                ["198.51.100.1:4711, 2001:db8::2"],
                &trusted
            ),
            ip("198.51.100.1")
        );
        assert_eq!(
            client_address(ip("2001:db8::3"), v6, &trusted),
            ip("2001:db8::1"),
            "all trusted: the leftmost"
        );
        assert_eq!(
            client_address(ip("10.0.0.9"), [], &trusted),
            ip("10.0.0.9"),
            "no header: the proxy itself"
        );
    }

    #[test]
    fn garbage_ends_the_walk_at_the_proxy_that_passed_it_on() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let header = ["198.51.100.1, unknown, 10.0.0.5"];
        assert_eq!(
            client_address(ip("10.0.0.9"), header, &trusted),
            ip("10.0.0.5")
        );
    }
}
